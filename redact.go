package arthur

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"strconv"
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

// deref is what p points to, nil for nil, for a log attribute: slog
// would print the pointer.
func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// logAny is v as a log value. A list or a map of values that log
// themselves (secret holders) is a group of them, by index or by key in
// order: slog's handlers would marshal it as JSON, and a secret holder
// marshals its secrets as they are sent.
func logAny(v any) slog.Value {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || !logsItself(rv.Type()) {
		return slog.AnyValue(v)
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		attrs := make([]slog.Attr, rv.Len())
		for i := range attrs {
			attrs[i] = slog.Any(strconv.Itoa(i), logAny(rv.Index(i).Interface()))
		}
		return slog.GroupValue(attrs...)
	case reflect.Map:
		keys := make([]string, 0, rv.Len())
		byKey := make(map[string]reflect.Value, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			k := fmt.Sprint(it.Key().Interface())
			keys = append(keys, k)
			byKey[k] = it.Value()
		}
		slices.Sort(keys)
		attrs := make([]slog.Attr, len(keys))
		for i, k := range keys {
			attrs[i] = slog.Any(k, logAny(byKey[k].Interface()))
		}
		return slog.GroupValue(attrs...)
	}
	return slog.AnyValue(v)
}

var logValuerType = reflect.TypeFor[slog.LogValuer]()

// logsItself reports whether t is a list or map whose items, at some depth,
// are slog.LogValuers.
func logsItself(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		e := t.Elem()
		return e.Implements(logValuerType) || logsItself(e)
	}
	return false
}

// redactedRaw is the Other of a union that holds a Secret, for printing:
// the object of a branch the SDK does not know may hold one too.
func redactedRaw(b json.RawMessage) any {
	if b == nil {
		return b
	}
	return Secret("")
}

// isSetRaw is 1 for a set Other of a union, 0 for nil.
func isSetRaw(b []byte) int {
	if b == nil {
		return 0
	}
	return 1
}

// isSet is 1 for a set branch of a union, 0 for nil.
func isSet[T any](p *T) int {
	if p == nil {
		return 0
	}
	return 1
}

// Format prints the service without its client, whatever the verb: for a
// verb it does not take, fmt would print the client it points to without
// the client's own redaction.
func (s service) Format(f fmt.State, verb rune) {
	_, _ = io.WriteString(f, "arthur.service{}")
}

// LogValue logs nothing of the service's client.
func (s service) LogValue() slog.Value { return slog.StringValue("arthur.service") }

// Format prints the pager without its client, whatever the verb, as
// service's Format does and for the same reason.
func (p pager[T]) Format(f fmt.State, verb rune) {
	_, _ = io.WriteString(f, "arthur.pager{}")
}

// LogValue logs nothing of the pager's client.
func (p pager[T]) LogValue() slog.Value { return slog.StringValue("arthur.pager") }
