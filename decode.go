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
	_, have, ok := r.lookAhead("", nil, branches)
	if !ok {
		return -1
	}
	return r.keysBranch(model, branches, have, false)
}

// branchElse is branch for a union that also takes any other object: no
// branch whose keys the object has is len(branches), for its Other.
func (r *reader) branchElse(model string, branches []unionBranch) int {
	_, have, ok := r.lookAhead("", nil, branches)
	if !ok {
		return -1
	}
	return r.keysBranch(model, branches, have, true)
}

// taggedBranch looks ahead at the object that comes next, a union whose
// branches each have a tag, a const string at key (tags[i] of
// branches[i]): the object's tag picks its branch, and one that no branch
// has, of a branch the server has added, is len(branches), for the
// union's Other. An absent or null tag leaves it to the keys, as branch
// does. It reads nothing; -1 on error.
func (r *reader) taggedBranch(model, key string, tags []string, branches []unionBranch) int {
	tag, have, ok := r.lookAhead(key, tags, branches)
	switch {
	case !ok:
		return -1
	case tag >= 0:
		return tag
	}
	return r.keysBranch(model, branches, have, false)
}

// siblingBranch looks ahead at the object that comes next, which holds a
// union whose branch its member key tells: the index of key's string
// value in tags, len(tags) for another string, and -1 where key is absent
// or null, or on error. It reads nothing.
func (r *reader) siblingBranch(key string, tags []string) int {
	tag, _, ok := r.lookAhead(key, tags, nil)
	if !ok {
		return -1
	}
	return tag
}

// lookAhead reads the object that comes next and rewinds: it returns the
// index in tags of the string value of its member key (len(tags) for one
// tags lacks, -1 for none or null, where key is ""), and a bit for each
// key of all branches' required keys that it has, not null. As
// encoding/json reads an object, of the members with the same key the
// last one counts.
func (r *reader) lookAhead(key string, tags []string, branches []unionBranch) (tag int, have uint64, ok bool) {
	if r.err != nil {
		return -1, 0, false
	}
	start, depth := r.pos, r.depth
	tag = -1
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
		switch {
		case key == "" || string(r.key) != key:
			if !isNull {
				r.skipAhead()
			}
		case isNull:
			tag = -1
		default:
			v := r.strBytes()
			tag = len(tags)
			for j, t := range tags {
				if t != "" && string(v) == t {
					tag = j
					break
				}
			}
		}
	}
	if r.err != nil {
		return -1, 0, false
	}
	r.pos, r.depth = start, depth
	return tag, have, true
}

// memoDepth is the depth below which skipAhead remembers where the arrays
// and objects it skips end.
const memoDepth = 8

// skipAhead skips the next value for lookAhead. Below memoDepth it keeps
// where each array and object in the value ends, and skips one it has
// seen at once: the look-ahead of a union nested in another's (a list of
// lists) then reads what the outer one has read only once, and a deep
// recursive union costs the size of its input, not its square.
func (r *reader) skipAhead() {
	c := r.peek()
	if r.depth < memoDepth || c != '{' && c != '[' {
		r.skip()
		return
	}
	start := r.pos
	if end, ok := r.ends[start]; ok {
		r.pos = end
		return
	}
	if c == '{' {
		for i := 0; r.member(i); i++ {
			r.skipAhead()
		}
	} else {
		for i := 0; r.item(i); i++ {
			r.skipAhead()
		}
	}
	if r.err == nil {
		if r.ends == nil {
			r.ends = map[int]int{}
		}
		r.ends[start] = r.pos
	}
}

// keysBranch is the first of branches whose keys have (from lookAhead)
// holds; for none, len(branches) where other is true, and else an error
// and -1.
func (r *reader) keysBranch(model string, branches []unionBranch, have uint64, other bool) int {
	j := 0
	for i, b := range branches {
		all := uint64(1)<<len(b.keys) - 1
		if have>>j&all == all {
			return i
		}
		j += len(b.keys)
	}
	if other {
		return len(branches)
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
