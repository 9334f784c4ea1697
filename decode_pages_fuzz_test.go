package arthur_test

import (
	"bytes"
	"strings"
	"testing"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/internal/benchkit"
)

// TestPages holds the decoding of the benchmarks' pages of users, as big
// as the API sends them, plain and with escapes, to the reference decoder,
// as FuzzModels does.
func TestPages(t *testing.T) {
	for _, size := range benchkit.PageSizes {
		arthur.CheckModel(t, new(arthur.ResourceListUser), benchkit.PageJSON(2, size, 3*size))
	}
	arthur.CheckModel(t, new(arthur.ResourceListUser), benchkit.EscapedPageJSON(1, benchkit.EscapedPageSize, 5000))
}

// FuzzPages holds the decoding of a page of users to the reference
// decoder, as FuzzModels does, from the benchmarks' pages: of up to
// maxSeedPage users, plain and with escapes, and small ones that stray from
// the API's shape in one place each. (The check of a page of 100 users
// takes 30 ms, and fuzzing minimizes each new input it finds, for up to a
// minute: TestPages checks the big pages.)
func FuzzPages(f *testing.F) {
	const maxSeedPage = 20
	for _, size := range benchkit.PageSizes {
		if size <= maxSeedPage {
			f.Add(benchkit.PageJSON(2, size, 3*size))
		}
	}
	f.Add(benchkit.PageJSON(2, maxSeedPage, 3*maxSeedPage))
	f.Add(benchkit.EscapedPageJSON(1, maxSeedPage, 5000))
	f.Add(benchkit.EscapedPageJSON(3, 10, 25))
	page := string(benchkit.PageJSON(1, 2, 2))
	user := benchkit.UserJSON(1)
	for _, s := range []string{
		" \n" + page + "\t ",
		page + "x",
		page + "{}",
		strings.ReplaceAll(page, ":", " : "),
		strings.ReplaceAll(page, ",", "\r\n,\t"),
		strings.Replace(page, `"User 1"`, `"\udc00\u0041"`, 1),
		strings.Replace(page, `"User 1"`, "\"A\tda\"", 1),
		strings.Replace(page, `"User 1"`, "\"A\xffda\"", 1),
		strings.Replace(page, `"id":`, `"i\u0064":`, 1),
		strings.Replace(page, `"id":`, `"extra":[{"id":1}],"id":`, 1),
		strings.Replace(page, `"user_type":"user"`, `"user_type":"robot"`, 1),
		strings.Replace(page, `"user_type":"user"`, `"user_type":null`, 1),
		strings.Replace(page, `"first_name":`, `"first_name":null,"first_name":`, 1),
		strings.Replace(page, `Z"`, `\u005a"`, 1),
		strings.Replace(page, `"total_records":2`, `"total_records":1234567890123456`, 1),
		strings.Replace(page, `"total_records":2`, `"total_records":01`, 1),
		strings.Replace(page, `"total_records":2`, `"total_records":2.0`, 1),
		strings.Replace(page, `"page":1,`, ``, 1),
		strings.Replace(page, `"page":1,`, `"page":null,`, 1),
		strings.Replace(page, `{"records"`, `{"records":[],"records"`, 1),
		strings.Replace(page, `{"records"`, `{"other":1,"records"`, 1),
		strings.Replace(page, `[{`, `[null,{`, 1),
		strings.Replace(page, user, `{}`, 1),
		strings.Replace(page, user, user[:len(user)/2], 1),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		arthur.CheckModel(t, new(arthur.ResourceListUser), bytes.Clone(data))
	})
}
