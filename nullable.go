package arthur

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
)

// Nullable is a field of a PATCH body that has three states:
//
//   - unset (the zero value): the field is left out of the JSON body and the
//     server keeps what it has;
//   - null (Null[T]()): the field is sent as JSON null and the server clears it;
//   - a value (Value(v)): the field is sent with that value. false, 0 and ""
//     are values like any other and are sent.
//
// Struct fields of this type are tagged `json:",omitzero"`; IsZero reports
// whether the field is unset.
type Nullable[T any] struct {
	value T
	state nullableState
}

type nullableState uint8

const (
	nullableUnset nullableState = iota
	nullableNull
	nullableValue
)

// Null returns a Nullable that is sent as JSON null.
func Null[T any]() Nullable[T] { return Nullable[T]{state: nullableNull} }

// Value returns a Nullable that holds v.
func Value[T any](v T) Nullable[T] { return Nullable[T]{value: v, state: nullableValue} }

// IsZero reports whether n is unset. encoding/json's omitzero uses it to leave
// unset fields out of the body.
func (n Nullable[T]) IsZero() bool { return n.state == nullableUnset }

// IsNull reports whether n is explicitly null.
func (n Nullable[T]) IsNull() bool { return n.state == nullableNull }

// IsSet reports whether n holds a value (not unset, not null).
func (n Nullable[T]) IsSet() bool { return n.state == nullableValue }

// Get returns the value and true when n holds a value, and the zero T and
// false when n is unset or null.
func (n Nullable[T]) Get() (T, bool) { return n.value, n.state == nullableValue }

// String shows the state: the value, "null", or "unset".
func (n Nullable[T]) String() string {
	switch n.state {
	case nullableNull:
		return "null"
	case nullableValue:
		return fmt.Sprint(n.value)
	default:
		return "unset"
	}
}

// Format prints the state as String does, for every verb; %#v prints the
// Go expression that builds n. A Nullable[Secret] stays redacted.
func (n Nullable[T]) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		switch n.state {
		case nullableNull:
			_, _ = fmt.Fprintf(f, "arthur.Null[%T]()", n.value)
		case nullableValue:
			_, _ = fmt.Fprintf(f, "arthur.Value(%#v)", n.value)
		default:
			_, _ = fmt.Fprintf(f, "arthur.Nullable[%T]{}", n.value)
		}
		return
	}
	_, _ = io.WriteString(f, n.String())
}

// LogValue logs the value, "null" or "unset"; a Secret value stays
// redacted.
func (n Nullable[T]) LogValue() slog.Value {
	switch n.state {
	case nullableNull:
		return slog.StringValue("null")
	case nullableValue:
		return logAny(n.value)
	}
	return slog.StringValue("unset")
}

// MarshalJSON writes null, or the value. An unset Nullable that is not left
// out by omitzero is written as null.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if n.state != nullableValue {
		return []byte("null"), nil
	}
	return json.Marshal(n.value)
}

// UnmarshalJSON reads null as Null and anything else as a value.
func (n *Nullable[T]) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		var zero T
		n.value, n.state = zero, nullableNull
		return nil
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	n.value, n.state = v, nullableValue
	return nil
}
