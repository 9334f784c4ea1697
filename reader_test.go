package arthur

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// read runs read on a reader of in and returns its value and finish's
// error.
func read[T any](in string, read func(*reader) T) (T, error) {
	r := newReader([]byte(in))
	v := read(r)
	return v, r.finish()
}

func TestReaderStrings(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`""`, ""},
		{`"abc"`, "abc"},
		{` "abc" `, "abc"},
		{"\t\r\n\"abc\"", "abc"},
		{`"a\"b\\c\/d\be\ff\ng\rh\ti"`, "a\"b\\c/d\be\ff\ng\rh\ti"},
		{`"\u0041\u00e9\u65e5"`, "Aé日"},
		{`"\ud83d\ude00 \uD83D\uDE00"`, "😀 😀"},
		{`"\ud800"`, "\ufffd"},                     // a lone high surrogate
		{`"\udc00x"`, "\ufffdx"},                   // a lone low surrogate
		{`"\ud800\ud800\udc00"`, "\ufffd𐀀"},        // a high one, then a pair
		{`"\ud800\u0041"`, "\ufffdA"},              // a high one, then no low one
		{`"\ud800\n"`, "\ufffd\n"},                 // a high one, then another escape
		{"\"a\xffb\"", "a\ufffdb"},                 // each byte of invalid UTF-8
		{"\"\xe6\x97\"", "\ufffd\ufffd"},           // a sequence cut short
		{"\"\xed\xa0\x80\"", "\ufffd\ufffd\ufffd"}, // a surrogate in UTF-8
		{"\"\xc3\\u00e9\"", "\ufffdé"},             // invalid, then an escape
		{"\"\xc3\xa9\xef\xbf\xbd\"", "é\ufffd"},    // valid, U+FFFD included
		{"\"a\x7fb\"", "a\x7fb"},                   // DEL needs no escape
		{`"` + strings.Repeat("long run ", 20) + `"`, strings.Repeat("long run ", 20)},
	} {
		for name, f := range map[string]func(*reader) string{
			"str":      (*reader).str,
			"strBytes": func(r *reader) string { return string(r.strBytes()) },
			"batchStr": func(r *reader) string {
				var b strBatch
				r.batchStart(&b)
				r.batchStr(&b, 0)
				return b.get(r.batchEnd(&b), 0)
			},
		} {
			got, err := read(tc.in, f)
			require.NoError(t, err, "%s %q", name, tc.in)
			assert.Equal(t, tc.want, got, "%s %q", name, tc.in)
			var want string
			require.NoError(t, json.Unmarshal([]byte(tc.in), &want))
			assert.Equal(t, want, got, "%s %q: as encoding/json", name, tc.in)
		}
	}
}

// TestReaderErrors checks what each error says, and that encoding/json
// refuses each input too, into the Go type of the method.
func TestReaderErrors(t *testing.T) {
	type method struct {
		read func(*reader) any
		into func() any // a pointer to what encoding/json decodes into
	}
	str := method{func(r *reader) any { return r.str() }, func() any { return new(string) }}
	anyv := method{func(r *reader) any { return r.any() }, func() any { return new(any) }}
	skip := method{func(r *reader) any { r.skip(); return nil }, func() any { return new(json.RawMessage) }}
	intv := method{func(r *reader) any { return r.int() }, func() any { return new(int) }}
	int64v := method{func(r *reader) any { return r.int64() }, func() any { return new(int64) }}
	float := method{func(r *reader) any { return r.float() }, func() any { return new(float64) }}
	boolean := method{func(r *reader) any { return r.boolean() }, func() any { return new(bool) }}
	object := method{func(r *reader) any { return r.member(0) }, func() any { return new(struct{}) }}
	array := method{func(r *reader) any { return r.item(0) }, func() any { return new([]any) }}
	date := method{func(r *reader) any { return r.time() }, func() any { return new(wireTime) }}
	strs := method{func(r *reader) any {
		for i := 0; r.item(i); i++ {
			r.str()
		}
		return nil
	}, func() any { return new([]string) }}
	for _, tc := range []struct {
		in   string
		m    method
		want string
	}{
		{`12`, str, "expected a string at offset 0, found the number 12"},
		{`  {"a":1}`, str, "expected a string at offset 2, found an object"},
		{`[]`, str, "expected a string at offset 0, found an array"},
		{`true`, str, "expected a string at offset 0, found true"},
		{``, str, "expected a string at offset 0, found the end of the input"},
		{`"abc`, str, "unexpected end of the input at offset 4, in a string"},
		{`"a\q"`, str, "invalid character 'q' at offset 3, in a string escape"},
		{`"\u12G4"`, str, `invalid character 'G' at offset 5, in a \u escape`},
		{`"\u12"`, str, `invalid character '"' at offset 5, in a \u escape`},
		{"\"a\x01\"", str, `invalid character '\x01' at offset 2, in a string (a control character must be escaped)`},
		{`"a" "b"`, str, "invalid character '\"' at offset 4, after the top-level value"},
		{`nul`, anyv, "unexpected end of the input at offset 3, in the literal null"},
		{`trux`, anyv, "invalid character 'x' at offset 3, in the literal true"},
		{`[1,]`, anyv, "invalid character ']' at offset 3, looking for the beginning of a value"},
		{`[1 2]`, anyv, "invalid character '2' at offset 3, after an array element (expecting ',' or ']')"},
		{`{"a" 1}`, anyv, "invalid character '1' at offset 5, after an object key (expecting ':')"},
		{`{"a":1,}`, anyv, "invalid character '}' at offset 7, looking for an object key"},
		{`{"a":1 "b":2}`, anyv, `invalid character '"' at offset 7, after an object member (expecting ',' or '}')`},
		{`{1:2}`, anyv, "invalid character '1' at offset 1, looking for an object key"},
		{"\xff", anyv, "invalid byte 0xff at offset 0, looking for the beginning of a value"},
		{"\xef\xbb\xbf1", anyv, "invalid byte 0xef at offset 0, looking for the beginning of a value"},
		{`'a'`, anyv, `invalid character '\'' at offset 0, looking for the beginning of a value`},
		{`01`, skip, "invalid character '1' at offset 1, after the top-level value"},
		{`1.`, skip, "unexpected end of the input at offset 2, in a number"},
		{`.5`, skip, "invalid character '.' at offset 0, looking for the beginning of a value"},
		{`+1`, skip, "invalid character '+' at offset 0, looking for the beginning of a value"},
		{`-x`, skip, "invalid character 'x' at offset 1, in a number"},
		{`1e+`, skip, "unexpected end of the input at offset 3, in a number"},
		{`[{"a":[1,"\x"]}]`, skip, "invalid character 'x' at offset 11, in a string escape"},
		{`1.5`, intv, "expected an integer at offset 0, found 1.5"},
		{`1.0`, intv, "expected an integer at offset 0, found 1.0"},
		{`1e2`, intv, "expected an integer at offset 0, found 1e2"},
		{`9223372036854775808`, intv, "number 9223372036854775808 at offset 0 is out of the range of an int"},
		{`-9223372036854775809`, int64v, "number -9223372036854775809 at offset 0 is out of the range of an int64"},
		{`"1"`, intv, "expected an integer at offset 0, found a string"},
		{`1e400`, float, "number 1e400 at offset 0 is out of the range of a float64"},
		{`"x"`, float, "expected a number at offset 0, found a string"},
		{`"yes"`, boolean, "expected a boolean at offset 0, found a string"},
		{`[]`, object, "expected an object at offset 0, found an array"},
		{`{}`, array, "expected an array at offset 0, found an object"},
		{`1`, date, "expected a date-time string at offset 0, found the number 1"},
		{` "2025-13-01T00:00:00Z"`, date, `invalid date-time "2025-13-01T00:00:00Z" at offset 1`},
		{`["a", ` + strings.Repeat("9", 60) + `]`, strs,
			"expected a string at offset 6, found the number " + strings.Repeat("9", 40) + "…"},
	} {
		_, err := read(tc.in, tc.m.read)
		if assert.Error(t, err, "%q", tc.in) {
			assert.Equal(t, tc.want, err.Error(), "%q", tc.in)
		}
		assert.Error(t, json.Unmarshal([]byte(tc.in), tc.m.into()), "%q: encoding/json", tc.in)
	}
}

func TestReaderNumbers(t *testing.T) {
	for _, tc := range []struct {
		in  string
		i   int64 // -1 when an integer must not be read
		f   float64
		bad bool // for float too
	}{
		{"0", 0, 0, false},
		{"-0", 0, math.Copysign(0, -1), false},
		{"7", 7, 7, false},
		{" 12345 ", 12345, 12345, false},
		{"-42", -42, -42, false},
		{"123456789012345678", 123456789012345678, 123456789012345678, false},
		{"9223372036854775807", math.MaxInt64, math.MaxInt64, false},
		{"-9223372036854775808", math.MinInt64, math.MinInt64, false},
		{"9007199254740993", 9007199254740993, 9007199254740992, false}, // rounded as ParseFloat rounds
		{"1.5", -1, 1.5, false},
		{"-1.5e-3", -1, -0.0015, false},
		{"1E+2", -1, 100, false},
		{"1e-400", -1, 0, false},
		{"1e400", -1, 0, true},
		{"-1e400", -1, 0, true},
	} {
		if tc.i >= 0 || tc.in[0] == '-' && tc.i != -1 {
			n, err := read(tc.in, (*reader).int64)
			require.NoError(t, err, tc.in)
			assert.Equal(t, tc.i, n, tc.in)
			m, err := read(tc.in, (*reader).int)
			require.NoError(t, err, tc.in)
			assert.Equal(t, int(tc.i), m, tc.in)
		} else {
			_, err := read(tc.in, (*reader).int)
			assert.Error(t, err, tc.in)
		}
		f, err := read(tc.in, (*reader).float)
		if tc.bad {
			assert.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, math.Float64bits(tc.f), math.Float64bits(f), "%s: %v", tc.in, f)
		a, err := read(tc.in, (*reader).any)
		require.NoError(t, err, tc.in)
		assert.Equal(t, f, a, tc.in)
	}
}

func TestReaderLiterals(t *testing.T) {
	b, err := read(" true", (*reader).boolean)
	require.NoError(t, err)
	assert.True(t, b)
	b, err = read("false ", (*reader).boolean)
	require.NoError(t, err)
	assert.False(t, b)

	r := newReader([]byte(` null `))
	assert.True(t, r.null(), "null is read")
	require.NoError(t, r.finish())
	r = newReader([]byte(`"null"`))
	assert.False(t, r.null(), "a string is no null")
	assert.Equal(t, "null", r.str())
	require.NoError(t, r.finish())
	r = newReader([]byte(`nil`))
	assert.False(t, r.null())
	assert.EqualError(t, r.finish(), "invalid character 'i' at offset 1, in the literal null")
}

func TestReaderNext(t *testing.T) {
	for in, want := range map[string]byte{`{}`: '{', ` []`: '[', `"x"`: '"', `null`: 'n', `true`: 't',
		`false`: 'f', `-1`: '-', "\n7": '7', ``: 0, `  `: 0, `x`: 'x'} {
		r := newReader([]byte(in))
		assert.Equal(t, want, r.next(), "%q", in)
		assert.Equal(t, want, r.next(), "%q: nothing is read", in)
	}
	r := newReader([]byte(`x`))
	r.skip()
	assert.Equal(t, byte(0), r.next(), "after an error")
}

func TestReaderAny(t *testing.T) {
	in := ` {"a": [1, -2.5, "x\u00e9", true, false, null, {}, []], "b": {"c": {"d": "e"}}, "a\nb": 0, "b": 1} `
	got, err := read(in, (*reader).any)
	require.NoError(t, err)
	var want any
	require.NoError(t, json.Unmarshal([]byte(in), &want))
	assert.Equal(t, want, got)
	assert.Equal(t, map[string]any{
		"a":    []any{1.0, -2.5, "xé", true, false, nil, map[string]any{}, []any{}},
		"a\nb": 0.0,
		"b":    1.0, // the last member of a key counts
	}, got)
}

func TestReaderRawAndSkip(t *testing.T) {
	in := `{"keep": {"x": [1, "\u00e9", null]} , "skip": [[], {"a": {"b": [true]}}, "s\"", -0.5e+3], "n": 1}`
	r := newReader([]byte(in))
	var raw json.RawMessage
	var n int
	for i := 0; r.member(i); i++ {
		switch string(r.key) {
		case "keep":
			raw = r.raw()
		case "n":
			n = r.int()
		default:
			r.skip()
		}
	}
	require.NoError(t, r.finish())
	assert.Equal(t, `{"x": [1, "\u00e9", null]}`, string(raw), "raw is the value as written")
	assert.Equal(t, 1, n)

	for _, in := range []string{`null`, `"a"`, `1.5`, `[]`, `{"a":{}}`} {
		raw, err := read(" "+in+" ", (*reader).raw)
		require.NoError(t, err, in)
		assert.Equal(t, in, string(raw))
	}
	raw, err := read(`[1,`, (*reader).raw)
	assert.Error(t, err)
	assert.Nil(t, raw, "nil on error")
}

func TestReaderObjects(t *testing.T) {
	in := `{"plain": 1, "esc\u0061ped\n": 2, "\ud83d\ude00": 3, "": 4, "plain": 5, "nested": {"plain": 6}}`
	r := newReader([]byte(in))
	var keys []string
	var nested []string
	for i := 0; r.member(i); i++ {
		keys = append(keys, string(r.key))
		if string(r.key) == "nested" {
			for j := 0; r.member(j); j++ {
				nested = append(nested, string(r.key))
				r.skip()
			}
			continue
		}
		r.int()
	}
	require.NoError(t, r.finish())
	assert.Equal(t, []string{"plain", "escaped\n", "😀", "", "plain", "nested"}, keys)
	assert.Equal(t, []string{"plain"}, nested)
	assert.Equal(t, 0, r.depth, "every object closed")

	r = newReader([]byte("{\"k\xff\":1}"))
	require.True(t, r.member(0))
	assert.Equal(t, "k\ufffd", string(r.key), "invalid UTF-8 in a key, as encoding/json reads it")

	r = newReader([]byte(` { } `))
	assert.False(t, r.member(0), "an empty object")
	require.NoError(t, r.finish())
}

func TestReaderArrays(t *testing.T) {
	r := newReader([]byte(` [ "a" , [ ] , [ "b" , "c" ] ] `))
	var got []string
	for i := 0; r.item(i); i++ {
		if r.next() == '[' {
			for j := 0; r.item(j); j++ {
				got = append(got, r.str())
			}
			continue
		}
		got = append(got, r.str())
	}
	require.NoError(t, r.finish())
	assert.Equal(t, []string{"a", "b", "c"}, got)
	assert.Equal(t, 0, r.depth)
}

func TestReaderSticky(t *testing.T) {
	r := newReader([]byte(`[1, "x", 2, true, {"a": "b"}]`))
	var n int
	for i := 0; r.item(i); i++ {
		n += r.int()
	}
	assert.Equal(t, 1, n, "reading stops at the error")
	want := "expected an integer at offset 4, found a string"
	require.EqualError(t, r.err, want)
	assert.False(t, r.member(0))
	assert.False(t, r.item(0))
	assert.False(t, r.null())
	assert.Equal(t, "", r.str())
	assert.Nil(t, r.strBytes())
	assert.Nil(t, r.any())
	assert.Nil(t, r.raw())
	assert.Zero(t, r.int64())
	assert.Zero(t, r.float())
	assert.False(t, r.boolean())
	assert.Zero(t, r.time())
	var b strBatch
	r.batchStart(&b)
	assert.False(t, r.batchStr(&b, 0))
	assert.Equal(t, "", r.batchEnd(&b))
	r.skip()
	r.fail(assert.AnError)
	r.failf("another %d", 2)
	assert.EqualError(t, r.finish(), want, "the first error is kept")
}

func TestReaderFinish(t *testing.T) {
	for in, ok := range map[string]bool{`1`: true, "1 \t\r\n": true, `1 2`: false, "1\v": false, "1\x00": false,
		`{}{}`: false, `1,`: false} {
		_, err := read(in, (*reader).int)
		assert.Equal(t, ok, err == nil, "%q: %v", in, err)
		assert.Equal(t, ok, json.Valid([]byte(in)), "%q: as encoding/json", in)
	}
}

func TestReaderDepth(t *testing.T) {
	nest := func(n int, open, inner, close string) string {
		return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}
	for _, tc := range []struct{ at, over string }{
		{nest(maxDepth, "[", "", "]"), nest(maxDepth+1, "[", "", "]")},
		{nest(maxDepth, `{"a":`, "1", "}"), nest(maxDepth+1, `{"a":`, "1", "}")},
		{nest(maxDepth/2, `[{"a":`, "1", "}]"), "[" + nest(maxDepth/2, `[{"a":`, "1", "}]") + "]"},
	} {
		require.True(t, json.Valid([]byte(tc.at)))
		require.False(t, json.Valid([]byte(tc.over)))
		for name, f := range map[string]func(*reader) any{
			"skip": func(r *reader) any { r.skip(); return nil },
			"any":  (*reader).any,
			"raw":  func(r *reader) any { return r.raw() },
		} {
			_, err := read(tc.at, f)
			assert.NoError(t, err, "%s %.6s at the limit", name, tc.at)
			_, err = read(tc.over, f)
			assert.ErrorContains(t, err, "nest deeper than 10000", "%s %.6s over the limit", name, tc.at)
		}
	}
	// The decoder's own arrays and objects count as well.
	r := newReader([]byte(`{"a":` + nest(maxDepth, "[", "", "]") + "}"))
	require.True(t, r.member(0))
	r.skip()
	assert.EqualError(t, r.finish(), "arrays and objects nest deeper than 10000 at offset 10004")
}

func TestReaderTime(t *testing.T) {
	east := time.FixedZone("", 2*3600)
	for in, want := range map[string]time.Time{
		`"2025-01-01T10:11:12Z"`:                time.Date(2025, 1, 1, 10, 11, 12, 0, time.UTC),
		`"2025-01-01T10:11:12.123456Z"`:         time.Date(2025, 1, 1, 10, 11, 12, 123456000, time.UTC),
		`"2025-01-01T10:11:12.5+02:00"`:         time.Date(2025, 1, 1, 10, 11, 12, 500000000, east),
		`"2025-01-01T10:11:12+00:00"`:           time.Date(2025, 1, 1, 10, 11, 12, 0, time.UTC),
		`"2025-01-01T10:11:12.123456"`:          time.Date(2025, 1, 1, 10, 11, 12, 123456000, time.UTC), // naive: UTC
		`"2025-01-01T10:11:12\u005a"`:           time.Date(2025, 1, 1, 10, 11, 12, 0, time.UTC),         // escaped
		`"2025-01-01T10:11:12.1234567891Z"`:     time.Date(2025, 1, 1, 10, 11, 12, 123456789, time.UTC), // time.Parse's way
		`"2024-02-29T23:59:59,5Z"`:              time.Date(2024, 2, 29, 23, 59, 59, 500000000, time.UTC),
		`"2025-01-01T10:11:12.999999999-07:30"`: time.Date(2025, 1, 1, 10, 11, 12, 999999999, time.FixedZone("", -(7*3600+1800))),
	} {
		got, err := read(in, (*reader).time)
		require.NoError(t, err, in)
		sameTime(t, in, want, got)
	}
	for _, in := range []string{`"2025-02-29T10:11:12Z"`, `"2025-01-01T24:00:00Z"`, `"2025-01-01"`, `""`,
		"\"2025-01-01T10:11:12\xffZ\""} {
		_, err := read(in, (*reader).time)
		assert.ErrorContains(t, err, "invalid date-time", in)
	}

	// One zone for the timestamps of one offset.
	r := newReader([]byte(`["2025-01-01T10:11:12+02:00","2025-01-02T10:11:12+02:00"]`))
	var ts []time.Time
	for i := 0; r.item(i); i++ {
		ts = append(ts, r.time())
	}
	require.NoError(t, r.finish())
	assert.Same(t, ts[0].Location(), ts[1].Location())
}

func TestStrBatch(t *testing.T) {
	in := `{"a": "one", "skip": "x", "b": "tw\u006f", "child": {"c": "three", "d": "", "e": "five"}, "f": null, "g": "six", "a": "one!"}`
	r := newReader([]byte(in))
	var outer strBatch
	r.batchStart(&outer)
	var child struct{ c, d string }
	var childAll string
	var e *string
	for i := 0; r.member(i); i++ {
		switch string(r.key) {
		case "a":
			r.batchStr(&outer, 0)
		case "b":
			r.batchStr(&outer, 1)
		case "f":
			if r.null() {
				outer.unset(2)
				continue
			}
			r.batchStr(&outer, 2)
		case "g":
			r.batchStr(&outer, 63)
		case "child":
			var inner strBatch
			r.batchStart(&inner)
			for j := 0; r.member(j); j++ {
				switch string(r.key) {
				case "c":
					r.batchStr(&inner, 0)
				case "d":
					r.batchStr(&inner, 1)
				case "e":
					r.batchStr(&inner, 2)
				default:
					r.skip()
				}
			}
			childAll = r.batchEnd(&inner)
			child.c, child.d = inner.get(childAll, 0), inner.get(childAll, 1)
			e = inner.ptrs(childAll, 2, 3)[0]
			assert.True(t, inner.has(1), "an empty string is set")
		default:
			r.skip()
		}
	}
	all := r.batchEnd(&outer)
	require.NoError(t, r.finish())
	assert.Equal(t, "threefive", childAll, "the child's strings, in one allocation")
	assert.Equal(t, "three", child.c)
	assert.Equal(t, "", child.d)
	require.NotNil(t, e)
	assert.Equal(t, "five", *e)

	assert.Equal(t, "onetwosixone!", all, "the parent's strings, in one allocation, a replaced one included")
	assert.Equal(t, "one!", outer.get(all, 0), "the last one counts")
	assert.Equal(t, "two", outer.get(all, 1))
	assert.Equal(t, "six", outer.get(all, 63))
	assert.False(t, outer.has(2))
	assert.Equal(t, "", outer.get(all, 2))
	assert.Equal(t, 0, len(r.scratch), "the scratch buffer is cut back")

	p := outer.ptrs(all, 0, 3)
	require.Len(t, p, 3)
	require.NotNil(t, p[0])
	require.NotNil(t, p[1])
	assert.Equal(t, "one!", *p[0])
	assert.Equal(t, "two", *p[1])
	assert.Nil(t, p[2])
	assert.Len(t, outer.ptrs(all, 60, 64), 4)
	assert.Equal(t, "six", *outer.ptrs(all, 0, 64)[63])
	assert.Equal(t, []*string{nil, nil}, outer.ptrs(all, 2, 4), "none set")

	// An empty batch allocates nothing.
	r = newReader([]byte(`""`))
	var b strBatch
	r.batchStart(&b)
	r.batchStr(&b, 0)
	assert.Equal(t, "", r.batchEnd(&b))
	assert.True(t, b.has(0))
}

// TestReaderCopies checks that nothing the reader returns points into its
// input.
func TestReaderCopies(t *testing.T) {
	in := []byte(`{"plain": "abc", "esc": "a\nb", "raw": [1, "x"], "any": {"k": "v"}, "batch": "xyz", "enum": "user"}`)
	r := newReader(in)
	var plain, esc, batch string
	var raw json.RawMessage
	var v any
	var enum []byte
	var b strBatch
	r.batchStart(&b)
	for i := 0; r.member(i); i++ {
		switch string(r.key) {
		case "plain":
			plain = r.str()
		case "esc":
			esc = r.str()
		case "raw":
			raw = r.raw()
		case "any":
			v = r.any()
		case "batch":
			r.batchStr(&b, 0)
		case "enum":
			enum = bytes.Clone(r.strBytes())
		}
	}
	batch = b.get(r.batchEnd(&b), 0)
	require.NoError(t, r.finish())
	clobber(in)
	assert.Equal(t, "abc", plain)
	assert.Equal(t, "a\nb", esc)
	assert.Equal(t, `[1, "x"]`, string(raw))
	assert.Equal(t, map[string]any{"k": "v"}, v)
	assert.Equal(t, "xyz", batch)
	assert.Equal(t, "user", string(enum))
}

func TestReaderAllocs(t *testing.T) {
	page := []byte(`{"n": 12, "f": 1.5, "b": true, "s": "abc", "e": "user", "t": "2025-01-01T10:11:12.5Z", "x": {"y": [1, "2", null]}}`)
	allocs := testing.AllocsPerRun(100, func() {
		r := newReader(page)
		for i := 0; r.member(i); i++ {
			switch string(r.key) {
			case "n":
				r.int()
			case "f":
				r.float()
			case "b":
				r.boolean()
			case "e":
				if string(r.strBytes()) != "user" {
					t.Fatal("enum")
				}
			case "t":
				r.time()
			default:
				r.skip()
			}
		}
		if err := r.finish(); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, 1.0, allocs, "the reader alone")

	in := []byte(`"abc" "a\nbc" ["x", "y", null]`)
	r := newReader(in)
	assert.Equal(t, 1.0, testing.AllocsPerRun(1, func() { r.pos = 0; r.str() }), "a string")
	assert.Equal(t, 1.0, testing.AllocsPerRun(1, func() { r.pos = 5; r.str() }), "a string with escapes")
	assert.Equal(t, 3.0, testing.AllocsPerRun(10, func() {
		r := newReader(in)
		r.pos = 13
		var b strBatch
		r.batchStart(&b)
		for i := 0; r.item(i); i++ {
			if r.null() {
				b.unset(i)
				continue
			}
			r.batchStr(&b, i)
		}
		b.ptrs(r.batchEnd(&b), 0, 3)
		require.NoError(t, r.err)
	}), "the reader, and for a batch its strings and the cells of the pointers")
}

// TestStrBatchShares checks that a record shares the strings that the
// record before it has too, and only those, and that a nested batch does
// not disturb the strings shared.
func TestStrBatchShares(t *testing.T) {
	in := `[{"org": "acme", "id": "1", "kid": {"org": "other"}}, {"org": "acme", "id": "2", "kid": {"org": "acme"}}, {"org": "zeta", "id": "2"}, {"org": "zeta", "kid": {"org": "other"}}]`
	type rec struct{ org, id, kid string }
	var recs []rec
	var alls []string
	r := newReader([]byte(in))
	for i := 0; r.item(i); i++ {
		var b strBatch
		r.batchStart(&b)
		var kid string
		for j := 0; r.member(j); j++ {
			switch string(r.key) {
			case "org":
				r.batchStr(&b, 0)
			case "id":
				r.batchStr(&b, 1)
			case "kid":
				var k strBatch
				r.batchStart(&k)
				for m := 0; r.member(m); m++ {
					r.batchStr(&k, 0)
				}
				kid = k.get(r.batchEnd(&k), 0)
			}
		}
		all := r.batchEnd(&b)
		alls = append(alls, all)
		recs = append(recs, rec{b.get(all, 0), b.get(all, 1), kid})
	}
	require.NoError(t, r.finish())
	assert.Equal(t, []rec{{"acme", "1", "other"}, {"acme", "2", "acme"}, {"zeta", "2", ""}, {"zeta", "", "other"}}, recs)
	assert.Equal(t, []string{"acme1", "2", "zeta", ""}, alls, "what each record copied")
	assert.Same(t, unsafe.StringData(recs[0].org), unsafe.StringData(recs[1].org), "the organization is shared")
	assert.Same(t, unsafe.StringData(recs[1].id), unsafe.StringData(recs[2].id), "the ID is shared")
	assert.Same(t, unsafe.StringData(recs[2].org), unsafe.StringData(recs[3].org),
		"shared, and kept while a nested batch reads another string of the same number")
}

func TestReaderObjectsAhead(t *testing.T) {
	r := newReader([]byte(`{"records": [{}, {}, {"a": {}}], "next": [{}]}`))
	require.True(t, r.member(0))
	assert.Equal(t, 5, r.objectsAhead(), "the '{' from here on")
	r.skip()
	require.True(t, r.member(1))
	assert.Equal(t, 1, r.objectsAhead())
	assert.Equal(t, 0, r.objectsAhead(), "no more once the input's size is counted")
}
