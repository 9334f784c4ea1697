package arthur

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// plain is the secret the tests put in values that must not print it;
// TestNoSecretHolderPrintsItsSecret (secret_registry_test.go) prints every
// type that holds a Secret, filled with it, every way.
const plain = "hunter2-s3cr3t"

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

func TestRedactedModelsStillShowTheirFields(t *testing.T) {
	sa := ServiceAccountCredentials{ClientID: "cid", ClientSecret: plain}
	assert.Equal(t, "{cid [REDACTED]}", fmt.Sprintf("%v", sa))
	assert.Equal(t, "{ClientID:cid ClientSecret:[REDACTED]}", fmt.Sprintf("%+v", sa))
	assert.Equal(t, `arthur.ServiceAccountCredentials{ClientID:"cid", ClientSecret:arthur.Secret("[REDACTED]")}`, fmt.Sprintf("%#v", sa))
	assert.Contains(t, fmt.Sprintf("%+v", UserServiceAccountCredentials{ID: "u-1", Credentials: sa}), "ID:u-1")
	assert.Equal(t, "arthur.Value(\"x\")", fmt.Sprintf("%#v", Value("x")))
	assert.Equal(t, "arthur.Null[string]()", fmt.Sprintf("%#v", Null[string]()))
}

// A list of secret holders, as a field or as a PATCH field's value, logs
// each item by its own LogValue: slog's JSON handler would otherwise
// marshal the list, secrets and all.
func TestListsOfSecretHoldersLogRedacted(t *testing.T) {
	const key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	fields := []ConnectorSpecField{{Key: "bucket", Value: "acme"}, {Key: "secret_access_key", Value: key}}
	for _, v := range []any{
		PostConnectorSpec{Name: "s3", Fields: fields},
		PatchConnectorSpec{Fields: Value(fields)},
		ResourceListConnectorSpec{Records: []ConnectorSpec{{Fields: []ConnectorSpecFieldWithMetadata{{Key: "secret_access_key", Value: key}}}}},
	} {
		for _, h := range []func(*bytes.Buffer) slog.Handler{
			func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
			func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		} {
			var buf bytes.Buffer
			slog.New(h(&buf)).Info("connector", "v", v)
			assert.NotContains(t, buf.String(), "wJalrXUtnFEMI", "%T", v)
			assert.Contains(t, buf.String(), "secret_access_key", "%T: the rest is logged", v)
		}
	}
}
