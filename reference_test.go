package arthur

// The reference decoders: the models decoded with encoding/json's
// reflection into mirror structs, with the same required-field rules. The
// differential tests hold the jx decoders to them.

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// refUserWire is the JSON shape shared by User, SensitiveUser and
// UserServiceAccountCredentials. Pointers tell a missing field from a zero one.
type refUserWire struct {
	CreatedAt        *wireTime `json:"created_at"`
	UpdatedAt        *wireTime `json:"updated_at"`
	OrganizationID   *string   `json:"organization_id"`
	ID               *string   `json:"id"`
	FirstName        *string   `json:"first_name"`
	LastName         *string   `json:"last_name"`
	Email            *string   `json:"email"`
	Picture          *string   `json:"picture"`
	UserType         *UserType `json:"user_type"`
	DataPlaneID      *string   `json:"data_plane_id"`
	ClientID         *string   `json:"client_id"`
	OrganizationName *string   `json:"organization_name"`
}

// decode copies w into u after checking the fields the spec requires and
// does not allow to be null. last_name is required but nullable, so an
// absent last_name reads as null.
func (w *refUserWire) decode(model string, u *User) error {
	var missing []string
	if w.CreatedAt == nil {
		missing = append(missing, "created_at")
	}
	if w.UpdatedAt == nil {
		missing = append(missing, "updated_at")
	}
	if w.OrganizationID == nil {
		missing = append(missing, "organization_id")
	}
	if w.ID == nil {
		missing = append(missing, "id")
	}
	if w.FirstName == nil {
		missing = append(missing, "first_name")
	}
	if w.UserType == nil {
		missing = append(missing, "user_type")
	}
	if w.OrganizationName == nil {
		missing = append(missing, "organization_name")
	}
	if len(missing) > 0 {
		return missingFieldsError(model, missing)
	}
	*u = User{
		CreatedAt:        time.Time(*w.CreatedAt),
		UpdatedAt:        time.Time(*w.UpdatedAt),
		OrganizationID:   *w.OrganizationID,
		ID:               *w.ID,
		FirstName:        *w.FirstName,
		LastName:         w.LastName,
		Email:            w.Email,
		Picture:          w.Picture,
		UserType:         *w.UserType,
		DataPlaneID:      w.DataPlaneID,
		ClientID:         w.ClientID,
		OrganizationName: *w.OrganizationName,
	}
	return nil
}

func refUser(data []byte) (User, error) {
	var u User
	if isJSONNull(data) {
		return u, nil
	}
	var w refUserWire
	if err := json.Unmarshal(data, &w); err != nil {
		return u, err
	}
	err := w.decode("User", &u)
	return u, err
}

// refUserWith decodes a user that also carries credentials, which creds
// decodes; null reports a JSON null, which decodes to the zero value.
func refUserWith[C any](data []byte, model string, creds func([]byte) (C, error)) (u User, c C, null bool, err error) {
	if isJSONNull(data) {
		return u, c, true, nil
	}
	var w struct {
		refUserWire
		Credentials *json.RawMessage `json:"credentials"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return u, c, false, err
	}
	if err := w.decode(model, &u); err != nil {
		return u, c, false, err
	}
	if w.Credentials == nil || isJSONNull(*w.Credentials) {
		return u, c, false, missingFieldsError(model, []string{"credentials"})
	}
	c, err = creds(*w.Credentials)
	return u, c, false, err
}

func refSensitiveUser(data []byte) (SensitiveUser, error) {
	var s SensitiveUser
	u, c, null, err := refUserWith(data, "SensitiveUser", refCredentials)
	if null || err != nil {
		return s, err
	}
	s.setUser(u)
	s.Credentials = c
	return s, nil
}

func refUserServiceAccountCredentials(data []byte) (UserServiceAccountCredentials, error) {
	var s UserServiceAccountCredentials
	u, c, null, err := refUserWith(data, "UserServiceAccountCredentials", refServiceAccountCredentials)
	if null || err != nil {
		return s, err
	}
	s.setUser(u)
	s.Credentials = c
	return s, nil
}

type refSecretFields struct {
	ClientID     *string `json:"client_id"`
	ClientSecret *string `json:"client_secret"`
	Password     *string `json:"password"`
}

func refCredentials(data []byte) (Credentials, error) {
	var c Credentials
	if isJSONNull(data) {
		return c, nil
	}
	var w refSecretFields
	if err := json.Unmarshal(data, &w); err != nil {
		return c, err
	}
	switch {
	case w.ClientID != nil && w.ClientSecret != nil:
		return Credentials{ServiceAccount: &ServiceAccountCredentials{ClientID: *w.ClientID, ClientSecret: Secret(*w.ClientSecret)}}, nil
	case w.Password != nil:
		return Credentials{User: &UserCredentials{Password: Secret(*w.Password)}}, nil
	}
	return c, errors.New("neither kind")
}

func refServiceAccountCredentials(data []byte) (ServiceAccountCredentials, error) {
	var c ServiceAccountCredentials
	if isJSONNull(data) {
		return c, nil
	}
	var w refSecretFields
	if err := json.Unmarshal(data, &w); err != nil {
		return c, err
	}
	if w.ClientID == nil || w.ClientSecret == nil {
		return c, errors.New("missing")
	}
	return ServiceAccountCredentials{ClientID: *w.ClientID, ClientSecret: Secret(*w.ClientSecret)}, nil
}

func refUserCredentials(data []byte) (UserCredentials, error) {
	var c UserCredentials
	if isJSONNull(data) {
		return c, nil
	}
	var w refSecretFields
	if err := json.Unmarshal(data, &w); err != nil {
		return c, err
	}
	if w.Password == nil {
		return c, errors.New("missing")
	}
	return UserCredentials{Password: Secret(*w.Password)}, nil
}

func refPagination(data []byte) (Pagination, error) {
	var p Pagination
	if isJSONNull(data) {
		return p, nil
	}
	w := struct {
		Page         int  `json:"page"`
		PageSize     int  `json:"page_size"`
		TotalPages   *int `json:"total_pages"`
		TotalRecords *int `json:"total_records"`
	}{Page: 1, PageSize: 20}
	if err := json.Unmarshal(data, &w); err != nil {
		return p, err
	}
	if w.TotalPages == nil || w.TotalRecords == nil {
		return p, errors.New("missing")
	}
	return Pagination{Page: w.Page, PageSize: w.PageSize, TotalPages: *w.TotalPages, TotalRecords: *w.TotalRecords}, nil
}

func refResourceListUser(data []byte) (ResourceListUser, error) {
	var r ResourceListUser
	if isJSONNull(data) {
		return r, nil
	}
	var w struct {
		Records    *[]json.RawMessage `json:"records"`
		Pagination *json.RawMessage   `json:"pagination"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return r, err
	}
	if w.Records == nil || w.Pagination == nil || isJSONNull(*w.Pagination) {
		return r, errors.New("missing")
	}
	records := make([]User, 0, len(*w.Records))
	for _, raw := range *w.Records {
		u, err := refUser(raw)
		if err != nil {
			return r, err
		}
		records = append(records, u)
	}
	p, err := refPagination(*w.Pagination)
	if err != nil {
		return r, err
	}
	return ResourceListUser{Records: records, Pagination: p}, nil
}

// wireTime decodes a JSON date-time string with parseTimestamp, the way
// the reference decoders read timestamps.
type wireTime time.Time

func (w *wireTime) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("date-time must be a string: %w", err)
	}
	t, err := parseTimestamp(s)
	if err != nil {
		return err
	}
	*w = wireTime(t)
	return nil
}
