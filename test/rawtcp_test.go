package test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// rawServer is a TCP server on loopback that speaks HTTP/1.1 by hand, for
// the answers net/http's own server never gives on purpose: a reset in the
// middle of a body, a body shorter than its Content-Length, a status line
// that is not HTTP. Each connection carries one request: the server reads
// it, hands it to serve with its number (1 for the first request the
// server got), and closes the connection when serve returns.
type rawServer struct {
	URL string

	t     testing.TB
	ln    net.Listener
	serve func(n int, c *rawConn)
	hits  atomic.Int64
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	done  chan struct{}
}

// rawConn is one accepted connection and the request read from it.
type rawConn struct {
	conn *net.TCPConn
	req  *http.Request
	body []byte
	done <-chan struct{}
}

// rawLifetime bounds everything a raw connection does, so that no test can
// hang on one.
const rawLifetime = 15 * time.Second

func newRawServer(t testing.TB, serve func(n int, c *rawConn)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &rawServer{
		URL: "http://" + ln.Addr().String(), t: t, ln: ln, serve: serve,
		conns: make(map[net.Conn]struct{}), done: make(chan struct{}),
	}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.close)
	return s
}

func (s *rawServer) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.mu.Lock()
		s.conns[conn] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go s.handle(conn.(*net.TCPConn))
	}
}

func (s *rawServer) handle(conn *net.TCPConn) {
	defer s.wg.Done()
	defer func() {
		_ = conn.Close()
		s.mu.Lock()
		delete(s.conns, conn)
		s.mu.Unlock()
	}()
	_ = conn.SetDeadline(time.Now().Add(rawLifetime))
	req, err := http.ReadRequest(bufio.NewReader(conn))
	if err != nil {
		return
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return
	}
	s.serve(int(s.hits.Add(1)), &rawConn{conn: conn, req: req, body: body, done: s.done})
}

// close stops accepting, cuts every open connection and waits for the
// handlers to return.
func (s *rawServer) close() {
	close(s.done)
	_ = s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// requests is the number of requests the server has read.
func (s *rawServer) requests() int { return int(s.hits.Load()) }

// write sends raw bytes; a failure is the client having gone, which is
// what some faults are about.
func (c *rawConn) write(s string) {
	_, _ = io.WriteString(c.conn, s)
}

// head writes a status line and headers that announce contentLength bytes
// of JSON and a closing connection.
func (c *rawConn) head(status, contentLength int, hdr ...string) {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	fmt.Fprintf(&b, "Content-Length: %d\r\nConnection: close\r\n", contentLength)
	hasType := false
	for i := 0; i+1 < len(hdr); i += 2 {
		hasType = hasType || strings.EqualFold(hdr[i], "Content-Type")
		fmt.Fprintf(&b, "%s: %s\r\n", hdr[i], hdr[i+1])
	}
	if !hasType {
		b.WriteString("Content-Type: application/json\r\n")
	}
	b.WriteString("\r\n")
	c.write(b.String())
}

// answer writes a complete response.
func (c *rawConn) answer(status int, body string, hdr ...string) {
	c.head(status, len(body), hdr...)
	c.write(body)
}

// reset closes the connection with a TCP RST instead of a FIN: SO_LINGER
// with a zero timeout drops what is unsent and resets the peer.
func (c *rawConn) reset() {
	_ = c.conn.SetLinger(0)
	_ = c.conn.Close()
}

// waitForHangUp holds the connection open, sending nothing more, until the
// client closes it or the server shuts down.
func (c *rawConn) waitForHangUp() {
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-c.done:
			_ = c.conn.Close()
		case <-stop:
		}
	}()
	_, _ = io.Copy(io.Discard, c.conn)
}

// pause waits for d, or less when the server shuts down.
func (c *rawConn) pause(d time.Duration) {
	select {
	case <-c.done:
	case <-time.After(d):
	}
}

// guard is the generous deadline every call of the fault tests runs under:
// whatever the SDK does, no test can hang.
func guard(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// checkLeaks fails the test if it leaves a goroutine behind: the check runs
// after every other cleanup of the test (servers closed, idle connections
// dropped). Tests that call it must not run in parallel with others.
func checkLeaks(t *testing.T) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
}
