package arthur

import "github.com/go-faster/jx"

// wireEncodable is a request body the pipeline writes with jx, without
// reflection. The output is what encoding/json writes for the same struct
// tags, HTML-safe escapes and U+FFFD for invalid UTF-8 included, byte for
// byte but for the spelling of a few control-character escapes (\u0008 for
// \b); the tests check it. MarshalJSON serves users of encoding/json the
// same bytes.
type wireEncodable interface {
	encodeWire(e *jx.Encoder)
}

// marshalWire returns v's JSON.
func marshalWire(v wireEncodable) []byte {
	var e jx.Encoder
	v.encodeWire(&e)
	return e.Bytes()
}

func nullableField(e *jx.Encoder, name string, n Nullable[string]) {
	switch n.state {
	case nullableNull:
		e.FieldStart(name)
		e.Null()
	case nullableValue:
		e.FieldStart(name)
		e.StrEscape(n.value)
	}
}

func optionalField(e *jx.Encoder, name string, s *string) {
	if s != nil {
		e.FieldStart(name)
		e.StrEscape(*s)
	}
}

func (b PatchUser) encodeWire(e *jx.Encoder) {
	e.ObjStart()
	nullableField(e, "first_name", b.FirstName)
	nullableField(e, "last_name", b.LastName)
	nullableField(e, "email", b.Email)
	nullableField(e, "picture", b.Picture)
	e.ObjEnd()
}

func (b PatchServiceAccountUser) encodeWire(e *jx.Encoder) {
	e.ObjStart()
	nullableField(e, "name", b.Name)
	e.ObjEnd()
}

func (b PostEndUser) encodeWire(e *jx.Encoder) {
	e.ObjStart()
	e.FieldStart("first_name")
	e.StrEscape(b.FirstName)
	optionalField(e, "last_name", b.LastName)
	e.FieldStart("email")
	e.StrEscape(b.Email)
	e.FieldStart("password")
	e.StrEscape(string(b.Password))
	optionalField(e, "picture", b.Picture)
	e.ObjEnd()
}

func (b PostServiceAccount) encodeWire(e *jx.Encoder) {
	e.ObjStart()
	e.FieldStart("name")
	e.StrEscape(b.Name)
	e.ObjEnd()
}

func (b PostGlobalRoleBinding) encodeWire(e *jx.Encoder) {
	e.ObjStart()
	e.FieldStart("role_id")
	e.StrEscape(b.RoleID)
	e.FieldStart("bound_resource_kind")
	e.StrEscape(string(b.BoundResourceKind))
	e.FieldStart("resource_id")
	e.StrEscape(b.ResourceID)
	e.ObjEnd()
}

func (b InviteNewUser) encodeWire(e *jx.Encoder) {
	e.ObjStart()
	e.FieldStart("email")
	e.StrEscape(b.Email)
	if b.RoleBinding != nil {
		e.FieldStart("role_binding")
		b.RoleBinding.encodeWire(e)
	}
	if b.GroupIDs != nil {
		e.FieldStart("group_ids")
		e.ArrStart()
		for _, id := range b.GroupIDs {
			e.StrEscape(id)
		}
		e.ArrEnd()
	}
	e.ObjEnd()
}

// MarshalJSON writes the body as the API takes it: unset fields left out,
// null ones as null.
func (b PatchUser) MarshalJSON() ([]byte, error) { return marshalWire(b), nil }

// MarshalJSON writes the body as the API takes it.
func (b PatchServiceAccountUser) MarshalJSON() ([]byte, error) { return marshalWire(b), nil }

// MarshalJSON writes the body as the API takes it, password included.
func (b PostEndUser) MarshalJSON() ([]byte, error) { return marshalWire(b), nil }

// MarshalJSON writes the body as the API takes it.
func (b PostServiceAccount) MarshalJSON() ([]byte, error) { return marshalWire(b), nil }

// MarshalJSON writes the role binding as the API takes it.
func (b PostGlobalRoleBinding) MarshalJSON() ([]byte, error) { return marshalWire(b), nil }

// MarshalJSON writes the body as the API takes it.
func (b InviteNewUser) MarshalJSON() ([]byte, error) { return marshalWire(b), nil }
