package arthur

import (
	"fmt"
	"strings"
	"sync"
)

// The generated models decode themselves with a reader (reader.go): each
// has a decodeJSON method, which the pipeline and UnmarshalJSON call. This
// file holds what they share.

var openBrace = []byte{'{'}

// jsonDecoder is a model that reads itself with a reader.
type jsonDecoder interface {
	decodeJSON(r *reader)
}

// decodeAll decodes data with decode, and checks that nothing but white
// space follows the value. Nothing decoded points into data, so the
// pipeline's body buffer and the bytes encoding/json lends UnmarshalJSON
// are free once it returns.
func decodeAll(data []byte, decode func(*reader)) error {
	r, _ := readers.Get().(*reader)
	if r == nil {
		r = new(reader)
	}
	r.reset(data)
	decode(r)
	err := r.finish()
	*r = reader{} // keeps nothing of data, or of what was decoded
	readers.Put(r)
	return err
}

// readers are readers to reuse: one holds a few kilobytes of buffers,
// which a small answer would otherwise allocate and clear each time.
var readers sync.Pool

// decodeFunc is the decoder of a result that is not a model, such as a
// list of models: the pipeline decodes it with a reader all the same.
type decodeFunc func(r *reader)

func (f decodeFunc) decodeJSON(r *reader) { f(r) }

// readSlice reads an array, whose elements read reads; a null element is
// the zero value, as encoding/json reads it. An array of objects near the
// top of the input is sized once, by the objects left in the input.
func readSlice[T any](r *reader, read func(*T, *reader)) []T {
	var out []T
	for i := 0; r.item(i); i++ {
		if i == 0 {
			n := 0
			if r.peek() == '{' {
				n = r.objectsAhead()
			}
			out = make([]T, 0, max(n, 1))
		}
		var zero T
		out = append(out, zero)
		if !r.null() {
			read(&out[len(out)-1], r)
		}
	}
	if out == nil && r.err == nil {
		out = []T{} // [] is an empty slice, not nil
	}
	return out
}

// readMap reads an object into a map, whose values read reads; a null
// value is the zero value, as encoding/json reads it.
func readMap[T any](r *reader, read func(*T, *reader)) map[string]T {
	m := map[string]T{}
	for i := 0; r.member(i); i++ {
		k := string(r.key)
		var v T
		if !r.null() {
			read(&v, r)
		}
		m[k] = v
	}
	return m
}

// The kinds of scalar that r.scalar accepts.
const (
	scalarString = 1 << iota
	scalarInt
	scalarFloat
	scalarBool
)

// scalar reads a value that the spec allows to be one of a few scalars:
// a string, an int, a float64 or a bool, as kinds says.
func (r *reader) scalar(kinds int) any {
	switch c := r.peek(); {
	case c == '"' && kinds&scalarString != 0:
		return r.str()
	case (c == '-' || c >= '0' && c <= '9') && kinds&scalarInt != 0 && (kinds&scalarFloat == 0 || r.integerAhead()):
		return r.int()
	case (c == '-' || c >= '0' && c <= '9') && kinds&scalarFloat != 0:
		return r.float()
	case (c == 't' || c == 'f') && kinds&scalarBool != 0:
		return r.boolean()
	}
	var want []string
	for _, k := range []struct {
		bit  int
		name string
	}{{scalarString, "a string"}, {scalarInt, "an integer"}, {scalarFloat, "a number"}, {scalarBool, "a boolean"}} {
		if kinds&k.bit != 0 {
			want = append(want, k.name)
		}
	}
	r.expected(strings.Join(want, " or "))
	return nil
}

// missing reports the required fields of model that seen, a bit per name,
// lacks.
func (r *reader) missing(model string, seen uint64, names ...string) {
	var miss []string
	for i, n := range names {
		if seen&(1<<i) == 0 {
			miss = append(miss, n)
		}
	}
	r.fail(missingFieldsError(model, miss))
}

func missingFieldsError(model string, fields []string) error {
	return fmt.Errorf("%s: missing required field(s) %s", model, strings.Join(fields, ", "))
}

// unionBranch is a branch of a union and the keys it requires.
type unionBranch struct {
	name string
	keys []string
}

// branch looks ahead at the object that comes next and returns the first
// of branches whose required keys it has, not null; it reads nothing. No
// such branch is an error, and -1.
func (r *reader) branch(model string, branches []unionBranch) int {
	if r.err != nil {
		return -1
	}
	start, depth := r.pos, r.depth
	var have uint64 // bit j: the j-th key of all branches' keys
	for i := 0; r.member(i); i++ {
		j, isNull := 0, r.null()
		for _, b := range branches {
			for _, k := range b.keys {
				if string(r.key) == k {
					if isNull {
						have &^= 1 << j
					} else {
						have |= 1 << j
					}
				}
				j++
			}
		}
		if !isNull {
			r.skip()
		}
	}
	if r.err != nil {
		return -1
	}
	r.pos, r.depth = start, depth
	j := 0
	for i, b := range branches {
		all := uint64(1)<<len(b.keys) - 1
		if have>>j&all == all {
			return i
		}
		j += len(b.keys)
	}
	parts := make([]string, len(branches))
	for i, b := range branches {
		parts[i] = strings.Join(b.keys, " and ") + " (" + b.name + ")"
	}
	r.failf("%s: the object has the keys of no branch: %s", model, strings.Join(parts, ", nor "))
	return -1
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

// integerAhead reports whether the number that comes next is written as an
// integer: no fraction, no exponent.
func (r *reader) integerAhead() bool {
	r.peek()
	_, integer, ok := numberEnd(r.b[r.pos:])
	return ok && integer
}
