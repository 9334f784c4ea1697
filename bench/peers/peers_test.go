//go:build peers

// Package peers runs the SDK's benchmark cases against clients that
// oapi-codegen and ogen generate from api/openapi.json. bench/peers.sh
// generates them into a temporary module and runs this file there; it is
// not part of the arthur module's build.
package peers

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/arthur-sdk/arthur-go/internal/benchkit"

	"github.com/arthur-sdk/arthur-go/bench/peerrun/oapiclient"
	"github.com/arthur-sdk/arthur-go/bench/peerrun/ogenclient"
)

func BenchmarkClient(b *testing.B) {
	benchkit.Run(b, benchkit.NetHTTP, benchkit.SDK, ogen, oapiCodegen)
}

type ogenToken struct{}

func (ogenToken) OAuth2AuthorizationCode(context.Context, ogenclient.OperationName) (ogenclient.OAuth2AuthorizationCode, error) {
	return ogenclient.OAuth2AuthorizationCode{Token: benchkit.Token}, nil
}

var userID = uuid.MustParse(benchkit.UserID)

var ogen = benchkit.Impl{Name: "ogen", New: func(base string, hc *http.Client) benchkit.Calls {
	c, err := ogenclient.NewClient(base, ogenToken{}, ogenclient.WithClient(hc))
	if err != nil {
		panic(err)
	}
	page := func(ctx context.Context, n, size int) (*ogenclient.ResourceListUser, error) {
		res, err := c.GetOrganizationUsers(ctx, ogenclient.GetOrganizationUsersParams{
			Page: ogenclient.NewOptInt(n), PageSize: ogenclient.NewOptInt(size)})
		if err != nil {
			return nil, err
		}
		list, ok := res.(*ogenclient.ResourceListUser)
		if !ok {
			return nil, fmt.Errorf("ogen: %T", res)
		}
		return list, nil
	}
	return benchkit.Calls{
		Page: func(ctx context.Context, size int) (int, error) {
			list, err := page(ctx, 1, size)
			if err != nil {
				return 0, err
			}
			return len(list.Records), nil
		},
		Me: func(ctx context.Context) error {
			res, err := c.GetUsersMe(ctx)
			if err == nil {
				if _, ok := res.(*ogenclient.User); !ok {
					err = fmt.Errorf("ogen: %T", res)
				}
			}
			return err
		},
		Patch: func(ctx context.Context) error {
			body := &ogenclient.PatchUser{FirstName: ogenclient.NewOptNilString("Ada")}
			body.Picture.SetToNull()
			res, err := c.PatchUser(ctx, body, ogenclient.PatchUserParams{UserID: userID})
			if err == nil {
				if _, ok := res.(*ogenclient.User); !ok {
					err = fmt.Errorf("ogen: %T", res)
				}
			}
			return err
		},
		ListAll: func(ctx context.Context, size int) (int, error) {
			n := 0
			for p := 1; ; p++ {
				list, err := page(ctx, p, size)
				if err != nil {
					return n, err
				}
				n += len(list.Records)
				if p >= list.Pagination.TotalPages {
					return n, nil
				}
			}
		},
	}
}}

var oapiCodegen = benchkit.Impl{Name: "oapi-codegen", New: func(base string, hc *http.Client) benchkit.Calls {
	c, err := oapiclient.NewClientWithResponses(base, oapiclient.WithHTTPClient(hc),
		oapiclient.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+benchkit.Token)
			return nil
		}))
	if err != nil {
		panic(err)
	}
	page := func(ctx context.Context, n, size int) (*oapiclient.ResourceListUser, error) {
		res, err := c.GetOrganizationUsersWithResponse(ctx, &oapiclient.GetOrganizationUsersParams{Page: &n, PageSize: &size})
		if err != nil {
			return nil, err
		}
		if res.JSON200 == nil {
			return nil, fmt.Errorf("oapi-codegen: status %d", res.StatusCode())
		}
		return res.JSON200, nil
	}
	return benchkit.Calls{
		Page: func(ctx context.Context, size int) (int, error) {
			list, err := page(ctx, 1, size)
			if err != nil {
				return 0, err
			}
			return len(list.Records), nil
		},
		Me: func(ctx context.Context) error {
			res, err := c.GetUsersMeWithResponse(ctx)
			if err == nil && res.JSON200 == nil {
				err = fmt.Errorf("oapi-codegen: status %d", res.StatusCode())
			}
			return err
		},
		Patch: func(ctx context.Context) error {
			// oapi-codegen's PatchUser cannot send null: picture is left out.
			name := "Ada"
			res, err := c.PatchUserWithResponse(ctx, userID, oapiclient.PatchUser{FirstName: &name})
			if err == nil && res.JSON200 == nil {
				err = fmt.Errorf("oapi-codegen: status %d", res.StatusCode())
			}
			return err
		},
		ListAll: func(ctx context.Context, size int) (int, error) {
			n := 0
			for p := 1; ; p++ {
				list, err := page(ctx, p, size)
				if err != nil {
					return n, err
				}
				n += len(list.Records)
				if p >= list.Pagination.TotalPages {
					return n, nil
				}
			}
		},
	}
}}
