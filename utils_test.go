package arthur

import "testing"

func TestDuplicate(t *testing.T) {
	for _, c := range []struct {
		in           []string
		first, again int
		ok           bool
	}{
		{nil, 0, 0, false},
		{[]string{"a", "b", "c"}, 0, 0, false},
		{[]string{"a", "b", "a", "b"}, 0, 2, true},
		{[]string{"a", "b", "b"}, 1, 2, true},
	} {
		first, again, ok := duplicate(c.in)
		if first != c.first || again != c.again || ok != c.ok {
			t.Errorf("duplicate(%q) = %d, %d, %v; want %d, %d, %v", c.in, first, again, ok, c.first, c.again, c.ok)
		}
	}
}
