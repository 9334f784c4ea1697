package arthur

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const plain = "hunter2-s3cr3t"

// secretHolders are values of every model that carries a Secret, holding plain.
func secretHolders() map[string]any {
	sa := ServiceAccountCredentials{ClientID: "cid", ClientSecret: plain}
	uc := UserCredentials{Password: plain}
	return map[string]any{
		"Secret":                        Secret(plain),
		"ServiceAccountCredentials":     sa,
		"UserCredentials":               uc,
		"Credentials(service account)":  Credentials{ServiceAccount: &sa},
		"Credentials(user)":             Credentials{User: &uc},
		"SensitiveUser":                 SensitiveUser{ID: "u1", Credentials: Credentials{ServiceAccount: &sa}},
		"UserServiceAccountCredentials": UserServiceAccountCredentials{ID: "u1", Credentials: sa},
		"PostEndUser":                   PostEndUser{FirstName: "Ada", Email: "a@example.com", Password: plain},
		"Configuration":                 Configuration{Host: "https://h", AccessToken: plain},
		"Nullable[Secret]":              Value(Secret(plain)),
	}
}

func TestSecretNeverPrints(t *testing.T) {
	for name, v := range secretHolders() {
		t.Run(name, func(t *testing.T) {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%t"} {
				assert.NotContains(t, fmt.Sprintf(verb, v), plain, verb)
				assert.NotContains(t, fmt.Sprintf(verb, ptrTo(v)), plain, "pointer "+verb)
			}
			assert.NotContains(t, fmt.Sprint(v), plain)
			assert.NotContains(t, fmt.Sprintln(v), plain)

			for _, h := range []func(*bytes.Buffer) slog.Handler{
				func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
				func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
			} {
				var buf bytes.Buffer
				slog.New(h(&buf)).Info("msg", "value", v, "ptr", ptrTo(v))
				assert.NotContains(t, buf.String(), plain)
				assert.Contains(t, buf.String(), "value")
			}
		})
	}
}

func TestSecretFormats(t *testing.T) {
	s := Secret(plain)
	assert.Equal(t, "[REDACTED]", fmt.Sprintf("%v", s))
	assert.Equal(t, "[REDACTED]", s.String())
	assert.Equal(t, `arthur.Secret("[REDACTED]")`, fmt.Sprintf("%#v", s))
	assert.Equal(t, plain, s.Reveal())
}

func TestSecretMarshalsItsValue(t *testing.T) {
	b, err := json.Marshal(PostEndUser{FirstName: "Ada", Email: "a@example.com", Password: plain})
	require.NoError(t, err)
	assert.JSONEq(t, `{"first_name":"Ada","email":"a@example.com","password":"`+plain+`"}`, string(b))

	var c ServiceAccountCredentials
	require.NoError(t, json.Unmarshal([]byte(`{"client_id":"c","client_secret":"`+plain+`"}`), &c))
	assert.Equal(t, plain, c.ClientSecret.Reveal())
}

// ptrTo returns a *T pointing at a copy of v, where v holds a T.
func ptrTo(v any) any {
	p := reflect.New(reflect.TypeOf(v))
	p.Elem().Set(reflect.ValueOf(v))
	return p.Interface()
}

func TestRedactedModelsStillShowTheirFields(t *testing.T) {
	sa := ServiceAccountCredentials{ClientID: "cid", ClientSecret: plain}
	assert.Equal(t, "{cid [REDACTED]}", fmt.Sprintf("%v", sa))
	assert.Equal(t, "{ClientID:cid ClientSecret:[REDACTED]}", fmt.Sprintf("%+v", sa))
	assert.Equal(t, `arthur.ServiceAccountCredentials{ClientID:"cid", ClientSecret:arthur.Secret("[REDACTED]")}`, fmt.Sprintf("%#v", sa))
	assert.Contains(t, fmt.Sprintf("%+v", UserServiceAccountCredentials{ID: "u-1", Credentials: sa}), "ID:u-1")
	assert.Equal(t, "arthur.Value(\"x\")", fmt.Sprintf("%#v", Value("x")))
	assert.Equal(t, "arthur.Null[string]()", fmt.Sprintf("%#v", Null[string]()))
}
