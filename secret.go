package arthur

import (
	"fmt"
	"io"
	"log/slog"
)

// redacted is what every Secret prints instead of its value.
const redacted = "[REDACTED]"

// Secret holds a password, client secret or other credential.
//
// It prints as [REDACTED] through every fmt verb and through log/slog, so a
// Secret that ends up in a log line or an error message does not leak. It
// marshals to JSON as its real value, because the API needs it on the wire.
// Reveal returns the value for code that must use it.
type Secret string

// Reveal returns the secret's real value.
func (s Secret) Reveal() string { return string(s) }

// String returns [REDACTED].
func (s Secret) String() string { return redacted }

// GoString returns a redacted Go expression, for %#v.
func (s Secret) GoString() string { return `arthur.Secret("` + redacted + `")` }

// Format writes [REDACTED] for every verb, so even %x or %q of a Secret
// shows nothing of its value.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, s.GoString())
		return
	}
	_, _ = io.WriteString(f, redacted)
}

// LogValue makes slog log [REDACTED] in place of the value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
