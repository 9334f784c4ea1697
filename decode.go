package arthur

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-faster/jx"
)

// wireDecoder reads the API's JSON without reflection, with jx. It accepts
// exactly what encoding/json accepts for the same models, with the same
// results, and allocates far less:
//
//   - Strings are unescaped straight into a scratch buffer that the decoder
//     reuses. When a User ends, its strings are copied out of it together,
//     into one allocation, and its optional strings that are set get one
//     more. So a kept ID holds that user's strings, a few hundred bytes,
//     and never the response body: nothing decoded points into input.
//   - A user whose organization ID or name is the previous user's shares
//     the previous user's string; the user types the SDK knows are its
//     constants.
//   - Timestamps are parsed in place, with time.Parse kept for rare shapes.
//   - A page in the shape the API sends is read straight from the input by
//     a scan, with no call into jx per token or per escape; a page in any
//     other shape is read with jx from its start, so both read it alike.
//
// Input is only read while decoding, and must not change until then.
type wireDecoder struct {
	d       *jx.Decoder
	input   []byte
	scratch []byte    // decoded strings of the record being read
	first   [512]byte // scratch's first buffer, which most records fit
	// shared are the previous user's organization ID and name, which the
	// next user most likely has too, and otherType the last user type read
	// that the SDK does not know.
	shared    [sharedCount]string
	otherType string
	zone      *time.Location // the last fixed zone made, reused while offsets repeat
	off       int
	// validUTF8 is whether input is valid UTF-8, checked once for all its
	// strings: then each string is too, since quotes and backslashes,
	// ASCII, end every sequence, and escapes write only whole ones.
	validUTF8 bool
}

func newWireDecoder(input []byte) *wireDecoder {
	w := &wireDecoder{d: jx.DecodeBytes(input), input: input, validUTF8: utf8.Valid(input)}
	w.scratch = w.first[:0]
	return w
}

// decodeWith decodes input with decode, and checks that nothing but white
// space follows the value. Nothing decoded points into input, so the
// pipeline's body buffer and the bytes encoding/json lends UnmarshalJSON are
// free once it returns.
func decodeWith(input []byte, decode func(*wireDecoder) error) error {
	w := newWireDecoder(input)
	if err := decode(w); err != nil {
		return err
	}
	return w.end()
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

// span is where a decoded string lies in the scratch buffer.
type span struct{ start, end int }

// appendStr reads a string, unescaped, onto the end of the scratch buffer,
// with each byte of invalid UTF-8 replaced by U+FFFD as encoding/json does,
// and returns where it lies.
func (w *wireDecoder) appendStr() (span, error) {
	start := len(w.scratch)
	b, err := w.d.StrAppend(w.scratch)
	if err != nil {
		return span{}, err
	}
	if !w.validUTF8 && !utf8.Valid(b[start:]) {
		b = append(b[:start], fixUTF8(b[start:])...)
	}
	w.scratch = b
	return span{start, len(b)}, nil
}

// str reads a string into an allocation of its own.
func (w *wireDecoder) str() (string, error) {
	start := len(w.scratch)
	sp, err := w.appendStr()
	if err != nil {
		return "", err
	}
	s := string(w.scratch[sp.start:sp.end])
	w.scratch = w.scratch[:start]
	return s, nil
}

// fixUTF8 replaces each byte of an invalid UTF-8 sequence with U+FFFD, as
// encoding/json does. The result may be longer than b: 1 byte becomes 3.
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

// The strings of a User but its type, which userType reads.
const (
	strOrganizationID = iota // shared by the users of a page, as a rule
	strOrganizationName
	strID
	strFirstName
	strLastName // the optional ones from here on
	strEmail
	strPicture
	strDataPlaneID
	strClientID
	userStrCount
	sharedCount   = strOrganizationName + 1
	firstOptional = strLastName
)

// userRecord is what user gathers of a User's strings while it reads the
// object: where each lies in the scratch buffer and which were set; a
// shared string that is the previous user's is not copied again.
type userRecord struct {
	spans  [userStrCount]span
	set    uint16 // a bit per string: a value, not null or absent
	reused uint16 // a bit per shared string: the previous user's
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
		rec  userRecord
	)
	w.scratch = w.scratch[:0]
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
			ok, err = w.recordStr(&rec, strOrganizationID)
		case "id":
			bit = seenID
			ok, err = w.recordStr(&rec, strID)
		case "first_name":
			bit = seenFirstName
			ok, err = w.recordStr(&rec, strFirstName)
		case "user_type":
			bit = seenUserType
			v.UserType, ok, err = w.userType()
		case "organization_name":
			bit = seenOrganizationName
			ok, err = w.recordStr(&rec, strOrganizationName)
		case "last_name":
			_, err = w.recordStr(&rec, strLastName)
			return err
		case "email":
			_, err = w.recordStr(&rec, strEmail)
			return err
		case "picture":
			_, err = w.recordStr(&rec, strPicture)
			return err
		case "data_plane_id":
			_, err = w.recordStr(&rec, strDataPlaneID)
			return err
		case "client_id":
			_, err = w.recordStr(&rec, strClientID)
			return err
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
	w.setStrings(&v, &rec)
	*u = v
	return nil
}

// recordStr reads string i of a User into rec; ok is false for null, which
// encoding/json reads as "absent" for a required field and as nil for an
// optional one.
func (w *wireDecoder) recordStr(rec *userRecord, i int) (ok bool, err error) {
	rec.set &^= 1 << i
	rec.reused &^= 1 << i
	if null, err := w.null(); err != nil || null {
		return false, err
	}
	sp, err := w.appendStr()
	if err != nil {
		return false, err
	}
	if i < sharedCount && string(w.scratch[sp.start:sp.end]) == w.shared[i] {
		w.scratch = w.scratch[:sp.start]
		rec.reused |= 1 << i
	}
	rec.spans[i] = sp
	rec.set |= 1 << i
	return true, nil
}

// requiredTime reads a date-time; ok is false for null, which encoding/json
// reads as "absent" for a required field.
func (w *wireDecoder) requiredTime() (t time.Time, ok bool, err error) {
	if null, err := w.null(); err != nil || null {
		return time.Time{}, false, err
	}
	t, err = w.timestamp()
	return t, err == nil, err
}

// userType reads a user type: one the SDK knows is its constant, one it
// does not know is shared as the organization is.
func (w *wireDecoder) userType() (t UserType, ok bool, err error) {
	if null, err := w.null(); err != nil || null {
		return "", false, err
	}
	start := len(w.scratch)
	sp, err := w.appendStr()
	if err != nil {
		return "", false, err
	}
	return w.knownUserType(start, sp), true, nil
}

// knownUserType is the user type at sp in the scratch buffer, which it
// then cuts back to start: one the SDK knows is its constant, one it does
// not know is the last such type read, when it is the same.
func (w *wireDecoder) knownUserType(start int, sp span) (t UserType) {
	switch b := w.scratch[sp.start:sp.end]; string(b) {
	case string(UserTypeUser):
		t = UserTypeUser
	case string(UserTypeServiceAccount):
		t = UserTypeServiceAccount
	case string(UserTypeDataPlane):
		t = UserTypeDataPlane
	default:
		if string(b) != w.otherType {
			w.otherType = string(b)
		}
		t = UserType(w.otherType)
	}
	w.scratch = w.scratch[:start]
	return t
}

// setStrings gives v its strings, gathered in rec: one allocation holds
// their bytes, and one the optional strings that were set. The shared
// strings are kept for the next user to reuse.
func (w *wireDecoder) setStrings(v *User, rec *userRecord) {
	all := string(w.scratch)
	w.scratch = w.scratch[:0]
	str := func(i int) string {
		if rec.reused&(1<<i) != 0 {
			return w.shared[i]
		}
		if sp := rec.spans[i]; sp.start != sp.end {
			return all[sp.start:sp.end]
		}
		return ""
	}
	for i, dst := range [...]*string{&v.OrganizationID, &v.OrganizationName, &v.ID, &v.FirstName} {
		if rec.set&(1<<i) != 0 {
			*dst = str(i)
		}
	}
	w.shared = [sharedCount]string{v.OrganizationID, v.OrganizationName}
	n := bits.OnesCount16(rec.set >> firstOptional)
	if n == 0 {
		return
	}
	cells := make([]string, 0, n)
	for i, dst := range [...]**string{&v.LastName, &v.Email, &v.Picture, &v.DataPlaneID, &v.ClientID} {
		if rec.set&(1<<(firstOptional+i)) != 0 {
			cells = append(cells, str(firstOptional+i))
			*dst = &cells[len(cells)-1]
		}
	}
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
	if w.fastResourceList(r) {
		return nil
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

// maxReusedBody is the largest response body buffer kept for reuse.
const maxReusedBody = 4 << 20

// bodies holds response body buffers (*[]byte) that a decoder is done with:
// since nothing decoded points into a body, the next one can be read into
// the same buffer, which saves allocating and clearing a page's size each
// time.
var bodies sync.Pool

// bodyBuffer returns a buffer of n bytes, reused when one is at hand.
func bodyBuffer(n int) []byte {
	if n <= maxReusedBody {
		if p, ok := bodies.Get().(*[]byte); ok && cap(*p) >= n {
			return (*p)[:n]
		}
	}
	return make([]byte, n)
}

// reuseBody hands b, which nothing refers to anymore, over for reuse.
func reuseBody(b []byte) {
	if c := cap(b); c > 0 && c <= maxReusedBody {
		b = b[:0]
		bodies.Put(&b)
	}
}

// scan reads the shape of page that the API sends, straight from the
// input, where jx would take a call or more per byte of escapes and per
// token: an object of records and pagination, users with the keys of a
// User once each, strings and nulls where a User has them, timestamps in
// fastTimestamp's shapes, small integers. It reports false, having set
// nothing, for anything else, which resourceListUser then reads with jx:
// so scan only ever agrees with it, and needs to check only what it
// accepts.
type scan struct {
	w   *wireDecoder
	b   []byte
	pos int
}

// fastResourceList decodes input as a page the scan accepts; ok is false
// otherwise, with r and the decoder as they were.
func (w *wireDecoder) fastResourceList(r *ResourceListUser) (ok bool) {
	if !w.validUTF8 {
		return false
	}
	s := scan{w: w, b: w.input}
	var v ResourceListUser
	seenRecords, seenPagination := false, false
	ok = s.byte('{') && s.fields(func(key []byte) bool {
		switch {
		case string(key) == "records" && !seenRecords:
			seenRecords = true
			return s.users(&v.Records)
		case string(key) == "pagination" && !seenPagination:
			seenPagination = true
			return s.pagination(&v.Pagination)
		}
		return false
	}) && seenRecords && seenPagination
	if !ok {
		w.scratch, w.shared, w.otherType = w.first[:0], [sharedCount]string{}, ""
		return false
	}
	*r = v
	w.d.ResetBytes(w.input[s.pos:]) // what follows, for end to check
	return true
}

func (s *scan) space() {
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case ' ', '\n', '\t', '\r':
			s.pos++
		default:
			return
		}
	}
}

// byte reads c, after white space.
func (s *scan) byte(c byte) bool {
	s.space()
	if s.pos < len(s.b) && s.b[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

// peek is the next byte after white space, 0 at the end.
func (s *scan) peek() byte {
	s.space()
	if s.pos < len(s.b) {
		return s.b[s.pos]
	}
	return 0
}

// fields reads the members of an object whose '{' is read, calling field
// with each key, unescaped keys only, to read the value.
func (s *scan) fields(field func(key []byte) bool) bool {
	if s.byte('}') {
		return true
	}
	for {
		if !s.byte('"') {
			return false
		}
		rest := s.b[s.pos:]
		end := runEnd(rest)
		if end == len(rest) || rest[end] != '"' {
			return false
		}
		key := rest[:end]
		s.pos += end + 1
		if !s.byte(':') || !field(key) {
			return false
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return true
		default:
			return false
		}
	}
}

// null reads null, if it comes next.
func (s *scan) null() bool {
	if s.peek() == 'n' && len(s.b)-s.pos >= 4 && string(s.b[s.pos:s.pos+4]) == "null" {
		s.pos += 4
		return true
	}
	return false
}

// str reads a string, unescaped, onto the scratch buffer.
func (s *scan) str() (span, bool) {
	if !s.byte('"') {
		return span{}, false
	}
	w := s.w
	start := len(w.scratch)
	for {
		rest := s.b[s.pos:]
		i := runEnd(rest)
		if i == len(rest) || rest[i] < ' ' {
			return span{}, false
		}
		w.scratch = append(w.scratch, rest[:i]...)
		s.pos += i + 1
		if rest[i] == '"' {
			return span{start, len(w.scratch)}, true
		}
		if s.pos >= len(s.b) {
			return span{}, false
		}
		c := s.b[s.pos]
		s.pos++
		if c != 'u' {
			if unescaped[c] == 0 {
				return span{}, false
			}
			w.scratch = append(w.scratch, unescaped[c])
			continue
		}
		r, ok := s.hex4()
		if !ok {
			return span{}, false
		}
		if utf16.IsSurrogate(r) {
			// Only a pair, which jx and encoding/json read alike.
			if len(s.b)-s.pos < 2 || s.b[s.pos] != '\\' || s.b[s.pos+1] != 'u' {
				return span{}, false
			}
			s.pos += 2
			r2, ok := s.hex4()
			if !ok {
				return span{}, false
			}
			if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
				return span{}, false
			}
		}
		w.scratch = utf8.AppendRune(w.scratch, r)
	}
}

func (s *scan) hex4() (rune, bool) {
	if len(s.b)-s.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s.b[s.pos : s.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	s.pos += 4
	return r, true
}

// runEnd is the index of the first strStop byte of b, or len(b). It tests
// eight bytes at a time, as most runs are longer than that: a byte is
// zero after x^'"' or x^'\\' when it is that byte, and borrows below
// 0x20 when it is a control character; the borrow tricks say exactly
// whether any byte matched, and the byte loop then finds which.
func runEnd(b []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; len(b)-i >= 8; i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q, e := x^(ones*'"'), x^(ones*'\\')
		if ((q-ones)&^q|(e-ones)&^e|(x-ones*' ')&^x)&highs != 0 {
			break
		}
	}
	for i < len(b) && !strStop[b[i]] {
		i++
	}
	return i
}

// strStop are the bytes that end a run of a string's bytes that stand for
// themselves: its closing quote, an escape, or a control character, which
// JSON does not allow there.
var strStop = func() (t [256]bool) {
	for c := range ' ' {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// unescaped is the byte each one-letter escape stands for, 0 for a letter
// that is no escape.
var unescaped = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// recordStr reads string i of a User, or null, into rec, as
// wireDecoder.recordStr does.
func (s *scan) recordStr(rec *userRecord, i int) (ok, null bool) {
	if s.null() {
		return true, true
	}
	sp, ok := s.str()
	if !ok {
		return false, false
	}
	w := s.w
	if i < sharedCount && string(w.scratch[sp.start:sp.end]) == w.shared[i] {
		w.scratch = w.scratch[:sp.start]
		rec.reused |= 1 << i
	}
	rec.spans[i] = sp
	rec.set |= 1 << i
	return true, false
}

func (s *scan) timestamp() (time.Time, bool) {
	if !s.byte('"') {
		return time.Time{}, false
	}
	end := bytes.IndexByte(s.b[s.pos:], '"')
	if end < 0 {
		return time.Time{}, false
	}
	t, ok := s.w.fastTimestamp(s.b[s.pos : s.pos+end])
	s.pos += end + 1
	return t, ok
}

func (s *scan) userType() (UserType, bool) {
	w := s.w
	start := len(w.scratch)
	sp, ok := s.str()
	if !ok {
		return "", false
	}
	return w.knownUserType(start, sp), true
}

// scanKey is the bit in seen of a User's key, in the order of seen's bits
// (the required keys) and then the optional ones, and the string of a
// User it reads, -1 for none; ok is false for a key that is not a User's.
func scanKey(key []byte) (k, str int, ok bool) {
	switch string(key) {
	case "created_at":
		return 0, -1, true
	case "updated_at":
		return 1, -1, true
	case "organization_id":
		return 2, strOrganizationID, true
	case "id":
		return 3, strID, true
	case "first_name":
		return 4, strFirstName, true
	case "user_type":
		return 5, -1, true
	case "organization_name":
		return 6, strOrganizationName, true
	case "last_name":
		return 7, strLastName, true
	case "email":
		return 8, strEmail, true
	case "picture":
		return 9, strPicture, true
	case "data_plane_id":
		return 10, strDataPlaneID, true
	case "client_id":
		return 11, strClientID, true
	}
	return 0, 0, false
}

func (s *scan) user(u *User) bool {
	if !s.byte('{') {
		return false
	}
	var (
		v    User
		seen uint16
		rec  userRecord
	)
	s.w.scratch = s.w.scratch[:0]
	ok := s.fields(func(key []byte) bool {
		k, str, ok := scanKey(key)
		if !ok || seen&(1<<k) != 0 {
			return false
		}
		seen |= 1 << k
		switch k {
		case 0:
			t, ok := s.timestamp()
			v.CreatedAt = t
			return ok
		case 1:
			t, ok := s.timestamp()
			v.UpdatedAt = t
			return ok
		case 5:
			t, ok := s.userType()
			v.UserType = t
			return ok
		}
		ok, null := s.recordStr(&rec, str)
		return ok && !(null && k < 7) // a required string that is null is a missing field
	})
	if !ok || seen&uint16(seenAllUser) != uint16(seenAllUser) {
		return false
	}
	s.w.setStrings(&v, &rec)
	*u = v
	return true
}

func (s *scan) users(dst *[]User) bool {
	if !s.byte('[') {
		return false
	}
	out := make([]User, 0, max(bytes.Count(s.b, openBrace), 1))
	if !s.byte(']') {
		for {
			out = append(out, User{})
			if !s.user(&out[len(out)-1]) {
				return false
			}
			if s.byte(']') {
				break
			}
			if !s.byte(',') {
				return false
			}
		}
	}
	*dst = out
	return true
}

func (s *scan) pagination(p *Pagination) bool {
	if !s.byte('{') {
		return false
	}
	v := Pagination{Page: 1, PageSize: 20}
	var seen uint8
	ok := s.fields(func(key []byte) bool {
		var dst *int
		var bit uint8
		switch string(key) {
		case "page":
			dst, bit = &v.Page, 1
		case "page_size":
			dst, bit = &v.PageSize, 2
		case "total_pages":
			dst, bit = &v.TotalPages, 4
		case "total_records":
			dst, bit = &v.TotalRecords, 8
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		n, ok := s.int()
		*dst = n
		return ok
	})
	if !ok || seen&12 != 12 {
		return false
	}
	*p = v
	return true
}

// int reads an integer of at most 15 digits, with no sign, fraction or
// exponent.
func (s *scan) int() (int, bool) {
	s.space()
	n, i := 0, s.pos
	for i < len(s.b) && i-s.pos < 16 && s.b[i] >= '0' && s.b[i] <= '9' {
		n = n*10 + int(s.b[i]-'0')
		i++
	}
	digits := i - s.pos
	if digits == 0 || digits > 15 || (digits > 1 && s.b[s.pos] == '0') ||
		(i < len(s.b) && (s.b[i] == '.' || s.b[i] == 'e' || s.b[i] == 'E' || s.b[i] == '-' || s.b[i] == '+')) {
		return 0, false
	}
	s.pos = i
	return n, true
}
