package test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// The fault matrix: what the SDK returns when the network or the server
// fails, against real servers on loopback (a hand-written HTTP/1.1 server on
// a raw TCP socket, httptest, and arthurtest). GET is GetUsersMe, POST is
// PostOrganizationUser; "retried" means success if a later attempt is
// answered well, else the error shown after the default 4 attempts. Every call
// runs under a generous deadline (guard), ends in bounded time, and leaves
// no goroutine behind (checkLeaks).
//
//	fault                                  GET                                         POST
//	-------------------------------------  ------------------------------------------  -----------------------------------------
//	connection refused                     retried; *url.Error, ECONNREFUSED           retried (nothing was sent); same error
//	hang-up before the response            retried; *url.Error, io.EOF                 1 attempt; *url.Error, io.EOF
//	reset (RST) before the response        retried; *url.Error, ECONNRESET             1 attempt; same
//	reset (RST) mid-body                   retried; ECONNRESET or io.ErrUnexpectedEOF  1 attempt; same
//	truncated body (short Content-Length)  retried; io.ErrUnexpectedEOF                1 attempt; io.ErrUnexpectedEOF
//	garbage status line                    retried; *url.Error "malformed HTTP ..."    1 attempt; same
//	slow headers, http.Client.Timeout      retried; net.Error with Timeout()           1 attempt; same
//	slow body, http.Client.Timeout         retried; net.Error with Timeout()           1 attempt; same
//	slow headers, ctx deadline             1 attempt; context.DeadlineExceeded         1 attempt; context.DeadlineExceeded
//	slow body, ctx deadline                1 attempt; context.DeadlineExceeded         1 attempt; context.DeadlineExceeded
//	500/502/503/504 burst of n             success after n+1 (n < 4); else *APIError  500/502/504, 503 without Retry-After: 1 attempt, *APIError, ErrServer
//	429 Retry-After: seconds               waits, then success                         waits, then success
//	503 Retry-After: HTTP date             waits, then success                         waits, then success
//	HTML error page (502, 404)             *APIError, Body kept, no Detail, no model;  *APIError, 1 attempt
//	                                       502 retried, 404 not
//	empty 200                              *DecodeError "empty body", 1 attempt        same (an empty 201 to the invite: nil, no error)
//	200 not JSON / wrong types             *DecodeError, 1 attempt                     *DecodeError, 1 attempt
//	20 MB error body                       *APIError, Body 1 MiB, BodyTruncated, fast, a few MiB allocated
//
// "once" below means the fault answers the first attempt and a good answer
// the next ones; "always" that it answers every attempt.

// faultCall is the GET or the POST of the matrix.
type faultCall struct {
	name, method, path string
	call               func(context.Context, *arthur.UsersV1APIService) error
}

func faultGET() faultCall {
	return faultCall{"GET", http.MethodGet, "/api/v1/users/me", func(ctx context.Context, api *arthur.UsersV1APIService) error {
		u, err := api.GetUsersMe(ctx)
		if err == nil && u.ID != adaID {
			return fmt.Errorf("got user %q", u.ID)
		}
		return err
	}}
}

func faultPOST() faultCall {
	return faultCall{"POST", http.MethodPost, "/api/v1/organization/users", func(ctx context.Context, api *arthur.UsersV1APIService) error {
		u, err := api.PostOrganizationUser(ctx, arthur.PostEndUser{
			FirstName: "Ada", LastName: arthur.Ptr("Lovelace"), Email: "ada@example.com", Password: "pw-Secr3t!",
		})
		if err == nil && u.ID != adaID {
			return fmt.Errorf("got user %q", u.ID)
		}
		return err
	}}
}

// withClientTimeout sets http.Client.Timeout on the client's HTTPClient.
func withClientTimeout(d time.Duration) option {
	return func(c *arthur.Configuration) { c.HTTPClient.Timeout = d }
}

// assertTransportError checks what every failure below HTTP has in common:
// no APIError or DecodeError, the operation named, no token.
func assertTransportError(t *testing.T, fc faultCall, err error) {
	t.Helper()
	require.Error(t, err)
	var apiErr *arthur.APIError
	assert.False(t, errors.As(err, &apiErr), "not an APIError: %v", err)
	var de *arthur.DecodeError
	assert.False(t, errors.As(err, &de), "not a DecodeError: %v", err)
	assert.Contains(t, err.Error(), fc.method+" "+fc.path)
	assertNoToken(t, err)
}

func assertURLError(t *testing.T, err error) {
	t.Helper()
	var ue *url.Error
	assert.True(t, errors.As(err, &ue), "*url.Error in %v", err)
}

func assertTimeout(t *testing.T, err error) {
	t.Helper()
	var ne net.Error
	require.True(t, errors.As(err, &ne), "net.Error in %v", err)
	assert.True(t, ne.Timeout(), "a timeout: %v", err)
}

// rawFault is a row of the matrix served by rawServer.
type rawFault struct {
	name    string
	timeout time.Duration // http.Client.Timeout the row needs; 0 for none
	serve   func(c *rawConn)
	check   func(t *testing.T, err error)
}

func rawFaults() []rawFault {
	full := adaDoc().json()
	return []rawFault{
		{
			name:  "hang-up before the response",
			serve: func(c *rawConn) { _ = c.conn.Close() },
			check: func(t *testing.T, err error) {
				assertURLError(t, err)
				assert.ErrorIs(t, err, io.EOF)
			},
		},
		{
			name:  "reset before the response",
			serve: func(c *rawConn) { c.reset() },
			check: func(t *testing.T, err error) {
				assertURLError(t, err)
				assert.ErrorIs(t, err, syscall.ECONNRESET)
			},
		},
		{
			name: "reset mid-body",
			serve: func(c *rawConn) {
				c.head(200, len(full))
				c.write(full[:len(full)/2])
				c.pause(50 * time.Millisecond) // let the client read what came
				c.reset()
			},
			check: func(t *testing.T, err error) {
				assert.True(t, errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF),
					"ECONNRESET or io.ErrUnexpectedEOF in %v", err)
			},
		},
		{
			name: "truncated body",
			serve: func(c *rawConn) {
				c.head(200, len(full))
				c.write(full[:len(full)/2])
				_ = c.conn.Close()
			},
			check: func(t *testing.T, err error) { assert.ErrorIs(t, err, io.ErrUnexpectedEOF) },
		},
		{
			name:  "garbage status line",
			serve: func(c *rawConn) { c.write("SSH-2.0-OpenSSH_9.6\r\n\r\n") },
			check: func(t *testing.T, err error) {
				assertURLError(t, err)
				assert.Contains(t, err.Error(), "malformed HTTP")
			},
		},
		{
			name:    "slow headers, http.Client.Timeout",
			timeout: 150 * time.Millisecond,
			serve:   func(c *rawConn) { c.waitForHangUp() },
			check: func(t *testing.T, err error) {
				assertURLError(t, err)
				assertTimeout(t, err)
			},
		},
		{
			name:    "slow body, http.Client.Timeout",
			timeout: 150 * time.Millisecond,
			serve: func(c *rawConn) {
				c.head(200, len(full))
				c.write(full[:20])
				c.waitForHangUp()
			},
			check: assertTimeout,
		},
	}
}

// TestFaultMatrixRawTCP runs every raw fault against a GET and a POST.
func TestFaultMatrixRawTCP(t *testing.T) {
	checkLeaks(t)
	good := adaDoc().json()
	for _, f := range rawFaults() {
		for _, fc := range []faultCall{faultGET(), faultPOST()} {
			// once: the fault, then good answers.
			t.Run(f.name+"/"+fc.name+"/once", func(t *testing.T) {
				srv := newRawServer(t, func(n int, c *rawConn) {
					if n == 1 {
						f.serve(c)
						return
					}
					c.answer(200, good)
				})
				client, _ := loopbackClient(t, srv.URL, withClientTimeout(f.timeout))
				start := time.Now()
				err := fc.call(guard(t), client.UsersV1API)
				assert.Less(t, time.Since(start), 5*time.Second)
				if fc.method == http.MethodGet {
					require.NoError(t, err, "a GET is retried")
					assert.Equal(t, 2, srv.requests())
					return
				}
				t.Logf("returns: %v", err)
				assertTransportError(t, fc, err)
				f.check(t, err)
				assert.Equal(t, 1, srv.requests(), "a write that may have reached the server is not repeated")
			})
		}
		// always: a GET gives up after its attempts, with the last failure.
		t.Run(f.name+"/GET/always", func(t *testing.T) {
			srv := newRawServer(t, func(_ int, c *rawConn) { f.serve(c) })
			client, _ := loopbackClient(t, srv.URL, withClientTimeout(f.timeout))
			fc := faultGET()
			start := time.Now()
			err := fc.call(guard(t), client.UsersV1API)
			assert.Less(t, time.Since(start), 5*time.Second)
			t.Logf("returns after %d attempts: %v", srv.requests(), err)
			assertTransportError(t, fc, err)
			f.check(t, err)
			assert.Equal(t, 4, srv.requests())
		})
	}
}

// A refused connection never carried the request: every method is retried.
func TestFaultConnectionRefused(t *testing.T) {
	checkLeaks(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	host := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())
	for _, fc := range []faultCall{faultGET(), faultPOST()} {
		t.Run(fc.name, func(t *testing.T) {
			client, counter := loopbackClient(t, host)
			start := time.Now()
			err := fc.call(guard(t), client.UsersV1API)
			assert.Less(t, time.Since(start), 5*time.Second)
			assertTransportError(t, fc, err)
			assertURLError(t, err)
			var opErr *net.OpError
			assert.True(t, errors.As(err, &opErr), "*net.OpError in %v", err)
			assert.ErrorIs(t, err, syscall.ECONNREFUSED)
			assert.Equal(t, 4, counter.count(), "every attempt is made")
		})
	}
}

// A deadline on the call ends it while the server stalls, without retries.
func TestFaultSlowServerWithContextDeadline(t *testing.T) {
	checkLeaks(t)
	full := adaDoc().json()
	stalls := map[string]func(c *rawConn){
		"slow headers": func(c *rawConn) { c.waitForHangUp() },
		"slow body": func(c *rawConn) {
			c.head(200, len(full))
			c.write(full[:20])
			c.waitForHangUp()
		},
	}
	for name, stall := range stalls {
		for _, fc := range []faultCall{faultGET(), faultPOST()} {
			t.Run(name+"/"+fc.name, func(t *testing.T) {
				srv := newRawServer(t, func(_ int, c *rawConn) { stall(c) })
				client, _ := loopbackClient(t, srv.URL)
				ctx, cancel := context.WithTimeout(guard(t), 150*time.Millisecond)
				defer cancel()
				start := time.Now()
				err := fc.call(ctx, client.UsersV1API)
				assert.Less(t, time.Since(start), 2*time.Second)
				assertTransportError(t, fc, err)
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Equal(t, 1, srv.requests(), "no retry once the context is done")
			})
		}
	}
}

// arthurtestClient is a client for srv through the contract validator.
func arthurtestClient(t *testing.T, srv *arthurtest.Server, opts ...option) *arthur.APIClient {
	t.Helper()
	cfg := srv.Configuration()
	cfg.Retry = fastRetry
	cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, freshTransport(t))}
	for _, o := range opts {
		o(cfg)
	}
	return arthur.NewAPIClient(cfg)
}

// Bursts of server errors, from the fake itself (arthurtest.FailNext).
func TestFault5xxBurst(t *testing.T) {
	checkLeaks(t)
	for _, status := range []int{500, 502, 503, 504} {
		for n := 1; n <= 4; n++ {
			t.Run(fmt.Sprintf("GET/%d×%d", status, n), func(t *testing.T) {
				srv := arthurtest.NewServer(t)
				client := arthurtestClient(t, srv)
				require.NoError(t, srv.FailNext(arthurtest.OpGetOrganizationUsers, n, status, 0))
				start := time.Now()
				page, err := client.UsersV1API.GetOrganizationUsers(guard(t), nil)
				assert.Less(t, time.Since(start), 5*time.Second)
				assert.Len(t, srv.Requests(), min(n+1, 4))
				if n < 4 {
					require.NoError(t, err, "recovers after %d failures", n)
					assert.Len(t, page.Records, 1)
					return
				}
				var apiErr *arthur.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, status, apiErr.StatusCode)
				assert.ErrorIs(t, err, arthur.ErrServer)
				assert.NotEmpty(t, apiErr.RequestID)
				if status == 500 {
					var ise *arthur.InternalServerError
					assert.ErrorAs(t, err, &ise)
				}
			})
		}
		t.Run(fmt.Sprintf("POST/%d", status), func(t *testing.T) {
			srv := arthurtest.NewServer(t)
			client := arthurtestClient(t, srv)
			before := len(srv.Users())
			require.NoError(t, srv.FailNext(arthurtest.OpPostOrganizationUser, 1, status, 0))
			err := faultPOST().call(guard(t), client.UsersV1API)
			var apiErr *arthur.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.ErrorIs(t, err, arthur.ErrServer)
			assert.Len(t, srv.Requests(), 1, "a write is not repeated after a server error")
			assert.Len(t, srv.Users(), before)
		})
	}
}

// 429 and 503 with Retry-After are retried for any method, after the wait
// the server asked for: in seconds (arthurtest) or as an HTTP date (raw).
func TestFaultRetryAfter(t *testing.T) {
	checkLeaks(t)
	t.Run("429 seconds/GET", func(t *testing.T) {
		srv := arthurtest.NewServer(t)
		client := arthurtestClient(t, srv)
		require.NoError(t, srv.FailNext(arthurtest.OpGetUsersMe, 1, 429, time.Second))
		start := time.Now()
		_, err := client.UsersV1API.GetUsersMe(guard(t))
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(start), 950*time.Millisecond)
		assert.Len(t, srv.Requests(), 2)
	})
	t.Run("429 seconds/POST", func(t *testing.T) {
		srv := arthurtest.NewServer(t)
		client := arthurtestClient(t, srv)
		before := len(srv.Users())
		require.NoError(t, srv.FailNext(arthurtest.OpPostOrganizationUser, 1, 429, time.Second))
		start := time.Now()
		u, err := client.UsersV1API.PostOrganizationUser(guard(t), arthur.PostEndUser{
			FirstName: "Ada", Email: "ada@example.com", Password: "pw-Secr3t!"})
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(start), 950*time.Millisecond)
		assert.Len(t, srv.Requests(), 2)
		assert.Len(t, srv.Users(), before+1, "created once")
		_, ok := srv.User(u.ID)
		assert.True(t, ok)
	})
	for _, fc := range []faultCall{faultGET(), faultPOST()} {
		t.Run("503 HTTP date/"+fc.name, func(t *testing.T) {
			good := adaDoc().json()
			var mu sync.Mutex
			var bodies [][]byte
			srv := newRawServer(t, func(n int, c *rawConn) {
				mu.Lock()
				bodies = append(bodies, c.body)
				mu.Unlock()
				if n == 1 {
					// HTTP dates have whole seconds: 2 s ahead is more than 1 s ahead.
					date := time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
					c.answer(503, `{"detail":"maintenance"}`, "Retry-After", date)
					return
				}
				c.answer(200, good)
			})
			client, _ := loopbackClient(t, srv.URL)
			start := time.Now()
			require.NoError(t, fc.call(guard(t), client.UsersV1API))
			elapsed := time.Since(start)
			assert.GreaterOrEqual(t, elapsed, 900*time.Millisecond)
			assert.Less(t, elapsed, 5*time.Second)
			assert.Equal(t, 2, srv.requests())
			mu.Lock()
			defer mu.Unlock()
			for _, b := range bodies {
				if fc.method == http.MethodGet {
					assert.Empty(t, b)
					continue
				}
				// The retry sends the same body again.
				testJSONBody(t, recordedRequest{Body: b}, `{"first_name":"Ada","last_name":"Lovelace",`+
					`"email":"ada@example.com","password":"pw-Secr3t!"}`)
			}
		})
	}
}

// A proxy's HTML page is an APIError that keeps the page, with no detail
// and no error model.
func TestFaultHTMLErrorPage(t *testing.T) {
	checkLeaks(t)
	pages := []struct {
		status   int
		sentinel error
	}{
		{502, arthur.ErrServer},
		{404, arthur.ErrNotFound},
	}
	for _, p := range pages {
		page := fmt.Sprintf("<html><head><title>%d</title></head><body><h1>%d %s</h1><hr>nginx</body></html>",
			p.status, p.status, http.StatusText(p.status))
		for _, fc := range []faultCall{faultGET(), faultPOST()} {
			t.Run(strconv.Itoa(p.status)+"/"+fc.name, func(t *testing.T) {
				srv := newRawServer(t, func(_ int, c *rawConn) {
					c.answer(p.status, page, "Content-Type", "text/html")
				})
				// A 404 is declared by PostOrganizationUser with a JSON body: this
				// HTML page breaks the contract on purpose, so only the request
				// is checked.
				client := requestOnlyLoopbackClient(t, srv.URL)
				err := fc.call(guard(t), client.UsersV1API)
				var apiErr *arthur.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, p.status, apiErr.StatusCode)
				assert.ErrorIs(t, err, p.sentinel)
				assert.Equal(t, page, string(apiErr.Body))
				assert.False(t, apiErr.BodyTruncated)
				assert.Empty(t, apiErr.Detail)
				var nf *arthur.NotFoundError
				assert.False(t, errors.As(err, &nf), "no error model from an HTML page")
				want := 1
				if fc.method == http.MethodGet && p.status == 502 {
					want = 4
				}
				assert.Equal(t, want, srv.requests())
				assertNoToken(t, err)
			})
		}
	}
}

// requestOnlyLoopbackClient is loopbackClient with the responses left
// unchecked, for the tests whose server breaks the contract on purpose:
// each says why it needs it.
func requestOnlyLoopbackClient(t *testing.T, host string, opts ...option) *arthur.APIClient {
	t.Helper()
	cfg := arthur.NewConfiguration()
	cfg.Host = host
	cfg.AccessToken = testToken
	cfg.Retry = fastRetry
	cfg.HTTPClient = &http.Client{Transport: requestOnly(t, freshTransport(t))}
	for _, o := range opts {
		o(cfg)
	}
	return arthur.NewAPIClient(cfg)
}

// 2xx answers that are not the model. They break the contract on purpose
// (that is the fault), so only the requests are validated. A 2xx is never
// retried: the server did act on it.
func TestFaultBadSuccessBodies(t *testing.T) {
	checkLeaks(t)
	bodies := map[string]string{
		"empty 200":             "",
		"200 not JSON":          "<html><body>OK</body></html>",
		"200 wrong types":       adaDoc().with("first_name", 42, "created_at", true).json(),
		"200 JSON of one value": `"ok"`,
	}
	for name, body := range bodies {
		for _, fc := range []faultCall{faultGET(), faultPOST()} {
			t.Run(name+"/"+fc.name, func(t *testing.T) {
				srv := newRawServer(t, func(_ int, c *rawConn) { c.answer(200, body) })
				client := requestOnlyLoopbackClient(t, srv.URL)
				err := fc.call(guard(t), client.UsersV1API)
				var de *arthur.DecodeError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, 200, de.StatusCode)
				assert.Equal(t, "User", de.Model)
				assert.Equal(t, body, string(de.Body))
				if body == "" {
					assert.Contains(t, de.Err.Error(), "empty body")
				}
				var apiErr *arthur.APIError
				assert.False(t, errors.As(err, &apiErr))
				assert.Equal(t, 1, srv.requests())
				assertNoToken(t, err)
			})
		}
	}
	// An operation whose answer may be empty takes the empty body as its
	// answer.
	t.Run("empty 201/invite", func(t *testing.T) {
		srv := newRawServer(t, func(_ int, c *rawConn) { c.answer(201, "") })
		client := requestOnlyLoopbackClient(t, srv.URL)
		got, err := client.UsersV1API.PostOrganizationUserInvite(guard(t), arthur.InviteNewUser{Email: "grace@example.com"})
		require.NoError(t, err)
		assert.Nil(t, got)
	})
}

// A 20 MB error body is read up to 1 MiB and no further: the call is fast
// and allocates a few MiB, not 20. The response goes through requestOnly
// because the full validator reads every body whole to check it, which is
// what this test must show the SDK does not do.
func TestFaultHugeErrorBody(t *testing.T) {
	checkLeaks(t)
	const size = 20 << 20
	chunk := strings.Repeat("<p>upstream error</p>\n", 3000)
	srv := newRawServer(t, func(_ int, c *rawConn) {
		c.head(500, size, "Content-Type", "text/html")
		for sent := 0; sent < size; {
			part := chunk[:min(len(chunk), size-sent)]
			if _, err := io.WriteString(c.conn, part); err != nil {
				return // the client has read enough and closed
			}
			sent += len(part)
		}
	})
	for _, fc := range []faultCall{faultGET(), faultPOST()} {
		t.Run(fc.name, func(t *testing.T) {
			client := requestOnlyLoopbackClient(t, srv.URL, noRetry())
			before := srv.requests()
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			start := time.Now()
			err := fc.call(guard(t), client.UsersV1API)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&m1)
			var apiErr *arthur.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 500, apiErr.StatusCode)
			assert.ErrorIs(t, err, arthur.ErrServer)
			assert.True(t, apiErr.BodyTruncated)
			assert.Len(t, apiErr.Body, 1<<20)
			assert.Empty(t, apiErr.Detail)
			assert.Less(t, elapsed, 3*time.Second)
			allocated := m1.TotalAlloc - m0.TotalAlloc
			t.Logf("%s: %v, %.1f MiB allocated", fc.name, elapsed.Round(time.Millisecond), float64(allocated)/(1<<20))
			assert.Less(t, allocated, uint64(12<<20), "the body is not read whole")
			assert.Equal(t, 1, srv.requests()-before)
		})
	}
}
