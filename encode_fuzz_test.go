package arthur

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// The mirror structs carry the models' tags without their MarshalJSON, so
// encoding/json writes them by reflection: the reference for the jx
// encoders.
type refPatchUser struct {
	FirstName *json.RawMessage `json:"first_name,omitempty"`
	LastName  *json.RawMessage `json:"last_name,omitempty"`
	Email     *json.RawMessage `json:"email,omitempty"`
	Picture   *json.RawMessage `json:"picture,omitempty"`
}

type refPostEndUser struct {
	FirstName string  `json:"first_name"`
	LastName  *string `json:"last_name,omitzero"`
	Email     string  `json:"email"`
	Password  string  `json:"password"`
	Picture   *string `json:"picture,omitzero"`
}

type refRoleBinding struct {
	RoleID            string `json:"role_id"`
	BoundResourceKind string `json:"bound_resource_kind"`
	ResourceID        string `json:"resource_id"`
}

type refInvite struct {
	Email       string          `json:"email"`
	RoleBinding *refRoleBinding `json:"role_binding,omitzero"`
	GroupIDs    []string        `json:"group_ids,omitzero"`
}

func refNullable(n Nullable[string]) *json.RawMessage {
	switch {
	case n.IsNull():
		r := json.RawMessage("null")
		return &r
	case n.IsSet():
		b, _ := json.Marshal(n.value)
		r := json.RawMessage(b)
		return &r
	}
	return nil
}

func nullableFrom(state uint8, v string) Nullable[string] {
	switch state % 3 {
	case 1:
		return Null[string]()
	case 2:
		return Value(v)
	}
	return Nullable[string]{}
}

func assertSameJSON(t *testing.T, got []byte, ref any) {
	t.Helper()
	want, err := json.Marshal(ref)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	// The one difference allowed is the spelling of an escaped control
	// character (\b or \u0008): the JSON must still be the same.
	var g, w any
	if !hasControl(got) || json.Unmarshal(got, &g) != nil || json.Unmarshal(want, &w) != nil || !reflect.DeepEqual(g, w) {
		t.Fatalf("jx wrote %s\nencoding/json wrote %s", got, want)
	}
}

// hasControl reports whether b holds an escaped control character, the one
// place where the two encoders may spell the same JSON differently.
func hasControl(b []byte) bool {
	return bytes.Contains(b, []byte(`\u00`)) || bytes.Contains(b, []byte(`\b`)) || bytes.Contains(b, []byte(`\f`))
}

func FuzzEncodeRequestBodies(f *testing.F) {
	for _, s := range []string{"Ada", "", "<a href='x'>&</a>", "\u2028\u2029", "\xff\xfe bad utf-8", "quote \" back \\ slash",
		"\x00\x01\x1f control", "日本語 😀", "\xed\xa0\x80 surrogate"} {
		f.Add(s, s+"2", uint8(0), uint8(1), uint8(2), true)
	}
	f.Fuzz(func(t *testing.T, a, b string, s1, s2, s3 uint8, flag bool) {
		p := PatchUser{FirstName: nullableFrom(s1, a), LastName: nullableFrom(s2, b), Email: nullableFrom(s3, a), Picture: nullableFrom(s1+s2, b)}
		assertSameJSON(t, marshalWire(p), refPatchUser{refNullable(p.FirstName), refNullable(p.LastName), refNullable(p.Email), refNullable(p.Picture)})
		viaJSON, err := json.Marshal(p)
		if err != nil || !json.Valid(viaJSON) || !bytes.Equal(viaJSON, marshalWire(p)) && !hasControl(viaJSON) {
			t.Fatalf("json.Marshal(PatchUser) = %s, %v", viaJSON, err)
		}

		var last, pic *string
		if flag {
			last, pic = &b, &a
		}
		u := PostEndUser{FirstName: a, LastName: last, Email: b, Password: Secret(a + b), Picture: pic}
		assertSameJSON(t, marshalWire(u), refPostEndUser{a, last, b, a + b, pic})

		assertSameJSON(t, marshalWire(PostServiceAccount{Name: a}), struct {
			Name string `json:"name"`
		}{a})
		sa := PatchServiceAccountUser{Name: nullableFrom(s1, b)}
		assertSameJSON(t, marshalWire(sa), struct {
			Name *json.RawMessage `json:"name,omitempty"`
		}{refNullable(sa.Name)})

		inv := InviteNewUser{Email: a}
		ref := refInvite{Email: a}
		if flag {
			inv.RoleBinding = &PostGlobalRoleBinding{RoleID: a, BoundResourceKind: BoundResourceKind(b), ResourceID: b}
			ref.RoleBinding = &refRoleBinding{a, b, b}
		}
		switch s2 % 3 {
		case 1:
			inv.GroupIDs, ref.GroupIDs = []string{}, []string{}
		case 2:
			inv.GroupIDs, ref.GroupIDs = []string{a, b}, []string{a, b}
		}
		assertSameJSON(t, marshalWire(inv), ref)
	})
}
