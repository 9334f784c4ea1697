package arthur

import (
	"context"
	"iter"
	"sync"
)

// fetchPage fetches one page of a list: its records and total_pages.
// received, when set, is called once the page's body is in memory and
// only decoding is left.
type fetchPage[T any] func(ctx context.Context, page int, received func()) (records []T, totalPages int, err error)

// allPages is the sequence of every record of a paged list, from page
// start (or 1) to the last page, in order, for the <Op>Iter methods.
//
// Once the first page has told how many pages there are (total_pages), it
// fetches the others concurrently, Configuration.PageConcurrency requests
// at a time (8 by default, 64 at most), sending them in page order so that
// the page the loop needs next never waits behind later ones, and yields
// their records in page order; memory holds at most twice that many pages.
// It stops fetching as soon as the loop breaks, ctx ends or a page fails.
// A failure is yielded once, with a zero record, after the records of the
// pages before it, and ends the sequence. Once ctx has ended, the next
// value yielded is that failure, matching ctx.Err() through errors.Is, not
// the records already in memory. Pages are fetched independently, so a
// list that changes while it is walked may show a record twice or not at
// all. list names the operation in the error of an ended ctx.
func allPages[T any](ctx context.Context, c *APIClient, start int, fetch fetchPage[T], list *call) iter.Seq2[T, error] {
	if start == 0 {
		start = 1
	}
	return func(yield func(T, error) bool) {
		var zero T
		first, total, err := fetch(ctx, start, nil)
		if err != nil {
			yield(zero, err)
			return
		}
		p := pager[T]{c: c, fetch: fetch, list: list}
		p.yieldPages(ctx, start, first, total, yield)
	}
}

type pager[T any] struct {
	c     *APIClient
	fetch fetchPage[T]
	list  *call
}

// pageResult is a page that the pager fetched, or why not.
type pageResult[T any] struct {
	records []T
	err     error
}

// yieldPages yields first, the records of page start, and those of the
// pages after it up to total, in page order. At most PageConcurrency
// requests are on the wire at once, and places on the wire go to pages
// strictly in page order, so the page the loop needs next is never
// queued behind later ones: a request gives its place to the next page as
// soon as its body has arrived, while it is decoded. At most twice that
// many pages are fetched ahead of the loop (one, with PageConcurrency 1),
// and never past total, which bounds memory. The fetches start before
// first's records are yielded, so a slow loop overlaps them. Once ctx
// ends, the loop gets its error next, not the records in memory.
func (p pager[T]) yieldPages(ctx context.Context, start int, first []T, total int, yield func(T, error) bool) {
	left := 0 // pages after start that are still to be fetched
	if total > start && len(first) > 0 {
		left = total - start // an empty first page ends the list
	}
	if left == 0 {
		p.yieldRecords(ctx, first, yield)
		return
	}
	concurrency := p.c.pageConcurrency()
	ahead := 2 * concurrency
	if concurrency == 1 {
		ahead = 1 // one page after another, none read ahead but the next
	}
	ahead = min(ahead, left)

	type fetch struct {
		page   int
		result chan pageResult[T]
	}
	fetchCtx, cancel := context.WithCancel(ctx)
	queue := make(chan fetch, ahead)                // in page order
	wire := make(chan struct{}, concurrency)        // a place on the wire
	pending := make([]chan pageResult[T], 0, ahead) // in page order
	var wg sync.WaitGroup
	defer func() {
		cancel() // stops the fetches still in flight
		close(queue)
		wg.Wait()
	}()
	// One goroutine hands out the places on the wire, to the queued pages
	// in the order they were queued; fetches that raced each other for a
	// place could let later pages take every place while the page the loop
	// needs next waits.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for f := range queue {
			if fetchCtx.Err() == nil {
				select {
				case wire <- struct{}{}:
					wg.Add(1)
					go func() {
						defer wg.Done()
						var once sync.Once
						leave := func() { once.Do(func() { <-wire }) }
						records, _, err := p.fetch(fetchCtx, f.page, leave)
						leave()
						f.result <- pageResult[T]{records, err}
					}()
					continue
				case <-fetchCtx.Done():
				}
			}
			f.result <- pageResult[T]{nil, fetchCtx.Err()}
		}
	}()
	queued := 0
	enqueue := func() {
		queued++
		ch := make(chan pageResult[T], 1)
		pending = append(pending, ch)
		queue <- fetch{start + queued, ch} // at most total: no overflow
	}
	for queued < ahead {
		enqueue()
	}
	if !p.yieldRecords(ctx, first, yield) {
		return
	}
	var zero T
	done := ctx.Done()
	for len(pending) > 0 {
		var r pageResult[T]
		select {
		case r = <-pending[0]:
		case <-done:
		}
		if err := ctx.Err(); err != nil {
			yield(zero, ctxError(p.list, err, nil))
			return
		}
		pending = pending[1:]
		if r.err != nil {
			yield(zero, r.err)
			return
		}
		if len(r.records) == 0 {
			return // the list shrank: the pages after this one are empty too
		}
		if !p.yieldRecords(ctx, r.records, yield) {
			return
		}
		if queued < left {
			enqueue()
		}
	}
}

// yieldRecords yields records in order until the loop breaks or ctx ends,
// checking ctx before each one: once it has ended, its error is yielded
// instead of the records left. It reports whether the loop goes on.
func (p pager[T]) yieldRecords(ctx context.Context, records []T, yield func(T, error) bool) bool {
	var zero T
	done := ctx.Done()
	for i := range records {
		select {
		case <-done:
			yield(zero, ctxError(p.list, ctx.Err(), nil))
			return false
		default:
		}
		if !yield(records[i], nil) {
			return false
		}
	}
	return true
}

// pageConcurrency is how many pages an Iter fetches at once: one for a
// client that NewAPIClient did not make, whose calls fail anyway.
func (c *APIClient) pageConcurrency() int {
	if c == nil || c.pages < 1 {
		return 1
	}
	return c.pages
}

// fetchOpenPage fetches one page of a list that does not say how many
// pages it has: its records and the page's size.
type fetchOpenPage[T any] func(ctx context.Context, page int) (records []T, pageSize int, err error)

// pagesUntilShort is the sequence of every record of a paged list that
// does not say how many pages it has (the spec's InfiniteResourceList),
// for the <Op>Iter methods: it fetches page start (or 1) and the pages
// after it one after another, and stops after a page with fewer records
// than its size, or none. Nothing is fetched ahead of the loop. As with
// allPages, a failure is yielded once, with a zero record, after the
// records before it, and ends the sequence; once ctx has ended, the next
// value is that failure; a list that changes while it is walked may show
// a record twice or not at all. list names the operation in the error of
// an ended ctx.
func pagesUntilShort[T any](ctx context.Context, c *APIClient, start int, fetch fetchOpenPage[T], list *call) iter.Seq2[T, error] {
	if start == 0 {
		start = 1
	}
	return func(yield func(T, error) bool) {
		var zero T
		p := pager[T]{c: c, list: list}
		for page := start; ; page++ {
			records, size, err := fetch(ctx, page)
			if err != nil {
				yield(zero, err)
				return
			}
			if !p.yieldRecords(ctx, records, yield) {
				return
			}
			if len(records) == 0 || len(records) < size {
				return
			}
		}
	}
}
