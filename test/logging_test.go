package test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// loggedRecord is one record the SDK logged.
type loggedRecord struct {
	Level   slog.Level
	Message string
	Attrs   map[string]slog.Value
	Text    string // the record as slog's text handler writes it
}

// logRecorder is an slog.Handler that keeps every record, at every level,
// and fails the test when a record, or an error handed to checkErr,
// contains one of the secrets it guards: a token, a password, a client
// secret. Secrets learned during the test (a client secret the server
// issued) are added with guard; records logged before are checked again
// against them when the test ends.
type logRecorder struct {
	t       testing.TB
	mu      sync.Mutex
	records []loggedRecord
	secrets []string
}

// newLogRecorder returns a debug-level logger that writes to a new
// logRecorder guarding secrets.
func newLogRecorder(t testing.TB, secrets ...string) (*slog.Logger, *logRecorder) {
	r := &logRecorder{t: t}
	r.guard(secrets...)
	t.Cleanup(r.recheck)
	return slog.New(recorderHandler{r: r}), r
}

// guard adds secrets that no record or checked error may contain.
func (r *logRecorder) guard(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if s == "" {
			r.t.Errorf("logRecorder: an empty secret guards nothing")
			continue
		}
		r.secrets = append(r.secrets, s)
	}
}

// leaks returns the guarded secrets that s contains.
func (r *logRecorder) leaks(s string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var found []string
	for _, secret := range r.secrets {
		if strings.Contains(s, secret) {
			found = append(found, secret)
		}
	}
	return found
}

// checkErr fails the test when any rendering of err holds a secret.
func (r *logRecorder) checkErr(err error) {
	r.t.Helper()
	if err == nil {
		return
	}
	for _, verb := range []string{"%s", "%v", "%+v", "%#v", "%q"} {
		if found := r.leaks(fmt.Sprintf(verb, err)); len(found) > 0 {
			r.t.Errorf("error printed with %s holds secret(s) %q: %v", verb, found, err)
		}
	}
}

func (r *logRecorder) recheck() {
	for _, rec := range r.all() {
		if found := r.leaks(rec.Text); len(found) > 0 {
			r.t.Errorf("log record holds secret(s) %q: %s", found, rec.Text)
		}
	}
}

// all returns a copy of the records so far.
func (r *logRecorder) all() []loggedRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]loggedRecord(nil), r.records...)
}

// withMessage returns the records whose message is msg.
func (r *logRecorder) withMessage(msg string) []loggedRecord {
	var out []loggedRecord
	for _, rec := range r.all() {
		if rec.Message == msg {
			out = append(out, rec)
		}
	}
	return out
}

// text is every record, one per line.
func (r *logRecorder) text() string {
	var b strings.Builder
	for _, rec := range r.all() {
		b.WriteString(rec.Text)
	}
	return b.String()
}

type recorderHandler struct {
	r     *logRecorder
	attrs []slog.Attr
}

func (h recorderHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h recorderHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := loggedRecord{Level: rec.Level, Message: rec.Message, Attrs: make(map[string]slog.Value)}
	for _, a := range h.attrs {
		out.Attrs[a.Key] = a.Value.Resolve()
	}
	rec.Attrs(func(a slog.Attr) bool {
		out.Attrs[a.Key] = a.Value.Resolve()
		return true
	})
	var buf bytes.Buffer
	text := slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}).WithAttrs(h.attrs)
	if err := text.Handle(ctx, rec); err != nil {
		return err
	}
	out.Text = buf.String()
	if found := h.r.leaks(out.Text); len(found) > 0 {
		h.r.t.Errorf("log record holds secret(s) %q: %s", found, out.Text)
	}
	h.r.mu.Lock()
	h.r.records = append(h.r.records, out)
	h.r.mu.Unlock()
	return nil
}

func (h recorderHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return recorderHandler{r: h.r, attrs: append(append([]slog.Attr(nil), h.attrs...), attrs...)}
}

// WithGroup is not used by the SDK; records keep their attributes flat.
func (h recorderHandler) WithGroup(string) slog.Handler { return h }
