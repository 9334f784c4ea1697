package benchkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
)

// SDK is this module's client as a user has it: retries on, pages of
// GetOrganizationUsersIter fetched 8 at a time.
var SDK = Impl{Name: "sdk", New: func(base string, hc *http.Client) Calls { return sdkCalls(base, hc, 0) }}

// SDKPages is the SDK with Configuration.PageConcurrency set to n, for the
// list-all case alone.
func SDKPages(n int) Impl {
	return Impl{Name: fmt.Sprintf("sdk-pages%d", n), ListAllOnly: true,
		New: func(base string, hc *http.Client) Calls { return sdkCalls(base, hc, n) }}
}

func sdkCalls(base string, hc *http.Client, pages int) Calls {
	cfg := arthur.NewConfiguration()
	cfg.PageConcurrency = pages
	cfg.Host = base
	cfg.AccessToken = Token
	cfg.HTTPClient = hc
	cfg.AllowInsecureHTTP = true
	api := arthur.NewAPIClient(cfg).UsersV1API
	return Calls{
		Page: func(ctx context.Context, size int) (int, error) {
			page, err := api.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{PageSize: size})
			if err != nil {
				return 0, err
			}
			return len(page.Records), nil
		},
		Me: func(ctx context.Context) error {
			_, err := api.GetUsersMe(ctx)
			return err
		},
		Patch: func(ctx context.Context) error {
			_, err := api.PatchUser(ctx, UserID, arthur.PatchUser{FirstName: arthur.Value("Ada"), Picture: arthur.Null[string]()})
			return err
		},
		ListAll: func(ctx context.Context, size int) (int, error) {
			n := 0
			for _, err := range api.GetOrganizationUsersIter(ctx, &arthur.GetOrganizationUsersParams{PageSize: size}) {
				if err != nil {
					return n, err
				}
				n++
			}
			return n, nil
		},
	}
}

// NetHTTP is the baseline: what a careful engineer writes by hand with
// net/http and encoding/json, without retries, redaction or validation.
var NetHTTP = Impl{Name: "nethttp", New: func(base string, hc *http.Client) Calls {
	c := &handClient{base: base, hc: hc}
	return Calls{
		Page: func(ctx context.Context, size int) (int, error) {
			var page handPage
			err := c.do(ctx, http.MethodGet, "/api/v1/organization/users?page_size="+strconv.Itoa(size), nil, &page)
			return len(page.Records), err
		},
		Me: func(ctx context.Context) error {
			var u handUser
			return c.do(ctx, http.MethodGet, "/api/v1/users/me", nil, &u)
		},
		Patch: func(ctx context.Context) error {
			var u handUser
			body := map[string]any{"first_name": "Ada", "picture": nil}
			return c.do(ctx, http.MethodPatch, "/api/v1/users/"+UserID, body, &u)
		},
		ListAll: func(ctx context.Context, size int) (int, error) {
			n := 0
			for page := 1; ; page++ {
				var p handPage
				path := fmt.Sprintf("/api/v1/organization/users?page=%d&page_size=%d", page, size)
				if err := c.do(ctx, http.MethodGet, path, nil, &p); err != nil {
					return n, err
				}
				n += len(p.Records)
				if page >= p.Pagination.TotalPages {
					return n, nil
				}
			}
		},
	}
}}

type handClient struct {
	base string
	hc   *http.Client
}

func (c *handClient) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+Token)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

type handUser struct {
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	OrganizationID   string    `json:"organization_id"`
	ID               string    `json:"id"`
	FirstName        string    `json:"first_name"`
	LastName         *string   `json:"last_name"`
	Email            *string   `json:"email"`
	Picture          *string   `json:"picture"`
	UserType         string    `json:"user_type"`
	DataPlaneID      *string   `json:"data_plane_id"`
	ClientID         *string   `json:"client_id"`
	OrganizationName string    `json:"organization_name"`
}

type handPage struct {
	Records    []handUser `json:"records"`
	Pagination struct {
		Page         int `json:"page"`
		PageSize     int `json:"page_size"`
		TotalPages   int `json:"total_pages"`
		TotalRecords int `json:"total_records"`
	} `json:"pagination"`
}
