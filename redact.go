package arthur

import (
	"fmt"
	"io"
	"log/slog"
)

// field is one exported field of a model, for formatFields.
type field struct {
	name  string
	value any
}

// formatFields prints a model that holds a Secret the way fmt prints a
// struct (%v, %+v, %#v), but through each field's own formatting, so the
// Secret's redaction always applies. Every other verb prints as %v: fmt's
// fallback for a verb a struct does not support would print the fields
// without their methods, secret included.
func formatFields(f fmt.State, verb rune, typeName string, fields ...field) {
	sharp := verb == 'v' && f.Flag('#')
	plus := verb == 'v' && f.Flag('+')
	if sharp {
		_, _ = io.WriteString(f, "arthur."+typeName)
	}
	_, _ = io.WriteString(f, "{")
	for i, fl := range fields {
		if i > 0 {
			if sharp {
				_, _ = io.WriteString(f, ", ")
			} else {
				_, _ = io.WriteString(f, " ")
			}
		}
		switch {
		case sharp:
			_, _ = fmt.Fprintf(f, "%s:%#v", fl.name, fl.value)
		case plus:
			_, _ = fmt.Fprintf(f, "%s:%+v", fl.name, fl.value)
		default:
			_, _ = fmt.Fprintf(f, "%v", fl.value)
		}
	}
	_, _ = io.WriteString(f, "}")
}

func (u User) fields() []field {
	return []field{
		{"CreatedAt", u.CreatedAt}, {"UpdatedAt", u.UpdatedAt}, {"OrganizationID", u.OrganizationID},
		{"ID", u.ID}, {"FirstName", u.FirstName}, {"LastName", u.LastName}, {"Email", u.Email},
		{"Picture", u.Picture}, {"UserType", u.UserType}, {"DataPlaneID", u.DataPlaneID},
		{"ClientID", u.ClientID}, {"OrganizationName", u.OrganizationName},
	}
}

// Format prints s with its credentials redacted, whatever the verb.
func (s SensitiveUser) Format(f fmt.State, verb rune) {
	formatFields(f, verb, "SensitiveUser", append(s.User().fields(), field{"Credentials", s.Credentials})...)
}

// Format prints s with its client secret redacted, whatever the verb.
func (s UserServiceAccountCredentials) Format(f fmt.State, verb rune) {
	formatFields(f, verb, "UserServiceAccountCredentials", append(s.User().fields(), field{"Credentials", s.Credentials})...)
}

// Format prints c with the secret redacted, whatever the verb.
func (c Credentials) Format(f fmt.State, verb rune) {
	formatFields(f, verb, "Credentials", field{"ServiceAccount", c.ServiceAccount}, field{"User", c.User})
}

// Format prints c with the client secret redacted, whatever the verb.
func (c ServiceAccountCredentials) Format(f fmt.State, verb rune) {
	formatFields(f, verb, "ServiceAccountCredentials", field{"ClientID", c.ClientID}, field{"ClientSecret", c.ClientSecret})
}

// Format prints c with the password redacted, whatever the verb.
func (c UserCredentials) Format(f fmt.State, verb rune) {
	formatFields(f, verb, "UserCredentials", field{"Password", c.Password})
}

// Format prints b with the password redacted, whatever the verb.
func (b PostEndUser) Format(f fmt.State, verb rune) {
	formatFields(f, verb, "PostEndUser", field{"FirstName", b.FirstName}, field{"LastName", b.LastName},
		field{"Email", b.Email}, field{"Password", b.Password}, field{"Picture", b.Picture})
}

// Format prints the service without its client, whatever the verb: for a
// verb it does not take, fmt would print the client it points to without
// the client's own redaction.
func (s service) Format(f fmt.State, verb rune) {
	_, _ = io.WriteString(f, "arthur.service{}")
}

// LogValue logs nothing of the service's client.
func (s service) LogValue() slog.Value { return slog.StringValue("arthur.service") }
