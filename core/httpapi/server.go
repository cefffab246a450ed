// Package httpapi is the Frontdesk API over HTTP: the service's server,
// on a Unix socket and over TLS, and the client that implements core.API
// through it, for the window and the command line. The wire is versioned
// JSON (/v1/...), documented in docs/api.md.
package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"frontdesk/core"
	"frontdesk/core/procs"
)

// MaxBody is the largest request body the service reads: a site file of
// 100,000 people fits; a justification's files are limited lower by the
// engine.
const MaxBody = 256 << 20

// Server serves the API of one engine. Make it with NewServer, then serve
// its listeners with Serve.
type Server struct {
	engine   *core.Engine
	ops      Ops
	log      *slog.Logger
	sessions *sessions
	mux      *http.ServeMux
	version  string
	// watchBuffer bounds the updates waiting for one watching client.
	watchBuffer int
	// patterns are the routes registered, for the documentation's test.
	patterns []string
}

// Options configure a Server.
type Options struct {
	// Ops are the operations on the database file itself (backup, verify,
	// checkpoints); nil answers them 404.
	Ops Ops
	Log *slog.Logger
	// IdleTimeout ends a session unused this long; default 30 minutes.
	IdleTimeout time.Duration
	// Version is the build's version, in /v1/hello.
	Version string
	// WatchBuffer bounds the updates queued for one watching client
	// before it is told what it missed; default 1024.
	WatchBuffer int
}

// NewServer returns the API server of engine.
func NewServer(engine *core.Engine, o Options) *Server {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 30 * time.Minute
	}
	if o.WatchBuffer <= 0 {
		o.WatchBuffer = 1024
	}
	s := &Server{engine: engine, ops: o.Ops, log: o.Log, mux: http.NewServeMux(),
		version: o.Version, watchBuffer: o.WatchBuffer,
		sessions: newSessions(engine, o.IdleTimeout)}
	s.routes()
	return s
}

// Handler is the API's HTTP handler. Its requests must carry a peer in
// their context (ConnContext); a request without one is a stranger.
func (s *Server) Handler() http.Handler { return s.mux }

// Serve answers on ln until ctx ends; trusted says whether callers on it
// may act as the command line (peer credentials of a Unix socket: see
// PeerPolicy). It returns when ctx ends, after the calls in progress end
// (up to a few seconds).
func (s *Server) Serve(ctx context.Context, ln net.Listener, policy PeerPolicy) error {
	hs := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, peerKey{}, policy.peer(c))
		},
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
		case <-done:
			return
		}
		shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := hs.Shutdown(shut); err != nil {
			hs.Close()
		}
	}()
	err := hs.Serve(ln)
	close(done)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// call is one request being answered: who calls, and helpers to read the
// request.
type call struct {
	s     *Server
	w     http.ResponseWriter
	r     *http.Request
	peer  *Peer
	actor core.Actor
	// session is the caller's session token, "" for the command line.
	session string
}

// handler answers one call with a value to write as JSON, or an error.
type handler func(c *call) (any, error)

// access says who may reach a route.
type access int

const (
	// needActor: the command line or a session (everything but the few
	// routes below).
	needActor access = iota
	// anyone: before a login (hello, login).
	anyone
)

// handle registers h on pattern ("GET /v1/people/{id}") for callers who
// are a command line or hold a session.
func (s *Server) handle(pattern string, h handler) { s.route(pattern, needActor, h) }

// waiting are the routes whose calls mostly wait (for updates, for a
// desk tap) and take no turn. Every other call waits for one of the
// turns of the work other than the doors' (procs.Turn): however many
// clients call flat out, where the doors run the calls keep a core free
// for the readers, the decisions, the commits and the relays. The calls
// run at the process's priority: see package procs for why not lower.
var waiting = map[string]bool{"GET /v1/watch": true, "GET /v1/desk/capture": true}

func (s *Server) route(pattern string, who access, h handler) {
	s.patterns = append(s.patterns, pattern)
	takesTurn := !waiting[pattern]
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		c := &call{s: s, w: w, r: r, peer: peerOf(r.Context())}
		if !takesTurn {
			c.answer(who, h)
			return
		}
		done, err := procs.Turn(r.Context())
		if err != nil {
			return // the caller has gone
		}
		defer done()
		c.answer(who, h)
	})
}

// answer authenticates the caller when the route needs it, runs h and
// writes its answer. A panic in h is an internal error answered 500 and
// logged, never the service's end.
func (c *call) answer(who access, h handler) {
	defer func() {
		if v := recover(); v != nil {
			stack := debug.Stack()
			if p, ok := v.(*core.PartPanic); ok {
				v, stack = p.Value, p.Stack
			}
			c.s.log.Error("api: call panicked", "path", c.r.URL.Path, "panic", fmt.Sprint(v), "stack", string(stack))
			c.fail(&Error{Kind: KindInternal, Message: "internal error: " + fmt.Sprint(v)})
		}
	}()
	if who == needActor {
		if err := c.authenticate(); err != nil {
			c.fail(err)
			return
		}
	}
	v, err := h(c)
	switch {
	case err != nil:
		c.fail(err)
	case v == streamed:
	default:
		c.reply(http.StatusOK, v)
	}
}

// streamed is what a handler that wrote its own answer returns.
var streamed = &struct{}{}

// authenticate finds who calls: a session's account when the request
// carries a token, else the command line when the peer is trusted.
func (c *call) authenticate() error {
	if tok, ok := strings.CutPrefix(c.r.Header.Get("Authorization"), "Bearer "); ok {
		a, err := c.s.sessions.actor(tok)
		if err != nil {
			return err
		}
		c.actor, c.session = a, tok
		return nil
	}
	if c.peer.CommandLine {
		c.actor = core.CommandLine(c.peer.User)
		return nil
	}
	return &Error{Kind: KindNoSession, Message: "unauthorized: log in with a staff account first (frontdesk --user NAME)", Args: map[string]string{"login": "required"}}
}

// reply answers v as JSON with code. v is encoded before anything is
// sent, so a value that cannot be encoded is an error answer (500), not
// a cut stream the client would take for a service gone.
func (c *call) reply(code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		c.s.log.Warn("api: answer not encoded", "path", c.r.URL.Path, "err", err)
		code = http.StatusInternalServerError
		b, _ = json.Marshal(struct {
			Error *Error `json:"error"`
		}{&Error{Kind: KindInternal, Message: "the answer could not be encoded: " + err.Error()}})
	}
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(code)
	if _, err := c.w.Write(append(b, '\n')); err != nil {
		c.s.log.Debug("api: reply not sent", "path", c.r.URL.Path, "err", err)
	}
}

func (c *call) fail(err error) {
	we := wireError(err)
	if we.Kind == KindInternal || we.Kind == KindDamaged {
		c.s.log.Warn("api: call failed", "path", c.r.URL.Path, "err", err)
	}
	c.reply(status(we.Kind), struct {
		Error *Error `json:"error"`
	}{we})
}

// decode reads the request's JSON body into v: one value, at most
// MaxBody bytes, valid UTF-8, no field v does not have.
func (c *call) decode(v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &Error{Kind: KindTooLarge, Field: "body", Message: fmt.Sprintf("invalid request: body: larger than %d bytes", MaxBody)}
		}
		return invalid("body", err.Error())
	}
	return decodeBody(body, v)
}

// decodeBody is decode on bytes already read.
func decodeBody(body []byte, v any) error {
	if !utf8.Valid(body) {
		return invalid("body", "not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return invalid("body."+typeErr.Field, fmt.Sprintf("want %s, not %s", typeErr.Type, typeErr.Value))
		}
		if errors.Is(err, io.EOF) {
			return invalid("body", "empty; want a JSON object")
		}
		return invalid("body", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return invalid("body", "more than one JSON value")
	}
	return nil
}

// query returns the query parameter name ("" when absent).
func (c *call) query(name string) string { return c.r.URL.Query().Get(name) }

// timeParam reads an RFC 3339 query parameter; absent is the zero time.
func (c *call) timeParam(name string) (time.Time, error) {
	s := c.query(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, invalid("query."+name, fmt.Sprintf("%q is not an RFC 3339 time", s))
	}
	return t, nil
}

// intParam reads an integer query parameter; absent is 0.
func (c *call) intParam(name string) (int, error) {
	s := c.query(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, invalid("query."+name, fmt.Sprintf("%q is not a whole number", s))
	}
	return n, nil
}

// boolParam reads "true"/"false" (or 1/0); absent is false.
func (c *call) boolParam(name string) (bool, error) {
	s := c.query(name)
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, invalid("query."+name, fmt.Sprintf("%q is not true or false", s))
	}
	return b, nil
}

// rawLine is a value a stream sends as it is: JSON already encoded, on
// one line.
type rawLine []byte

// stream answers with one JSON value per line (NDJSON): run gets a send
// function and writes the lines. An error before the first line is an
// ordinary error answer (a 403, a 400). A whole stream ends with {"end": true};
// an error run returns ends it with {"error": ...} instead, so a client
// tells a cut stream from a whole one. live flushes every line as it is
// sent (watches); otherwise lines go out as the buffer fills.
func (c *call) stream(live bool, run func(send func(any) error) error) (any, error) {
	rc := http.NewResponseController(c.w)
	enc := json.NewEncoder(c.w)
	started := false
	start := func() {
		if !started {
			started = true
			c.w.Header().Set("Content-Type", "application/x-ndjson")
			c.w.WriteHeader(http.StatusOK)
		}
	}
	send := func(v any) error {
		start()
		if raw, ok := v.(rawLine); ok {
			if _, err := c.w.Write(append(raw, '\n')); err != nil {
				return err
			}
		} else if err := enc.Encode(v); err != nil {
			return err
		}
		if live {
			return rc.Flush()
		}
		return nil
	}
	err := run(send)
	if err != nil && !started {
		// Refused before anything was sent: an ordinary error answer.
		return nil, err
	}
	start()
	if err != nil {
		enc.Encode(struct {
			Error *Error `json:"error"`
		}{wireError(err)})
	} else {
		enc.Encode(struct {
			End bool `json:"end"`
		}{true})
	}
	rc.Flush()
	return streamed, nil
}
