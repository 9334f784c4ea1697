package arthur

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/go-faster/jx"
)

// wireDecoder reads the API's JSON without reflection, with jx. It accepts
// exactly what encoding/json accepts for the same models, with the same
// results, and allocates far less:
//
//   - A string that is not escaped is not copied: it points into input.
//     input must therefore never change once decoding starts; the pipeline
//     gives each response body its own buffer, and UnmarshalJSON copies the
//     bytes encoding/json lends it.
//   - A User's optional strings share one allocation.
//   - Timestamps are parsed in place, with time.Parse kept for rare shapes.
type wireDecoder struct {
	d     *jx.Decoder
	input []byte
	zone  *time.Location // the last fixed zone made, reused while offsets repeat
	off   int
}

func newWireDecoder(input []byte) *wireDecoder {
	return &wireDecoder{d: jx.DecodeBytes(input), input: input}
}

// decodeOwned decodes input, which the caller hands over for good, with
// decode, and checks that nothing but white space follows the value.
func decodeOwned(input []byte, decode func(*wireDecoder) error) error {
	w := newWireDecoder(input)
	if err := decode(w); err != nil {
		return err
	}
	return w.end()
}

// decodeBorrowed is decodeOwned for bytes the caller keeps, such as those
// encoding/json passes to UnmarshalJSON: it decodes a private copy.
func decodeBorrowed(data []byte, decode func(*wireDecoder) error) error {
	return decodeOwned(append([]byte(nil), data...), decode)
}

// end checks that only white space is left.
func (w *wireDecoder) end() error {
	if err := w.d.Skip(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// null reports whether the next value is null, and consumes it if so.
func (w *wireDecoder) null() (bool, error) {
	if w.d.Next() != jx.Null {
		return false, nil
	}
	return true, w.d.Null()
}

// str reads a string. An unescaped string that lies in input is not copied.
func (w *wireDecoder) str() (string, error) {
	b, err := w.d.StrBytes()
	if err != nil {
		return "", err
	}
	if len(b) == 0 {
		return "", nil
	}
	if !utf8.Valid(b) {
		return fixUTF8(b), nil
	}
	if w.inInput(b) {
		return unsafe.String(&b[0], len(b)), nil
	}
	return string(b), nil
}

// inInput reports whether b is a sub-slice of w.input.
func (w *wireDecoder) inInput(b []byte) bool {
	if len(w.input) == 0 {
		return false
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(w.input)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= start && p+uintptr(len(b)) <= start+uintptr(len(w.input))
}

// fixUTF8 replaces each byte of an invalid UTF-8 sequence with U+FFFD, as
// encoding/json does.
func fixUTF8(b []byte) string {
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return string(out)
}

// int reads an integer as encoding/json reads one into an int: no fraction,
// no exponent, no overflow.
func (w *wireDecoder) int() (int, error) {
	if w.d.Next() != jx.Number {
		return 0, fmt.Errorf("expected a number, got %s", w.d.Next())
	}
	return w.d.Int()
}

// timestamp reads a date-time string.
func (w *wireDecoder) timestamp() (time.Time, error) {
	b, err := w.d.StrBytes()
	if err != nil {
		return time.Time{}, err
	}
	if t, ok := w.fastTimestamp(b); ok {
		return t, nil
	}
	return parseTimestamp(string(b))
}

// fastTimestamp parses the shapes the API writes,
// 2006-01-02T15:04:05[.fraction][Z|±hh:mm], checking every field as
// time.Parse does. Anything else goes to parseTimestamp.
func (w *wireDecoder) fastTimestamp(b []byte) (time.Time, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest := b[19:]
	nsec := 0
	if len(rest) > 0 && rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 {
			return time.Time{}, false
		}
		frac, _ := digits(rest[1:n])
		for i := n; i < 10; i++ {
			frac *= 10
		}
		nsec, rest = frac, rest[n:]
	}
	loc := time.UTC
	switch {
	case len(rest) == 0 || (len(rest) == 1 && rest[0] == 'Z'):
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, okh := digits(rest[1:3])
		om, okm := digits(rest[4:6])
		if !okh || !okm || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		off := (oh*60 + om) * 60
		if rest[0] == '-' {
			off = -off
		}
		if off != 0 {
			loc = w.fixedZone(off)
		}
	default:
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc), true
}

func (w *wireDecoder) fixedZone(off int) *time.Location {
	if w.zone == nil || w.off != off {
		w.zone, w.off = time.FixedZone("", off), off
	}
	return w.zone
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(m time.Month, year int) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// Bits of the User fields seen, for the required-field check.
const (
	seenCreatedAt uint8 = 1 << iota
	seenUpdatedAt
	seenOrganizationID
	seenID
	seenFirstName
	seenUserType
	seenOrganizationName
	seenAllUser = 1<<iota - 1
)

var userRequired = [...]struct {
	bit  uint8
	name string
}{
	{seenCreatedAt, "created_at"}, {seenUpdatedAt, "updated_at"}, {seenOrganizationID, "organization_id"},
	{seenID, "id"}, {seenFirstName, "first_name"}, {seenUserType, "user_type"},
	{seenOrganizationName, "organization_name"},
}

// userOptional holds a User's optional strings in one allocation.
type userOptional struct {
	lastName, email, picture, dataPlaneID, clientID string
}

// user decodes a User object. extra, when set, decodes the keys a User does
// not have (credentials) and reports whether it took the key.
func (w *wireDecoder) user(model string, u *User, extra func(key []byte) (bool, error)) error {
	if null, err := w.null(); null || err != nil {
		return err // null leaves u as it is, as encoding/json does
	}
	var (
		v    User
		seen uint8
		opt  *userOptional
	)
	err := w.d.ObjBytes(func(_ *jx.Decoder, key []byte) error {
		var (
			bit uint8
			ok  bool
			err error
		)
		switch string(key) {
		case "created_at":
			bit = seenCreatedAt
			v.CreatedAt, ok, err = w.requiredTime()
		case "updated_at":
			bit = seenUpdatedAt
			v.UpdatedAt, ok, err = w.requiredTime()
		case "organization_id":
			bit = seenOrganizationID
			v.OrganizationID, ok, err = w.requiredStr()
		case "id":
			bit = seenID
			v.ID, ok, err = w.requiredStr()
		case "first_name":
			bit = seenFirstName
			v.FirstName, ok, err = w.requiredStr()
		case "user_type":
			bit = seenUserType
			var t string
			t, ok, err = w.requiredStr()
			v.UserType = UserType(t)
		case "organization_name":
			bit = seenOrganizationName
			v.OrganizationName, ok, err = w.requiredStr()
		case "last_name", "email", "picture", "data_plane_id", "client_id":
			if opt == nil {
				opt = new(userOptional)
			}
			return w.optionalStr(string(key), &v, opt)
		default:
			if extra != nil {
				if took, err := extra(key); took || err != nil {
					return err
				}
			}
			return w.d.Skip()
		}
		if ok {
			seen |= bit
		} else {
			seen &^= bit
		}
		return err
	})
	if err != nil {
		return err
	}
	if seen != seenAllUser {
		var missing []string
		for _, r := range userRequired {
			if seen&r.bit == 0 {
				missing = append(missing, r.name)
			}
		}
		return missingFieldsError(model, missing)
	}
	*u = v
	return nil
}

// requiredStr reads a string; ok is false for null, which encoding/json
// reads as "absent" for a required field.
func (w *wireDecoder) requiredStr() (s string, ok bool, err error) {
	if null, err := w.null(); err != nil || null {
		return "", false, err
	}
	s, err = w.str()
	return s, err == nil, err
}

// requiredTime is requiredStr for a date-time.
func (w *wireDecoder) requiredTime() (t time.Time, ok bool, err error) {
	if null, err := w.null(); err != nil || null {
		return time.Time{}, false, err
	}
	t, err = w.timestamp()
	return t, err == nil, err
}

// optionalStr reads one of a User's nullable strings into v, its value
// stored in opt.
func (w *wireDecoder) optionalStr(key string, v *User, opt *userOptional) error {
	var dst **string
	var cell *string
	switch key {
	case "last_name":
		dst, cell = &v.LastName, &opt.lastName
	case "email":
		dst, cell = &v.Email, &opt.email
	case "picture":
		dst, cell = &v.Picture, &opt.picture
	case "data_plane_id":
		dst, cell = &v.DataPlaneID, &opt.dataPlaneID
	default:
		dst, cell = &v.ClientID, &opt.clientID
	}
	if null, err := w.null(); err != nil || null {
		*dst = nil
		return err
	}
	s, err := w.str()
	if err != nil {
		return err
	}
	*cell, *dst = s, cell
	return nil
}

var openBrace = []byte{'{'}

// users decodes an array of User into dst.
func (w *wireDecoder) users(dst *[]User) error {
	if null, err := w.null(); null || err != nil {
		*dst = nil
		return err
	}
	out := (*dst)[:0]
	if out == nil {
		// Each record is one JSON object, so the number of '{' in the body
		// (a fast, vectorised count) sizes the slice once, where growing it
		// would copy it ten times for 1000 users. A brace inside a string
		// only makes the slice a little larger.
		out = make([]User, 0, max(bytes.Count(w.input, openBrace), 1))
	}
	err := w.d.Arr(func(*jx.Decoder) error {
		out = append(out, User{})
		return w.user("User", &out[len(out)-1], nil)
	})
	*dst = out
	return err
}

func (w *wireDecoder) pagination(p *Pagination) error {
	if null, err := w.null(); null || err != nil {
		return err
	}
	v := Pagination{Page: 1, PageSize: 20}
	var hasPages, hasRecords bool
	err := w.d.ObjBytes(func(_ *jx.Decoder, key []byte) error {
		var dst *int
		var seen *bool
		switch string(key) {
		case "page":
			dst = &v.Page
		case "page_size":
			dst = &v.PageSize
		case "total_pages":
			dst, seen = &v.TotalPages, &hasPages
		case "total_records":
			dst, seen = &v.TotalRecords, &hasRecords
		default:
			return w.d.Skip()
		}
		null, err := w.null()
		if err != nil {
			return err
		}
		if null {
			if seen != nil {
				*seen = false
			}
			return nil
		}
		n, err := w.int()
		if err != nil {
			return err
		}
		*dst = n
		if seen != nil {
			*seen = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := requireSeen("Pagination", seenField{"total_pages", hasPages}, seenField{"total_records", hasRecords}); err != nil {
		return err
	}
	*p = v
	return nil
}

func (w *wireDecoder) resourceListUser(r *ResourceListUser) error {
	if null, err := w.null(); null || err != nil {
		return err
	}
	var v ResourceListUser
	var hasRecords, hasPagination bool
	err := w.d.ObjBytes(func(_ *jx.Decoder, key []byte) error {
		switch string(key) {
		case "records":
			if null, err := w.null(); err != nil || null {
				hasRecords = false
				return err
			}
			hasRecords = true
			return w.users(&v.Records)
		case "pagination":
			if null, err := w.null(); err != nil || null {
				hasPagination = false
				return err
			}
			hasPagination = true
			return w.pagination(&v.Pagination)
		}
		return w.d.Skip()
	})
	if err != nil {
		return err
	}
	if err := requireSeen("ResourceList[User]", seenField{"records", hasRecords}, seenField{"pagination", hasPagination}); err != nil {
		return err
	}
	*r = v
	return nil
}

// seenField is a required field and whether the object had it.
type seenField struct {
	name string
	seen bool
}

// requireSeen reports the required fields of model that were not seen.
func requireSeen(model string, fields ...seenField) error {
	var missing []string
	for _, f := range fields {
		if !f.seen {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return missingFieldsError(model, missing)
	}
	return nil
}

// secretFields reads the keys of both credential kinds; a nil pointer is a
// key that was absent or null.
type secretFields struct {
	clientID, clientSecret, password *string
}

func (w *wireDecoder) secretFields(f *secretFields) error {
	return w.d.ObjBytes(func(_ *jx.Decoder, key []byte) error {
		var dst **string
		switch string(key) {
		case "client_id":
			dst = &f.clientID
		case "client_secret":
			dst = &f.clientSecret
		case "password":
			dst = &f.password
		default:
			return w.d.Skip()
		}
		if null, err := w.null(); err != nil || null {
			*dst = nil
			return err
		}
		s, err := w.str()
		if err != nil {
			return err
		}
		*dst = &s
		return nil
	})
}

// credentialKeys reads a credentials object into f; present is false for
// null, which leaves the model as it is, as encoding/json does.
func (w *wireDecoder) credentialKeys(f *secretFields) (present bool, err error) {
	if null, err := w.null(); null || err != nil {
		return false, err
	}
	return true, w.secretFields(f)
}

func (w *wireDecoder) serviceAccountCredentials(c *ServiceAccountCredentials) error {
	var f secretFields
	if present, err := w.credentialKeys(&f); !present || err != nil {
		return err
	}
	if err := requireSeen("ServiceAccountCredentials", seenField{"client_id", f.clientID != nil},
		seenField{"client_secret", f.clientSecret != nil}); err != nil {
		return err
	}
	*c = ServiceAccountCredentials{ClientID: *f.clientID, ClientSecret: Secret(*f.clientSecret)}
	return nil
}

func (w *wireDecoder) userCredentials(c *UserCredentials) error {
	var f secretFields
	if present, err := w.credentialKeys(&f); !present || err != nil {
		return err
	}
	if err := requireSeen("UserCredentials", seenField{"password", f.password != nil}); err != nil {
		return err
	}
	c.Password = Secret(*f.password)
	return nil
}

func (w *wireDecoder) credentials(c *Credentials) error {
	var f secretFields
	if present, err := w.credentialKeys(&f); !present || err != nil {
		return err
	}
	switch {
	case f.clientID != nil && f.clientSecret != nil:
		*c = Credentials{ServiceAccount: &ServiceAccountCredentials{ClientID: *f.clientID, ClientSecret: Secret(*f.clientSecret)}}
	case f.password != nil:
		*c = Credentials{User: &UserCredentials{Password: Secret(*f.password)}}
	default:
		return errors.New("Credentials: neither client_id and client_secret (ServiceAccountCredentials) nor password (UserCredentials)")
	}
	return nil
}

// userWith decodes a User object that also has credentials, which creds
// decodes; the credentials are required.
func (w *wireDecoder) userWith(model string, creds func() error) (User, error) {
	var u User
	has := false
	err := w.user(model, &u, func(key []byte) (bool, error) {
		if string(key) != "credentials" {
			return false, nil
		}
		null, err := w.null()
		if err != nil || null {
			has = false
			return true, err
		}
		has = true
		return true, creds()
	})
	if err == nil && !has {
		err = missingFieldsError(model, []string{"credentials"})
	}
	return u, err
}

func (w *wireDecoder) sensitiveUser(s *SensitiveUser) error {
	if null, err := w.null(); null || err != nil {
		return err
	}
	var creds Credentials
	u, err := w.userWith("SensitiveUser", func() error { return w.credentials(&creds) })
	if err != nil {
		return err
	}
	s.setUser(u)
	s.Credentials = creds
	return nil
}

func (w *wireDecoder) userServiceAccountCredentials(s *UserServiceAccountCredentials) error {
	if null, err := w.null(); null || err != nil {
		return err
	}
	var creds ServiceAccountCredentials
	u, err := w.userWith("UserServiceAccountCredentials", func() error { return w.serviceAccountCredentials(&creds) })
	if err != nil {
		return err
	}
	s.setUser(u)
	s.Credentials = creds
	return nil
}

// wireDecodable is a model the pipeline decodes with a wireDecoder.
type wireDecodable interface {
	decodeWire(w *wireDecoder) error
}

func (u *User) decodeWire(w *wireDecoder) error             { return w.user("User", u, nil) }
func (r *ResourceListUser) decodeWire(w *wireDecoder) error { return w.resourceListUser(r) }
func (s *SensitiveUser) decodeWire(w *wireDecoder) error    { return w.sensitiveUser(s) }
func (s *UserServiceAccountCredentials) decodeWire(w *wireDecoder) error {
	return w.userServiceAccountCredentials(s)
}
