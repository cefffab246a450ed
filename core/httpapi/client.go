package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"frontdesk/core"
)

// Client is core.API through a Frontdesk service. Make one with DialUnix
// (or DialTLS); it is safe for concurrent use.
//
// The actors its methods take are not sent: the service acts as whoever
// the connection is (the command line, for a trusted OS user on the
// socket) or as the account logged in with Login. Passing the actor of
// another account than the one logged in is refused on the client.
type Client struct {
	hc   *http.Client
	base string // "http://frontdesk" on a socket, "https://HOST:PORT" over TLS
	// where names the service for messages: the socket's path or the
	// address.
	where string
	hello Hello
	// skew is the service's clock less ours when we said hello.
	skew time.Duration

	mu    sync.Mutex
	token string
	as    core.Actor
	// site and loc are the site's settings, read at most every siteTTL.
	site   core.Site
	loc    *time.Location
	siteAt time.Time
}

var _ core.API = (*Client)(nil)

// siteTTL is how long a client keeps the site's settings before it
// reads them again: the zone and name change rarely, and the window
// reads them often.
const siteTTL = 2 * time.Second

// ErrNoService is a dial that found no live service.
var ErrNoService = errors.New("no Frontdesk service answers")

// DialUnix connects to the service on the Unix socket at path and says
// hello. It fails with ErrNoService when nothing answers there (no
// socket, a stale one), so the caller opens the database itself.
func DialUnix(path string) (*Client, error) {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		},
		MaxIdleConnsPerHost: 16,
	}
	c := &Client{hc: &http.Client{Transport: tr}, base: "http://frontdesk", where: path}
	if err := c.sayHello(); err != nil {
		tr.CloseIdleConnections()
		var ne net.Error
		var oe *net.OpError
		if errors.As(err, &oe) || errors.As(err, &ne) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w on %s: %v", ErrNoService, path, err)
		}
		return nil, err
	}
	return c, nil
}

func (c *Client) sayHello() error {
	var h Hello
	sent := time.Now()
	if err := c.call(http.MethodGet, "/v1/hello", nil, nil, &h); err != nil {
		return err
	}
	if h.Service != "frontdesk" {
		return fmt.Errorf("%s is not a Frontdesk service", c.where)
	}
	if h.API != APIVersion {
		return fmt.Errorf("the Frontdesk service on %s speaks API %d, this program %d: use the same version", c.where, h.API, APIVersion)
	}
	c.hello = h
	c.skew = h.Now.Sub(sent.Add(time.Since(sent) / 2))
	return nil
}

// Hello is what the service said when the client connected.
func (c *Client) Hello() Hello { return c.hello }

// Where names the service: its socket or address.
func (c *Client) Where() string { return c.where }

// Close releases the client's connections, after a logout of its session
// if it has one.
func (c *Client) Close() error {
	c.mu.Lock()
	tok := c.token
	c.mu.Unlock()
	if tok != "" {
		c.Logout(core.Actor{})
	}
	c.hc.CloseIdleConnections()
	return nil
}

// request builds a request; body is JSON-encoded when not nil.
func (c *Client) request(ctx context.Context, method, path string, query url.Values, body any) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("api request %s: %w", path, err)
		}
		r = bytes.NewReader(b)
	}
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	c.mu.Lock()
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	c.mu.Unlock()
	return req, nil
}

// open sends one request and returns the service's answer when it is a
// success, for the caller to read and close; an error answer is returned
// as *Error, no answer as the service lost.
func (c *Client) open(ctx context.Context, method, path string, query url.Values, in any) (*http.Response, error) {
	req, err := c.request(ctx, method, path, query, in)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.lost(err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		return nil, readError(resp)
	}
	return resp, nil
}

// call sends one request and decodes its JSON answer into out (unless
// nil); an error answer is returned as *Error.
func (c *Client) call(method, path string, query url.Values, in, out any) error {
	resp, err := c.open(context.Background(), method, path, query, in)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return c.lost(fmt.Errorf("read the answer to %s: %w", path, err))
	}
	return nil
}

// ask calls the service as a, with in as the request's body (nil for
// none; text in it that is not valid UTF-8 is refused here, see send),
// and returns its answer decoded into a T: the shape of most of the
// client's methods.
func ask[T any](c *Client, a core.Actor, method, path string, query url.Values, in any) (T, error) {
	var out T
	if err := c.checkActor(a); err != nil {
		return out, err
	}
	if err := c.send(method, path, query, in, &out); err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// lost is a call that got no answer: the service went away.
func (c *Client) lost(err error) error {
	return fmt.Errorf("the Frontdesk service on %s did not answer: %w", c.where, err)
}

// readError decodes an error answer.
func readError(resp *http.Response) error {
	var e struct {
		Error *Error `json:"error"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if json.Unmarshal(b, &e) != nil || e.Error == nil {
		return &Error{Kind: KindInternal, Message: fmt.Sprintf("the service answered %s", resp.Status)}
	}
	return e.Error.local()
}

// streamLine is one line of an NDJSON answer: a value, or its end.
type streamLine struct {
	End   bool            `json:"end"`
	Error *Error          `json:"error"`
	Raw   json.RawMessage `json:"-"`
}

// stream sends a request whose answer is NDJSON and calls line with each
// value line until the stream's end line; an error line, a cut stream or
// an error line returns an error. Returning an error from line stops
// reading (and closes the connection).
func (c *Client) stream(ctx context.Context, method, path string, query url.Values, in any, line func([]byte) error) error {
	return c.streamHead(ctx, method, path, query, in, nil, line)
}

// streamHead is stream that gives the answer's header to head, when not
// nil, before the first line.
func (c *Client) streamHead(ctx context.Context, method, path string, query url.Values, in any, head func(http.Header), line func([]byte) error) error {
	resp, err := c.open(ctx, method, path, query, in)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if head != nil {
		head(resp.Header)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), MaxBody)
	for sc.Scan() {
		b := sc.Bytes()
		if bytes.HasPrefix(b, []byte(`{"end":`)) || bytes.HasPrefix(b, []byte(`{"error":`)) {
			var end streamLine
			if err := json.Unmarshal(b, &end); err == nil {
				if end.Error != nil {
					return end.Error.local()
				}
				if end.End {
					return nil
				}
			}
		}
		if err := line(b); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return c.lost(err)
	}
	return c.lost(io.ErrUnexpectedEOF)
}

// checkActor refuses to act for an account other than the one logged
// in: the service would act as the session's anyway.
func (c *Client) checkActor(a core.Actor) error {
	if a.Kind != core.ActorAccount {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.as != a {
		return fmt.Errorf("%w: %s is not logged in on this connection", core.ErrForbidden, a)
	}
	return nil
}

// Site returns the site's settings, read again when older than siteTTL;
// the last ones read when the service does not answer.
func (c *Client) Site() core.Site {
	c.refreshSite()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.site
}

// Federation returns the site's place among its company's sites, as its
// settings give it.
func (c *Client) Federation() core.Federation { return c.Site().Federation.Place() }

// Location returns the site's time zone (UTC until the site is read).
func (c *Client) Location() *time.Location {
	c.refreshSite()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loc == nil {
		return time.UTC
	}
	return c.loc
}

func (c *Client) refreshSite() {
	c.mu.Lock()
	fresh := !c.siteAt.IsZero() && time.Since(c.siteAt) < siteTTL
	c.mu.Unlock()
	if fresh {
		return
	}
	var site core.Site
	if err := c.call(http.MethodGet, "/v1/site", nil, nil, &site); err != nil {
		return
	}
	loc, err := site.Location()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.site, c.siteAt = site, time.Now()
	if err == nil {
		c.loc = loc
	}
}

// forgetSite makes the next Site or Location read the service: after a
// change that may have changed them.
func (c *Client) forgetSite() {
	c.mu.Lock()
	c.siteAt = time.Time{}
	c.mu.Unlock()
}

// Now is the service's clock: ours, corrected by the difference seen at
// hello.
func (c *Client) Now() time.Time { return time.Now().Add(c.skew) }

// HasAccounts says whether the site has staff accounts.
func (c *Client) HasAccounts() bool {
	var h Hello
	if err := c.call(http.MethodGet, "/v1/hello", nil, nil, &h); err != nil {
		return c.hello.HasAccounts
	}
	return h.HasAccounts
}

// Login logs in through the service (its lockout and limits) and keeps
// the session: every later call acts as that account.
func (c *Client) Login(username, password string) (core.Actor, error) {
	var r LoginReply
	if err := c.call(http.MethodPost, "/v1/login", nil, LoginRequest{Username: username, Password: password}, &r); err != nil {
		return core.Actor{}, err
	}
	c.mu.Lock()
	c.token, c.as = r.Token, r.Actor
	c.mu.Unlock()
	return r.Actor, nil
}

// Logout ends the session: the client then acts as its connection.
func (c *Client) Logout(core.Actor) error {
	c.mu.Lock()
	tok := c.token
	c.mu.Unlock()
	if tok == "" {
		return nil
	}
	err := c.call(http.MethodPost, "/v1/logout", nil, struct{}{}, nil)
	c.mu.Lock()
	c.token, c.as = "", core.Actor{}
	c.mu.Unlock()
	return err
}

// Me is who the service takes this client for, and their permissions.
func (c *Client) Me() (Me, error) {
	var m Me
	err := c.call(http.MethodGet, "/v1/me", nil, nil, &m)
	return m, err
}

// PermissionsOf returns the permissions the caller holds.
func (c *Client) PermissionsOf(a core.Actor) ([]core.Permission, error) {
	if err := c.checkActor(a); err != nil {
		return nil, err
	}
	m, err := c.Me()
	return m.Permissions, err
}

// Authorize says whether the caller holds p, with the engine's refusal
// when not.
func (c *Client) Authorize(a core.Actor, p core.Permission) error {
	if err := c.checkActor(a); err != nil {
		return err
	}
	return c.call(http.MethodGet, "/v1/me/authorize", url.Values{"permission": {string(p)}}, nil, nil)
}

// Watch calls fn with the caller's live updates (core.Engine.Watch)
// until cancel. When the service goes away fn gets a Link "down" update
// within about a second and a half; the client tries again every second
// and, once the service answers, sends Link "up" (read everything again)
// and goes on. fn runs on the client's goroutine, one update at a time.
func (c *Client) Watch(a core.Actor, fn func(core.Update)) (cancel func(), err error) {
	if err := c.checkActor(a); err != nil {
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go c.watchLoop(ctx, fn, first)
	if err := <-first; err != nil {
		stop()
		return nil, err
	}
	return stop, nil
}

func (c *Client) watchLoop(ctx context.Context, fn func(core.Update), first chan<- error) {
	down := false
	for ctx.Err() == nil {
		err := c.watchOnce(ctx, func() {
			if first != nil {
				first <- nil
				first = nil
			}
			if down {
				down = false
				fn(core.Update{Link: core.LinkUp})
			}
		}, fn)
		if ctx.Err() != nil {
			break
		}
		var we *Error
		if first != nil {
			first <- err
			return
		}
		if errors.As(err, &we) && we.Kind == KindNoSession {
			// The session ended (a service that restarted has none):
			// nothing to reconnect to until a new login.
			fn(core.Update{Link: core.LinkEnded})
			return
		}
		if !down {
			down = true
			fn(core.Update{Link: core.LinkDown})
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	if first != nil {
		first <- ctx.Err()
	}
}

// watchOnce reads one watch stream until it ends; up runs once it is
// established. A stream silent for three heartbeats is taken as lost.
func (c *Client) watchOnce(ctx context.Context, up func(), fn func(core.Update)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	alive := make(chan struct{}, 1)
	go func() {
		t := time.NewTimer(3 * heartbeat)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-alive:
				t.Reset(3 * heartbeat)
			case <-t.C:
				cancel()
				return
			}
		}
	}()
	started := false
	return c.stream(ctx, http.MethodGet, "/v1/watch", nil, nil, func(b []byte) error {
		select {
		case alive <- struct{}{}:
		default:
		}
		if !started {
			started = true
			up()
		}
		var l watchLine
		if err := json.Unmarshal(b, &l); err != nil {
			return fmt.Errorf("watch: %w", err)
		}
		if !l.Ping {
			fn(l.Update)
		}
		return nil
	})
}
