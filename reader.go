package arthur

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// reader reads JSON from a byte slice for the decoders of the models, one
// value at a time, as the decoder asks for them. It accepts exactly what
// encoding/json accepts and reads it as encoding/json reads it into the
// same Go types, and it allocates only for what it returns:
//
//   - Every value is read or skipped in full, and checked against the JSON
//     grammar on the way, so that a decoder fails on any input that
//     encoding/json refuses, wherever the fault lies.
//   - Strings are unescaped as encoding/json unescapes them: a lone
//     surrogate escape and each byte of invalid UTF-8 become U+FFFD. A
//     string's runs of plain bytes are found eight bytes at a time
//     (runEnd), and whether the input is valid UTF-8 is checked once for
//     all of its strings.
//   - Nothing returned points into the input: a kept string never keeps a
//     response body alive. The strings of one record can share one
//     allocation (strBatch).
//
// Errors are sticky: the first one is kept in err, and every later call
// returns a zero value (false for member, item and null) at once, so a
// decoder reads straight on and checks err, or finish, at its end. An
// error names what was expected, what was found and the byte offset.
//
// A decoder reads an object with member, and an array with item:
//
//	for i := 0; r.member(i); i++ {
//		switch string(r.key) {
//		case "name":
//			v.Name = r.str()
//		default:
//			r.skip()
//		}
//	}
type reader struct {
	b   []byte // the input, read but never changed
	pos int    // the offset of the next byte to read
	err error  // the first error, after which every call returns at once

	// key is the key of the member that member last read, unescaped, in
	// a buffer of the reader's. It holds until the next call of member:
	// copy it (string(r.key)) before reading the member's value to keep it.
	key      []byte
	keyFirst [32]byte // key's first buffer, which most keys fit

	// scratch holds the unescaped strings of the records being read (see
	// strBatch) and, past its length, a string that strBytes or time read.
	scratch []byte
	first   [512]byte // scratch's first buffer, which most records fit
	// cells are the pointers that strBatch.ptrs returns, and last the
	// strings of the last batch that ended outside any other, for the next
	// to share.
	cells   [64]*string
	last    [64]string
	batches int // the batches started and not ended

	// validUTF8 is whether the input is valid UTF-8, checked once for all
	// its strings: then each string is too, since quotes and backslashes,
	// ASCII, end every sequence, and escapes write only whole ones.
	validUTF8 bool
	depth     int         // the arrays and objects open around the next value
	counted   int         // the bytes that objectsAhead has counted
	ends      map[int]int // where the values that skipAhead skipped end, by their start
	zones     zoneCache   // for the offsets of the timestamps read
}

// maxDepth is how deep arrays and objects may nest: encoding/json's limit.
const maxDepth = 10000

// newReader returns a reader of b, which must not change while it is read.
func newReader(b []byte) *reader {
	r := new(reader)
	r.reset(b)
	return r
}

// reset makes r, a zero reader, a reader of b.
func (r *reader) reset(b []byte) {
	r.b, r.validUTF8 = b, utf8.Valid(b)
	r.scratch, r.key = r.first[:0], r.keyFirst[:0]
}

// fail records err, unless an error is recorded already: the first one is
// kept.
func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// failf records an error made as fmt.Errorf makes it, unless an error is
// recorded already.
func (r *reader) failf(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
}

// finish is the decoding's outcome: the first error, or else an error if
// anything but white space follows the value read.
func (r *reader) finish() error {
	if r.err == nil {
		r.peek()
		if r.pos < len(r.b) {
			r.syntaxAt(r.pos, "after the top-level value")
		}
	}
	return r.err
}

// peek skips white space and returns the next byte without reading it, 0
// at the end of the input (or for a NUL byte, which is no JSON).
func (r *reader) peek() byte {
	if r.pos < len(r.b) && r.b[r.pos] > ' ' {
		return r.b[r.pos]
	}
	return r.peekSpace()
}

func (r *reader) peekSpace() byte {
	for r.pos < len(r.b) {
		switch c := r.b[r.pos]; c {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return c
		}
	}
	return 0
}

// next returns the first byte of the next value without reading it: '{',
// '[', '"', 'n', 't', 'f', a digit or '-' for JSON, 0 at the end of the
// input or after an error, anything else for input that is no JSON.
func (r *reader) next() byte {
	if r.err != nil {
		return 0
	}
	return r.peek()
}

// null reports whether the next value is null, and reads it if so.
func (r *reader) null() bool {
	if r.pos < len(r.b) && noNull[r.b[r.pos]] {
		return false // at once, the usual answer (and the one after an error)
	}
	return r.nullSpace()
}

// noNull are the bytes that start a value other than null: not white
// space, not 'n'.
var noNull = func() (t [256]bool) {
	for c := range t {
		t[c] = c > ' ' && c != 'n'
	}
	return t
}()

func (r *reader) nullSpace() bool {
	if r.err != nil || r.peek() != 'n' {
		return false
	}
	return r.literal("null")
}

// literal reads lit, which the next byte starts, or fails.
func (r *reader) literal(lit string) bool {
	if len(r.b)-r.pos >= len(lit) && string(r.b[r.pos:r.pos+len(lit)]) == lit {
		r.pos += len(lit)
		return true
	}
	i := 1
	for r.pos+i < len(r.b) && i < len(lit) && r.b[r.pos+i] == lit[i] {
		i++
	}
	r.syntaxAt(r.pos+i, "in the literal "+lit)
	return false
}

// member reads the start of the i-th member of an object: for i == 0 the
// object's '{' (an error if the next value is no object), for i > 0 the ','
// after the previous member or the object's '}'. It leaves the member's
// key, unescaped, in r.key and reads the ':' after it, for the caller to
// read the value. It returns false at the end of the object and on error.
func (r *reader) member(i int) bool {
	if r.err != nil {
		return false
	}
	if pos := r.pos; i > 0 && pos+1 < len(r.b) && r.b[pos] == ',' && r.b[pos+1] == '"' {
		r.pos = pos + 2 // at once, the usual case
		return r.readKey()
	}
	c := r.peek()
	if i == 0 {
		if c != '{' {
			r.expected("an object")
			return false
		}
		if !r.open() {
			return false
		}
		if c = r.peek(); c == '}' {
			r.pos++
			r.depth--
			return false
		}
	} else {
		switch c {
		case ',':
			r.pos++
			c = r.peek()
		case '}':
			r.pos++
			r.depth--
			return false
		default:
			r.syntaxAt(r.pos, "after an object member (expecting ',' or '}')")
			return false
		}
	}
	if c != '"' {
		r.syntaxAt(r.pos, "looking for an object key")
		return false
	}
	r.pos++
	return r.readKey()
}

// readKey reads the rest of a key whose '"' is read into r.key, and the
// ':' after it.
func (r *reader) readKey() bool {
	rest := r.b[r.pos:]
	// The key is copied into the reader's buffer: a slice of the input
	// would cost a write barrier for each key while the GC runs.
	if n := runEnd(rest); n < len(rest) && rest[n] == '"' && (r.validUTF8 || utf8.Valid(rest[:n])) {
		if n <= 16 && len(rest) >= 16 && cap(r.key) >= 16 {
			// Two words, where memmove would take a call.
			k := r.key[:16]
			binary.LittleEndian.PutUint64(k, binary.LittleEndian.Uint64(rest))
			binary.LittleEndian.PutUint64(k[8:], binary.LittleEndian.Uint64(rest[8:]))
			r.key = r.key[:n]
		} else {
			r.key = r.key[:0]
			appendBytes(&r.key, rest[:n])
		}
		r.pos += n + 1
	} else {
		r.key = r.key[:0]
		if r.appendStr(&r.key); r.err != nil {
			return false
		}
	}
	if r.pos < len(r.b) && r.b[r.pos] == ':' || r.peek() == ':' {
		r.pos++
		return true
	}
	r.syntaxAt(r.pos, "after an object key (expecting ':')")
	return false
}

// item reads the start of the i-th element of an array: for i == 0 the
// array's '[' (an error if the next value is no array), for i > 0 the ','
// after the previous element or the array's ']'. It returns false at the
// end of the array and on error; else the caller reads the element.
func (r *reader) item(i int) bool {
	if r.err != nil {
		return false
	}
	c := r.peek()
	if i == 0 {
		if c != '[' {
			r.expected("an array")
			return false
		}
		if !r.open() {
			return false
		}
		if r.peek() == ']' {
			r.pos++
			r.depth--
			return false
		}
		return true
	}
	switch c {
	case ',':
		r.pos++
		return true
	case ']':
		r.pos++
		r.depth--
		return false
	}
	r.syntaxAt(r.pos, "after an array element (expecting ',' or ']')")
	return false
}

// open reads the '{' or '[' at r.pos, one level deeper.
func (r *reader) open() bool {
	if r.depth++; r.depth > maxDepth {
		r.failf("arrays and objects nest deeper than %d at offset %d", maxDepth, r.pos)
		return false
	}
	r.pos++
	return true
}

// objectsAhead is how many objects the rest of the input may hold at most,
// the number of '{' in it, for a decoder to size a slice of records once;
// 0 when the count would cost too much: below the input's top levels, and
// once as many bytes as the input has have been counted. It is at most
// maxObjectsAhead, for braces in a string not to make a decoder allocate
// far more than the input's size.
func (r *reader) objectsAhead() int {
	rest := len(r.b) - r.pos
	if r.err != nil || r.depth > 2 || r.counted+rest > len(r.b) {
		return 0
	}
	r.counted += rest
	return min(bytes.Count(r.b[r.pos:], openBrace), maxObjectsAhead)
}

// maxObjectsAhead is the most objectsAhead returns: more records than a
// page of the API holds.
const maxObjectsAhead = 1 << 14

// skip reads the next value, whatever it is, checking it as encoding/json
// would.
func (r *reader) skip() {
	if r.err == nil {
		r.skipValue()
	}
}

func (r *reader) skipValue() {
	switch c := r.peek(); c {
	case '"':
		r.pos++
		r.skipStr()
	case '{':
		for i := 0; r.member(i); i++ {
			r.skipValue()
		}
	case '[':
		for i := 0; r.item(i); i++ {
			r.skipValue()
		}
	case 't':
		r.literal("true")
	case 'f':
		r.literal("false")
	case 'n':
		r.literal("null")
	default:
		if c == '-' || c-'0' <= 9 {
			r.number()
			return
		}
		r.syntaxAt(r.pos, "looking for the beginning of a value")
	}
}

// raw returns a copy of the next value's bytes as they are in the input,
// checked as skip checks them; nil on error.
func (r *reader) raw() json.RawMessage {
	if r.err != nil {
		return nil
	}
	r.peek()
	start := r.pos
	r.skipValue()
	if r.err != nil {
		return nil
	}
	return append(json.RawMessage(nil), r.b[start:r.pos]...)
}

// any reads the next value as encoding/json reads it into an any:
// map[string]any, []any, float64, string, bool or nil. Of the members of
// an object with the same key, the last one counts.
func (r *reader) any() any {
	if r.err != nil {
		return nil
	}
	switch c := r.peek(); c {
	case '"':
		return r.str()
	case '{':
		m := map[string]any{}
		for i := 0; r.member(i); i++ {
			k := string(r.key)
			m[k] = r.any()
		}
		if r.err != nil {
			return nil
		}
		return m
	case '[':
		a := []any{}
		for i := 0; r.item(i); i++ {
			a = append(a, r.any())
		}
		if r.err != nil {
			return nil
		}
		return a
	case 't', 'f':
		return r.boolean()
	case 'n':
		r.literal("null")
		return nil
	default:
		if c == '-' || c-'0' <= 9 {
			return r.float()
		}
	}
	r.syntaxAt(r.pos, "looking for the beginning of a value")
	return nil
}

// boolean reads true or false.
func (r *reader) boolean() bool {
	if r.err != nil {
		return false
	}
	switch r.peek() {
	case 't':
		return r.literal("true")
	case 'f':
		r.literal("false")
		return false
	}
	r.expected("a boolean")
	return false
}

// str reads a string into an allocation of its own.
func (r *reader) str() string {
	if r.pos < len(r.b) && r.b[r.pos] == '"' && r.err == nil {
		r.pos++ // at once, the usual case
	} else if !r.quote("a string") {
		return ""
	}
	rest := r.b[r.pos:]
	if n := runEnd(rest); n < len(rest) && rest[n] == '"' && (r.validUTF8 || utf8.Valid(rest[:n])) {
		r.pos += n + 1
		return string(rest[:n])
	}
	b := r.tmpStr()
	if r.err != nil {
		return ""
	}
	return string(b)
}

// strBytes reads a string into a buffer of the reader's, which holds until
// the next call that reads: for a decoder to compare the string with the
// values it knows before it allocates. nil on error.
func (r *reader) strBytes() []byte {
	if r.pos < len(r.b) && r.b[r.pos] == '"' && r.err == nil {
		r.pos++ // at once, the usual case
	} else if !r.quote("a string") {
		return nil
	}
	b := r.tmpStr()
	if r.err != nil {
		return nil
	}
	return b
}

// quote reads the '"' that starts a string, or fails: what is found is no
// want.
func (r *reader) quote(want string) bool {
	if r.err != nil {
		return false
	}
	if r.peek() != '"' {
		r.expected(want)
		return false
	}
	r.pos++
	return true
}

// tmpStr reads the rest of a string whose '"' is read into the scratch
// buffer past its length, where the next read overwrites it.
func (r *reader) tmpStr() []byte {
	n := len(r.scratch)
	r.appendStr(&r.scratch)
	b := r.scratch[n:len(r.scratch):len(r.scratch)]
	r.scratch = r.scratch[:n]
	return b
}

// appendStr reads the rest of a string whose '"' is read, and appends it,
// unescaped, to dst: a lone surrogate escape and each byte of invalid UTF-8
// become U+FFFD, as encoding/json makes them.
func (r *reader) appendStr(dst *[]byte) {
	b, pos := r.b, r.pos
	for {
		rest := b[pos:]
		n := runEnd(rest)
		if r.validUTF8 || utf8.Valid(rest[:n]) {
			appendBytes(dst, rest[:n])
		} else {
			*dst = appendFixedUTF8(*dst, rest[:n])
		}
		pos += n
		if n < len(rest) && rest[n] == '"' {
			r.pos = pos + 1
			return
		}
		r.pos = pos // for the errors
		switch {
		case n == len(rest):
			r.syntaxAt(pos, "in a string")
			return
		case rest[n] != '\\':
			r.syntaxAt(pos, "in a string (a control character must be escaped)")
			return
		case n+1 == len(rest):
			r.syntaxAt(pos+1, "in a string escape")
			return
		}
		if c := rest[n+1]; c != 'u' {
			if unescaped[c] == 0 {
				r.syntaxAt(pos+1, "in a string escape")
				return
			}
			appendByte(dst, unescaped[c])
			pos += 2
			continue
		}
		c, ok := hex4(rest[n+2:])
		if !ok {
			r.syntaxAt(pos+2+hexEnd(rest[n+2:]), "in a \\u escape")
			return
		}
		pos += 6
		if utf16.IsSurrogate(c) {
			// A pair is one rune; a surrogate in no pair is U+FFFD, and
			// the escape after it, if any, is read on its own.
			next := b[pos:]
			c2, ok := rune(0), false
			if len(next) >= 6 && next[0] == '\\' && next[1] == 'u' {
				c2, ok = hex4(next[2:])
			}
			if c = utf16.DecodeRune(c, c2); ok && c != utf8.RuneError {
				pos += 6
			}
		}
		appendRune(dst, c)
	}
}

// appendBytes appends b to *dst, and writes the slice's pointer only when
// it grows: in the reader, which may be on the heap, a pointer written
// costs a write barrier while the GC runs, and a length does not.
func appendBytes(dst *[]byte, b []byte) {
	if n := len(*dst) + len(b); n <= cap(*dst) {
		copy((*dst)[len(*dst):n], b)
		*dst = (*dst)[:n]
		return
	}
	*dst = append(*dst, b...)
}

// appendByte appends c to *dst as appendBytes appends bytes.
func appendByte(dst *[]byte, c byte) {
	if n := len(*dst); n < cap(*dst) {
		*dst = (*dst)[:n+1]
		(*dst)[n] = c
		return
	}
	*dst = append(*dst, c)
}

// appendRune appends c, UTF-8 encoded, to *dst as appendBytes appends
// bytes.
func appendRune(dst *[]byte, c rune) {
	if n := len(*dst); cap(*dst)-n >= utf8.UTFMax {
		*dst = (*dst)[:n+utf8.EncodeRune((*dst)[n:n+utf8.UTFMax], c)]
		return
	}
	*dst = utf8.AppendRune(*dst, c)
}

// skipStr reads the rest of a string whose '"' is read, checking it.
func (r *reader) skipStr() {
	for {
		rest := r.b[r.pos:]
		n := runEnd(rest)
		r.pos += n
		if n == len(rest) {
			r.syntaxAt(r.pos, "in a string")
			return
		}
		switch rest[n] {
		case '"':
			r.pos++
			return
		case '\\':
		default:
			r.syntaxAt(r.pos, "in a string (a control character must be escaped)")
			return
		}
		switch {
		case len(rest) < n+2 || rest[n+1] != 'u' && unescaped[rest[n+1]] == 0:
			r.syntaxAt(r.pos+1, "in a string escape")
			return
		case rest[n+1] != 'u':
			r.pos += 2
		default:
			if _, ok := hex4(rest[n+2:]); !ok {
				r.syntaxAt(r.pos+2+hexEnd(rest[n+2:]), "in a \\u escape")
				return
			}
			r.pos += 6
		}
	}
}

// hex4 reads the four hexadecimal digits that start b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		d := hexValue[c]
		if d > 15 {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// hexEnd is the index of the first byte of b that is no hexadecimal digit.
func hexEnd(b []byte) int {
	i := 0
	for i < len(b) && hexValue[b[i]] <= 15 {
		i++
	}
	return i
}

// hexValue is the value of each hexadecimal digit, 0xff for other bytes.
var hexValue = func() (t [256]byte) {
	for c := range t {
		switch {
		case c >= '0' && c <= '9':
			t[c] = byte(c - '0')
		case c >= 'a' && c <= 'f':
			t[c] = byte(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			t[c] = byte(c - 'A' + 10)
		default:
			t[c] = 0xff
		}
	}
	return t
}()

// appendFixedUTF8 appends b to dst with each byte of an invalid UTF-8
// sequence replaced by U+FFFD, as encoding/json replaces them.
func appendFixedUTF8(dst, b []byte) []byte {
	for len(b) > 0 {
		c, size := utf8.DecodeRune(b)
		if c == utf8.RuneError && size == 1 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		} else {
			dst = append(dst, b[:size]...)
		}
		b = b[size:]
	}
	return dst
}

// fixUTF8 is b with each byte of an invalid UTF-8 sequence replaced by
// U+FFFD, as encoding/json replaces them. The result may be longer than b:
// 1 byte becomes 3.
func fixUTF8(b []byte) string {
	return string(appendFixedUTF8(make([]byte, 0, len(b)+8), b))
}

// runEnd is the index of the first strStop byte of b, or len(b). It tests
// eight bytes at a time, as most runs are longer than that; the first of
// them that stops is the lowest bit stops sets, since a borrow runs only
// from a byte that stops to the bytes above it.
func runEnd(b []byte) int {
	i := 0
	for ; len(b)-i >= 8; i += 8 {
		if m := stops(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	if i == len(b) {
		return i
	}
	if len(b) >= 8 {
		// The last bytes, as the last eight: those before i match nothing.
		if m := stops(binary.LittleEndian.Uint64(b[len(b)-8:])); m != 0 {
			return len(b) - 8 + bits.TrailingZeros64(m)/8
		}
		return len(b)
	}
	for i < len(b) && !strStop[b[i]] {
		i++
	}
	return i
}

// stops has the high bit set of the first byte of x (little-endian) that is
// a strStop byte, and maybe of bytes after it, where a borrow ran on: a byte
// is zero after x^'"' or x^'\\' when it is that byte, and borrows below
// 0x20 when it is a control character.
func stops(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q, e := x^(ones*'"'), x^(ones*'\\')
	return ((q-ones)&^q | (e-ones)&^e | (x-ones*' ')&^x) & highs
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

// number reads a number as JSON writes it and returns it as it is written,
// in the input, and whether it is an integer: no fraction, no exponent.
func (r *reader) number() (lit []byte, integer bool) {
	start := r.pos
	n, integer, ok := numberEnd(r.b[start:])
	if !ok {
		r.syntaxAt(start+n, "in a number")
		return nil, false
	}
	r.pos += n
	return r.b[start : start+n], integer
}

// numberEnd is the length of the number that starts b and whether it is an
// integer; when b starts with no number as JSON writes it, ok is false and
// n the index of the byte at fault (len(b) at the end).
func numberEnd(b []byte) (n int, integer, ok bool) {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digitsEnd(b, i+1)
	default:
		return i, false, false
	}
	integer = true
	if i < len(b) && b[i] == '.' {
		if i++; i == len(b) || b[i]-'0' > 9 {
			return i, false, false
		}
		i, integer = digitsEnd(b, i+1), false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		if i++; i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i == len(b) || b[i]-'0' > 9 {
			return i, false, false
		}
		i, integer = digitsEnd(b, i+1), false
	}
	return i, integer, true
}

// digitsEnd is the index of the first byte from i on in b that is no digit.
func digitsEnd(b []byte, i int) int {
	for i < len(b) && b[i]-'0' <= 9 {
		i++
	}
	return i
}

// numberGoesOn are the bytes that continue a number past its integer
// digits: more digits, a fraction, an exponent.
var numberGoesOn = [256]bool{'0': true, '1': true, '2': true, '3': true, '4': true, '5': true,
	'6': true, '7': true, '8': true, '9': true, '.': true, 'e': true, 'E': true}

// small reads a non-negative integer of at most max digits with nothing
// after it that continues a number, the usual integer, without a call; ok
// is false, and nothing read, for any other value.
func (r *reader) small(max int) (n int64, ok bool) {
	b := r.b[r.pos:]
	i := 0
	for ; i < len(b) && i < max; i++ {
		d := b[i] - '0'
		if d > 9 {
			break
		}
		n = n*10 + int64(d)
	}
	if i == 0 || (i > 1 && b[0] == '0') || (i < len(b) && numberGoesOn[b[i]]) {
		return 0, false
	}
	r.pos += i
	return n, true
}

// int reads an integer as encoding/json reads one into an int: a fraction
// or an exponent, even "1.0", is an error, as is a value out of range.
func (r *reader) int() int {
	return int(r.integer(strconv.IntSize, "int"))
}

// int64 reads an integer as encoding/json reads one into an int64.
func (r *reader) int64() int64 {
	return r.integer(64, "int64")
}

func (r *reader) integer(bitSize int, typ string) int64 {
	if r.err != nil {
		return 0
	}
	c := r.peek()
	if c-'0' <= 9 {
		if n, ok := r.small(bitSize*3/10 - 1); ok { // 18 digits for 64 bits, 8 for 32
			return n
		}
	} else if c != '-' {
		r.expected("an integer")
		return 0
	}
	start := r.pos
	lit, integer := r.number()
	if r.err != nil {
		return 0
	}
	if !integer {
		r.failf("expected an integer at offset %d, found %s", start, clip(lit))
		return 0
	}
	n, err := strconv.ParseInt(string(lit), 10, bitSize)
	if err != nil {
		r.failf("number %s at offset %d is out of the range of an %s", clip(lit), start, typ)
		return 0
	}
	return n
}

// float reads a number as encoding/json reads one into a float64: any
// number JSON writes, an error when it is out of a float64's range.
func (r *reader) float() float64 {
	if r.err != nil {
		return 0
	}
	c := r.peek()
	if c-'0' <= 9 {
		if n, ok := r.small(15); ok { // below 2⁵³, so exact
			return float64(n)
		}
	} else if c != '-' {
		r.expected("a number")
		return 0
	}
	start := r.pos
	lit, _ := r.number()
	if r.err != nil {
		return 0
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		r.failf("number %s at offset %d is out of the range of a float64", clip(lit), start)
		return 0
	}
	return f
}

// time reads a date-time string: the shapes fastTimestamp parses in place,
// any other that parseTimestamp parses.
func (r *reader) time() time.Time {
	if r.pos < len(r.b) && r.b[r.pos] == '"' && r.err == nil {
		r.pos++
	} else if !r.quote("a date-time string") {
		return time.Time{}
	}
	start := r.pos - 1
	// The shapes the API writes, in place: fastTimestamp takes no byte that
	// a string escapes, so what it takes is the whole string.
	if n := bytes.IndexByte(r.b[r.pos:], '"'); n >= 0 {
		if t, ok := fastTimestamp(r.b[r.pos:r.pos+n], &r.zones); ok {
			r.pos += n + 1
			return t
		}
	}
	b := r.tmpStr()
	if r.err != nil {
		return time.Time{}
	}
	if t, ok := fastTimestamp(b, &r.zones); ok {
		return t
	}
	t, err := parseTimestamp(string(b))
	if err != nil {
		r.failf("%v at offset %d", err, start)
	}
	return t
}

// expected fails with an error that says what the next value is, and that
// it is not want; a syntax error if it is no JSON value.
func (r *reader) expected(want string) {
	if r.err != nil {
		return
	}
	var found string
	switch c := r.peek(); {
	case r.pos == len(r.b):
		found = "the end of the input"
	case c == '"':
		found = "a string"
	case c == '{':
		found = "an object"
	case c == '[':
		found = "an array"
	case c == 't' || c == 'f' || c == 'n':
		lit := "null"
		switch c {
		case 't':
			lit = "true"
		case 'f':
			lit = "false"
		}
		if !r.literal(lit) {
			return // a syntax error
		}
		r.pos -= len(lit)
		found = lit
	case c == '-' || c-'0' <= 9:
		n, _, ok := numberEnd(r.b[r.pos:])
		if !ok {
			r.syntaxAt(r.pos+n, "in a number")
			return
		}
		found = "the number " + clip(r.b[r.pos:r.pos+n])
	default:
		r.syntaxAt(r.pos, "looking for the beginning of a value")
		return
	}
	r.failf("expected %s at offset %d, found %s", want, r.pos, found)
}

// syntaxAt fails with a syntax error about the byte at offset pos, or the
// end of the input there, met where context says.
func (r *reader) syntaxAt(pos int, context string) {
	if r.err != nil {
		return
	}
	if pos >= len(r.b) {
		r.failf("unexpected end of the input at offset %d, %s", len(r.b), context)
		return
	}
	c := r.b[pos]
	what := "byte " + fmt.Sprintf("%#02x", c)
	if c < utf8.RuneSelf {
		what = "character " + strconv.QuoteRuneToASCII(rune(c))
	}
	r.failf("invalid %s at offset %d, %s", what, pos, context)
}

// clip is a literal for an error message, cut short if it is long.
func clip(lit []byte) string {
	if len(lit) > 40 {
		return string(lit[:40]) + "…"
	}
	return string(lit)
}

// strBatch gathers the strings of one record in the reader's scratch
// buffer, so that they all take one allocation when the record ends. A
// decoder numbers the record's strings (at most 64) and reads them so:
//
//	var b strBatch
//	r.batchStart(&b)
//	for i := 0; r.member(i); i++ {
//		switch string(r.key) {
//		case "id":
//			r.batchStr(&b, strID)
//		case "email": // optional
//			if r.null() {
//				b.unset(strEmail)
//				continue
//			}
//			r.batchStr(&b, strEmail)
//		...
//	}
//	all := r.batchEnd(&b)
//	v.ID = b.get(all, strID)
//	v.Email = b.ptrs(all, strEmail, strEmail+1)[0]
//
// get and ptrs take the strings right after batchEnd, before another batch
// of the reader ends.
//
// Batches nest: a record inside a record starts its batch after the
// strings of its parent's read so far and cuts the buffer back to its own
// start when it ends, which leaves the parent's strings where they were.
//
// A record of a list most often has some strings of the record before it:
// its organization, its type. So a string that is the same string (by its
// number) of the last batch that ended outside any other is not copied
// again: the record shares it with that one.
type strBatch struct {
	base   int           // where the batch starts in the scratch buffer
	spans  [64]batchSpan // string i, relative to base, when set and not shared
	set    uint64        // bit i: string i was read
	shared uint64        // bit i: string i is r.last[i]
	r      *reader       // whose last strings and cells the batch uses
}

// batchSpan is where a string of a batch lies, from the batch's start:
// half the size of a span, for a batch to take less of the stack to clear.
type batchSpan struct{ start, end uint32 }

// batchStart starts b at the end of the scratch buffer.
func (r *reader) batchStart(b *strBatch) {
	b.base, b.set, b.shared, b.r = len(r.scratch), 0, 0, r
	r.batches++
}

// batchStr reads a string, which must not be null (the caller reads null
// first), into the batch as its string i, which it replaces if it was set.
// It returns false on error.
func (r *reader) batchStr(b *strBatch, i int) bool {
	if r.pos < len(r.b) && r.b[r.pos] == '"' && r.err == nil {
		r.pos++ // at once, the usual case
	} else if !r.quote("a string") {
		return false
	}
	start := len(r.scratch)
	r.appendStr(&r.scratch)
	if r.err != nil {
		r.scratch = r.scratch[:start]
		return false
	}
	bit := uint64(1) << i
	b.set |= bit
	if s := r.scratch[start:]; len(s) > 0 && len(s) == len(r.last[i]) && sameStart(s, r.last[i]) && string(s) == r.last[i] {
		r.scratch = r.scratch[:start]
		b.shared |= bit
		return true
	}
	b.shared &^= bit
	if uint64(len(r.scratch)-b.base) > math.MaxUint32 {
		r.failf("the strings of one record are over 4 GiB, at offset %d", r.pos)
		return false
	}
	b.spans[i] = batchSpan{uint32(start - b.base), uint32(len(r.scratch) - b.base)}
	return true
}

// batchEnd copies the strings of the batch into one allocation, which it
// returns for get and ptrs to take them from, and cuts the scratch buffer
// back to where the batch started. It returns "" when there is nothing to
// copy, and after an error, which leaves the batch empty.
func (r *reader) batchEnd(b *strBatch) string {
	r.batches--
	if r.err != nil || b.base > len(r.scratch) {
		b.set = 0
		r.scratch = r.scratch[:min(b.base, len(r.scratch))]
		return ""
	}
	var all string
	if len(r.scratch) > b.base {
		all = string(r.scratch[b.base:])
		r.scratch = r.scratch[:b.base]
	}
	if r.batches == 0 {
		// The strings for the next record to share. A batch inside
		// another leaves them: the outer one may share one of them still.
		for set := b.set &^ b.shared; set != 0; set &= set - 1 {
			i := bits.TrailingZeros64(set)
			r.last[i] = all[b.spans[i].start:b.spans[i].end]
		}
	}
	return all
}

// sameStart reports whether b and s, of the same length, may be the same:
// whether their first eight bytes are, when they have eight. Most strings
// that differ differ there, which this tells without a call.
func sameStart(b []byte, s string) bool {
	if len(b) < 8 || len(s) < 8 {
		return true
	}
	return binary.LittleEndian.Uint64(b) == uint64(s[0])|uint64(s[1])<<8|uint64(s[2])<<16|uint64(s[3])<<24|
		uint64(s[4])<<32|uint64(s[5])<<40|uint64(s[6])<<48|uint64(s[7])<<56
}

// unset forgets string i, as null forgets a value: has(i) is false.
func (b *strBatch) unset(i int) { b.set &^= 1 << i }

// has reports whether string i was read.
func (b *strBatch) has(i int) bool { return b.set&(1<<i) != 0 }

// get returns string i of the batch that batchEnd returned as all, "" if
// it was not read.
func (b *strBatch) get(all string, i int) string {
	switch bit := uint64(1) << i; {
	case b.set&bit == 0:
		return ""
	case b.shared&bit != 0:
		return b.r.last[i]
	}
	return all[b.spans[i].start:b.spans[i].end]
}

// ptrs returns the optional strings from to to (not included) of the batch
// that batchEnd returned as all, for fields of type *string: at index
// i-from a pointer to string i, or nil if it was not read. The strings
// that were read take one allocation for all, of their cells. The slice
// itself is the reader's, and holds until the next call of ptrs.
func (b *strBatch) ptrs(all string, from, to int) []*string {
	out := b.r.cells[:to-from]
	set := b.set >> from
	if to-from < 64 {
		set &= 1<<(to-from) - 1
	}
	var cells []string
	if set != 0 {
		cells = make([]string, 0, bits.OnesCount64(set))
	}
	for i := range out {
		if set&(1<<i) == 0 {
			if out[i] != nil { // a pointer written costs a write barrier
				out[i] = nil
			}
			continue
		}
		cells = append(cells, b.get(all, from+i))
		out[i] = &cells[len(cells)-1]
	}
	return out
}

// zoneCache holds the last fixed zone made, to be reused while the offsets
// of the timestamps read repeat.
type zoneCache struct {
	loc *time.Location
	off int
}

func (z *zoneCache) fixed(off int) *time.Location {
	if z.loc == nil || z.off != off {
		z.loc, z.off = time.FixedZone("", off), off
	}
	return z.loc
}

// fastTimestamp parses the shapes the API writes,
// 2006-01-02T15:04:05[.fraction][Z|±hh:mm], checking every field as
// time.Parse does, with the zones of z. Anything else goes to
// parseTimestamp.
func fastTimestamp(b []byte, z *zoneCache) (time.Time, bool) {
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
			loc = z.fixed(off)
		}
	default:
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc), true
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
