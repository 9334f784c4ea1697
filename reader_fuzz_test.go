package arthur

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// The fuzz targets hold the reader to encoding/json: the same inputs are
// accepted, with the same values, and nothing the reader returns points
// into its input.

// readerSeeds are inputs of every kind of JSON, and of most ways of not
// being JSON.
var readerSeeds = []string{
	`null`, `true`, `false`, `0`, `-0`, `1`, `-1`, `12345`, `1.5`, `-1.5e-3`, `1E+2`, `1e400`, `-1e400`, `1e-400`,
	`9007199254740993`, `123456789012345678`, `1234567890123456789`, `9223372036854775807`,
	`9223372036854775808`, `-9223372036854775808`, `-9223372036854775809`, `0.0`, `1.0`, `1e2`,
	`""`, `"abc"`, `"a\"b\\c\/d\be\ff\ng\rh\ti"`, `"\u0041\u00e9\u65e5"`, `"\ud83d\ude00"`, `"\uD83D\uDE00"`,
	`"\ud800"`, `"\udc00"`, `"\ud800\ud800\udc00"`, `"\ud800x"`, `"\ud800\n"`, `"\udbff\udfff"`, `"\ud800\u0041"`,
	"\"a\xffb\"", "\"\xc3\"", "\"\xc3\xa9\"", "\"\xe6\x97\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"",
	"\"\xc3\\u00e9\"", "\"\xef\xbf\xbd\"", `"2025-01-01T10:11:12.123456Z"`, `"2025-01-01T10:11:12+02:00"`,
	`"2025-01-01T10:11:12.123456"`, `"2025-01-01T10:11:12\u005a"`, `"2025-02-29T10:11:12Z"`,
	`[]`, `{}`, `[1,"a",null,true,false,{},[]]`, `{"a":1,"b":[1,2,{"c":"d"}],"a":2}`, `{"\u0061":1,"a\n":2}`,
	` {"a" : [ 1 , 2 ] } `, "\t\r\n1\t\r\n", `[[[[[[[[]]]]]]]]`, `{"":""}`, "{\"\xff\":1}",
	``, ` `, `nul`, `tru`, `fals`, `nulll`, `truex`, `[1,]`, `[,1]`, `{"a":1,}`, `{,}`, `{"a"}`, `{"a":}`,
	`{"a" 1}`, `{1:2}`, `[1 2]`, `01`, `-01`, `1.`, `.5`, `+1`, `-`, `1e`, `1e+`, `0x1`, `1_000`, `"\x"`,
	`"\u12"`, `"\u12G4"`, "\"a\x01b\"", "\"a\x7fb\"", `"abc`, `"abc\`, `[`, `{`, `{"a":1`, `[1`, `]`, `}`,
	"\xef\xbb\xbf1", "1\x00", "\x00", "\v1", "\f1", `1 2`, `{}{}`, `Infinity`, `NaN`, `'a'`,
}

func addSeeds(f *testing.F, seeds []string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
}

// clobber overwrites b, so that a value that points into it shows.
func clobber(b []byte) {
	for i := range b {
		b[i] = '#'
	}
}

func FuzzReaderAny(f *testing.F) {
	addSeeds(f, readerSeeds) // TestReaderDepth has the deep ones, too slow to fuzz well
	f.Fuzz(func(t *testing.T, data []byte) {
		var want any
		wantErr := json.Unmarshal(data, &want)

		input := bytes.Clone(data)
		r := newReader(input)
		got := r.any()
		gotErr := r.finish()
		clobber(input)
		if (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("any: encoding/json err=%v, reader err=%v, input %q", wantErr, gotErr, data)
		}
		if wantErr == nil && !reflect.DeepEqual(want, got) {
			t.Fatalf("any: input %q\nencoding/json %#v\nreader        %#v", data, want, got)
		}

		r = newReader(data)
		r.skip()
		if err := r.finish(); (err == nil) != json.Valid(data) {
			t.Fatalf("skip: json.Valid %v, reader err=%v, input %q", json.Valid(data), err, data)
		}

		var wantRaw json.RawMessage
		wantErr = json.Unmarshal(data, &wantRaw)
		input = bytes.Clone(data)
		r = newReader(input)
		gotRaw := r.raw()
		gotErr = r.finish()
		clobber(input)
		if (wantErr == nil) != (gotErr == nil) || wantErr == nil && !bytes.Equal(wantRaw, gotRaw) {
			t.Fatalf("raw: encoding/json %q err=%v, reader %q err=%v, input %q", wantRaw, wantErr, gotRaw, gotErr, data)
		}
	})
}

func FuzzReaderStrings(f *testing.F) {
	addSeeds(f, readerSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var want string
		wantErr := json.Unmarshal(data, &want)
		check := func(path string, got string, err error) {
			t.Helper()
			if (wantErr == nil) != (err == nil) {
				t.Fatalf("%s: encoding/json err=%v, reader err=%v, input %q", path, wantErr, err, data)
			}
			if wantErr == nil && got != want {
				t.Fatalf("%s: input %q: encoding/json %q, reader %q", path, data, want, got)
			}
		}
		// Each way of reading a string, as a decoder does: null first.
		read := func(path string, read func(r *reader) string) {
			t.Helper()
			input := bytes.Clone(data)
			r := newReader(input)
			var got string
			if !r.null() {
				got = read(r)
			}
			err := r.finish()
			clobber(input)
			check(path, got, err)
		}
		read("str", (*reader).str)
		read("strBytes", func(r *reader) string { return string(r.strBytes()) })
		read("batchStr", func(r *reader) string {
			var b strBatch
			r.batchStart(&b)
			r.batchStr(&b, 63)
			return b.get(r.batchEnd(&b), 63)
		})
		read("batchStr, nested", func(r *reader) string {
			var outer, inner strBatch
			r.batchStart(&outer)
			r.scratch = append(r.scratch, "outer"...)
			outer.spans[0], outer.set = batchSpan{0, 5}, 1
			r.batchStart(&inner)
			r.batchStr(&inner, 5)
			var got string
			if p := inner.ptrs(r.batchEnd(&inner), 5, 6)[0]; p != nil {
				got = *p
			}
			if all := r.batchEnd(&outer); r.err == nil && outer.get(all, 0) != "outer" {
				t.Fatalf("the outer batch lost its string: %q", all)
			}
			return got
		})

		// As a key, where the string is one.
		if wantErr == nil && bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte(`"`)) {
			obj := append(append([]byte("{"), data...), ":0}"...)
			r := newReader(obj)
			var got string
			for i := 0; r.member(i); i++ {
				got = string(r.key)
				r.skip()
			}
			check("key", got, r.finish())
		}

		// As a date-time: the reader reads the string as encoding/json does
		// and parses it as parseTimestamp does.
		if wantErr == nil && !isJSONNull(data) {
			r := newReader(data)
			got := r.time()
			gotErr := r.finish()
			ref, refErr := parseTimestamp(want)
			if (refErr == nil) != (gotErr == nil) {
				t.Fatalf("time: parseTimestamp err=%v, reader err=%v, input %q", refErr, gotErr, data)
			}
			if refErr == nil {
				sameTime(t, want, got, ref)
			}
		}
	})
}

func FuzzReaderNumbers(f *testing.F) {
	addSeeds(f, readerSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		compare(t, "int", data, (*reader).int)
		compare(t, "int64", data, (*reader).int64)
		compare(t, "float", data, (*reader).float)
		// The same number in an array, before a ',' or a ']'.
		list := append(append([]byte("["), data...), ",0]"...)
		compareList(t, "int", list, (*reader).int)
		compareList(t, "int64", list, (*reader).int64)
		compareList(t, "float", list, (*reader).float)
	})
}

// compare reads data with read, null first as a decoder does, and with
// encoding/json into a T.
func compare[T comparable](t *testing.T, name string, data []byte, read func(*reader) T) {
	t.Helper()
	var want T
	wantErr := json.Unmarshal(data, &want)
	r := newReader(data)
	var got T
	if !r.null() {
		got = read(r)
	}
	gotErr := r.finish()
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%s: encoding/json err=%v, reader err=%v, input %q", name, wantErr, gotErr, data)
	}
	if wantErr == nil && got != want {
		t.Fatalf("%s: input %q: encoding/json %v, reader %v", name, data, want, got)
	}
}

// compareList reads the array data with read as compare does.
func compareList[T comparable](t *testing.T, name string, data []byte, read func(*reader) T) {
	t.Helper()
	var want []T
	wantErr := json.Unmarshal(data, &want)
	r := newReader(data)
	var got []T
	if !r.null() {
		got = []T{}
		for i := 0; r.item(i); i++ {
			var v T
			if !r.null() {
				v = read(r)
			}
			got = append(got, v)
		}
	}
	gotErr := r.finish()
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("[]%s: encoding/json err=%v, reader err=%v, input %q", name, wantErr, gotErr, data)
	}
	if wantErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("[]%s: input %q: encoding/json %v, reader %v", name, data, want, got)
	}
}
