package arthur

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const userJSON = `{"created_at":"2025-01-01T10:11:12.123456Z","updated_at":"2025-01-02T10:11:12.5+02:00",
"organization_id":"5f0c1a3e-8b2d-4c6e-9f10-1a2b3c4d5e6f","id":"0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d",
"first_name":"Ada","last_name":null,"email":"ada@example.com","user_type":"user",
"data_plane_id":null,"client_id":null,"organization_name":"Acme"}`

func TestUserDecodes(t *testing.T) {
	var u User
	require.NoError(t, json.Unmarshal([]byte(userJSON), &u))
	assert.Equal(t, "0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d", u.ID)
	assert.Equal(t, "Ada", u.FirstName)
	assert.Nil(t, u.LastName)
	require.NotNil(t, u.Email)
	assert.Equal(t, "ada@example.com", *u.Email)
	assert.Nil(t, u.Picture, "absent picture")
	assert.Equal(t, UserTypeUser, u.UserType)
	assert.Equal(t, time.Date(2025, 1, 1, 10, 11, 12, 123456000, time.UTC), u.CreatedAt.UTC())
	assert.Equal(t, time.Date(2025, 1, 2, 8, 11, 12, 500000000, time.UTC), u.UpdatedAt.UTC())
}

func TestUserDecodingIsTolerant(t *testing.T) {
	withExtra := userJSON[:len(userJSON)-1] + `,"new_field":{"nested":[1,2]},"another":true}`
	var u User
	require.NoError(t, json.Unmarshal([]byte(withExtra), &u), "unknown fields are ignored")
	assert.Equal(t, "Ada", u.FirstName)

	var v User
	require.NoError(t, json.Unmarshal([]byte(replace(userJSON, `"user_type":"user"`, `"user_type":"robot"`)), &v))
	assert.Equal(t, UserType("robot"), v.UserType)
	assert.False(t, v.UserType.IsValid())
}

// TestRequiredFields leaves each key out of a sample of each object model
// in turn: a required field that is not nullable is a missing field, an
// error that names it; any other may be left out.
func TestRequiredFields(t *testing.T) {
	spec := specOf(t)
	for _, m := range spec.models {
		if m.reg.kind != "object" {
			continue
		}
		full := (&sampler{spec: spec, style: stringStyles[0]}).pairs(m.schema, 0)
		for _, p := range full {
			f := m.byKey[p.key]
			err := sdkUnmarshal(m.reg.newValue(), []byte(object(without(full, p.key))))
			if f.required && !f.nullable {
				if assert.Error(t, err, "%s without %s", m.reg.schema, p.key) {
					assert.Equal(t, m.reg.title+": missing required field(s) "+p.key, err.Error())
				}
			} else {
				assert.NoError(t, err, "%s without %s", m.reg.schema, p.key)
			}
		}
	}
	var u User
	require.NoError(t, json.Unmarshal([]byte(replace(userJSON, `"last_name":null,`, ``)), &u),
		"last_name is nullable: absent reads as null")
	assert.Nil(t, u.LastName)
}

func TestUserWrongTypes(t *testing.T) {
	for _, bad := range []string{
		replace(userJSON, `"first_name":"Ada"`, `"first_name":7`),
		replace(userJSON, `"created_at":"2025-01-01T10:11:12.123456Z"`, `"created_at":"yesterday"`),
		replace(userJSON, `"created_at":"2025-01-01T10:11:12.123456Z"`, `"created_at":17`),
		`[1,2]`, `"user"`,
	} {
		var u User
		assert.Error(t, json.Unmarshal([]byte(bad), &u), bad)
	}
}

func TestTimestampForms(t *testing.T) {
	want := time.Date(2025, 1, 1, 10, 11, 12, 123456000, time.UTC)
	for _, s := range []string{
		"2025-01-01T10:11:12.123456Z",
		"2025-01-01T10:11:12.123456+00:00",
		"2025-01-01T12:11:12.123456+02:00",
		"2025-01-01T10:11:12.123456",
	} {
		got, err := parseTimestamp(s)
		require.NoError(t, err, s)
		assert.True(t, want.Equal(got), "%s: got %v", s, got)
	}
	got, err := parseTimestamp("2025-01-01T10:11:12")
	require.NoError(t, err)
	assert.Equal(t, time.UTC, got.Location(), "a naive timestamp is read as UTC")
	for _, bad := range []string{"", "2025-01-01", "2025-13-01T10:11:12Z", "10:11:12", "2025-01-01T10:11:12+25:00"} {
		_, err := parseTimestamp(bad)
		assert.Error(t, err, bad)
	}
}

func TestCredentialsUnion(t *testing.T) {
	var c Credentials
	require.NoError(t, json.Unmarshal([]byte(`{"client_id":"cid","client_secret":"s"}`), &c))
	require.NotNil(t, c.ServiceAccount)
	assert.Nil(t, c.User)
	assert.Equal(t, "cid", c.ServiceAccount.ClientID)
	assert.Equal(t, "s", c.ServiceAccount.ClientSecret.Reveal())

	c = Credentials{}
	require.NoError(t, json.Unmarshal([]byte(`{"password":"p","extra":1}`), &c))
	require.NotNil(t, c.User)
	assert.Nil(t, c.ServiceAccount)
	assert.Equal(t, "p", c.User.Password.Reveal())

	for _, bad := range []string{`{}`, `{"client_id":"only"}`, `{"client_secret":"only"}`, `{"password":5}`, `[]`} {
		c = Credentials{}
		assert.Error(t, json.Unmarshal([]byte(bad), &c), bad)
	}

	b, err := json.Marshal(Credentials{User: &UserCredentials{Password: "p"}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"password":"p"}`, string(b))
	_, err = json.Marshal(Credentials{})
	assert.Error(t, err)
}

func TestSensitiveUserDecodes(t *testing.T) {
	body := userJSON[:len(userJSON)-1] + `,"credentials":{"password":"one-time"}}`
	var s SensitiveUser
	require.NoError(t, json.Unmarshal([]byte(body), &s))
	assert.Equal(t, "Ada", s.FirstName)
	require.NotNil(t, s.Credentials.User)
	assert.Equal(t, "one-time", s.Credentials.User.Password.Reveal())
	assert.Equal(t, s.ID, s.User().ID)

	var missing SensitiveUser
	err := json.Unmarshal([]byte(userJSON), &missing)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "credentials")
}

func TestUserServiceAccountCredentialsDecodes(t *testing.T) {
	body := replace(userJSON, `"user_type":"user"`, `"user_type":"service_account"`)
	body = body[:len(body)-1] + `,"credentials":{"client_id":"cid","client_secret":"sec"}}`
	var s UserServiceAccountCredentials
	require.NoError(t, json.Unmarshal([]byte(body), &s))
	assert.Equal(t, "cid", s.Credentials.ClientID)
	assert.Equal(t, "sec", s.Credentials.ClientSecret.Reveal())
	assert.Equal(t, UserTypeServiceAccount, s.UserType)

	var bad UserServiceAccountCredentials
	assert.Error(t, json.Unmarshal([]byte(body[:len(body)-len(`,"credentials":{"client_id":"cid","client_secret":"sec"}}`)]+`,"credentials":{"password":"x"}}`), &bad))
}

func TestResourceListUserDecodes(t *testing.T) {
	var r ResourceListUser
	require.NoError(t, json.Unmarshal([]byte(`{"records":[`+userJSON+`],"pagination":{"total_pages":3,"total_records":41}}`), &r))
	require.Len(t, r.Records, 1)
	assert.Equal(t, Pagination{Page: 1, PageSize: 20, TotalPages: 3, TotalRecords: 41}, r.Pagination, "page and page_size take the spec's defaults")

	for _, bad := range []string{
		`{"pagination":{"total_pages":0,"total_records":0}}`,
		`{"records":[]}`,
		`{"records":[],"pagination":{"total_records":0}}`,
		`{"records":[{}],"pagination":{"total_pages":1,"total_records":1}}`,
		`{"records":[],"pagination":{"total_pages":"1","total_records":1}}`,
	} {
		var r ResourceListUser
		assert.Error(t, json.Unmarshal([]byte(bad), &r), bad)
	}
}

func TestValidationErrorLoc(t *testing.T) {
	var e HTTPValidationError
	require.NoError(t, json.Unmarshal([]byte(`{"detail":[{"loc":["query","user_ids",0],"msg":"Input should be a valid UUID","type":"uuid_parsing","input":"x","ctx":{"error":"bad"}}]}`), &e))
	require.Len(t, e.Detail, 1)
	assert.Equal(t, []any{"query", "user_ids", 0}, e.Detail[0].Loc)
	assert.Equal(t, "x", e.Detail[0].Input)
	assert.Equal(t, map[string]any{"error": "bad"}, e.Detail[0].Ctx)
	assert.Equal(t, "query.user_ids.0: Input should be a valid UUID", e.Error())

	var bad ValidationError
	assert.Error(t, json.Unmarshal([]byte(`{"loc":[1.5],"msg":"m","type":"t"}`), &bad))
}

// TestEnumsIsValid checks each enum of the registry: its values are the
// spec's, All<T>Values lists them in order, IsValid takes each and nothing
// else.
func TestEnumsIsValid(t *testing.T) {
	spec := specOf(t)
	for _, m := range spec.models {
		if m.reg.kind != "enum" {
			continue
		}
		var want []string
		for _, raw := range m.schema.Enum {
			want = append(want, string(raw))
		}
		assert.Equal(t, want, enumJSON(m), m.reg.schema)
		all := reflect.ValueOf(m.reg.allValues)
		require.Equal(t, len(want), all.Len(), "All%sValues", m.typ.Name())
		isValid := func(v reflect.Value) bool { return v.Interface().(interface{ IsValid() bool }).IsValid() }
		for i, v := range enumValues(m) {
			assert.Equal(t, v.Interface(), all.Index(i).Interface(), "All%sValues[%d]", m.typ.Name(), i)
			assert.True(t, isValid(v), "%s(%v)", m.typ.Name(), v)
		}
		// Values near the known ones that are none of them.
		var others []reflect.Value
		for _, v := range enumValues(m) {
			if m.typ.Kind() == reflect.Int {
				for _, n := range []int64{0, v.Int() + 1, v.Int() - 1, -v.Int()} {
					others = append(others, reflect.ValueOf(n).Convert(m.typ))
				}
				continue
			}
			for _, s := range []string{"", "galaxy", strings.ToUpper(v.String()), strings.ToLower(v.String()), v.String() + " "} {
				others = append(others, reflect.ValueOf(s).Convert(m.typ))
			}
		}
		for _, v := range others {
			if !slices.Contains(want, valueJSON(v)) {
				assert.False(t, isValid(v), "%s(%v)", m.typ.Name(), v)
			}
		}
	}
	assert.Equal(t, []JobPriority{100, 200, 300, 400}, AllJobPriorityValues)
	assert.Equal(t, []UserType{"user", "data_plane", "service_account"}, AllUserTypeValues)
}

func replace(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("replace: " + old + " not found")
	}
	return strings.Replace(s, old, new, 1)
}

// TestOptionalZeroTime: an optional *time.Time that points to the zero time
// is left out, as encoding/json's omitzero leaves it out (it calls IsZero),
// and so comes back nil.
func TestOptionalZeroTime(t *testing.T) {
	zero := time.Time{}
	want, err := json.Marshal(struct {
		LastFetched *time.Time `json:"last_fetched,omitzero"`
	}{&zero})
	require.NoError(t, err)
	require.Equal(t, `{}`, string(want))

	got, err := json.Marshal(Agent{Name: "a", DataPlaneID: "d", TaskID: "t", LastFetched: &zero,
		CreationSource: AgentCreationSource{ManualAgentCreationSource: &ManualAgentCreationSource{}}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"a","data_plane_id":"d","task_id":"t","creation_source":{"type":"MANUAL"}}`, string(got),
		"the zero time left out, the branch's tag written")

	spec := specOf(t)
	checkModel(t, spec, spec.byName["Agent"], []byte(`{"name":"a","data_plane_id":"d","task_id":"t",
		"creation_source":{"type":"MANUAL"},"last_fetched":"0001-01-01T00:00:00Z"}`))
}
