package httpapi

import (
	"sync"
	"time"

	"frontdesk/core"
)

// APIVersion is the version of the wire this package speaks: the "v1" of
// every path, and Hello.API.
const APIVersion = 1

// routes registers every route. Each area of the API has its file:
// routes_*.go on the server, client_*.go on the client.
func (s *Server) routes() {
	s.route("GET /v1/hello", anyone, s.hello)
	s.route("GET /v1/site", anyone, s.site)
	s.route("POST /v1/login", anyone, s.login)
	s.handle("POST /v1/logout", s.logout)
	s.handle("GET /v1/me", s.me)
	s.handle("GET /v1/watch", s.watch)
	s.routesAreas()
}

// Hello is the answer of GET /v1/hello: what a client checks before it
// uses the service, before any login.
type Hello struct {
	Service string `json:"service"` // "frontdesk"
	API     int    `json:"api"`
	Version string `json:"version,omitempty"`
	Site    string `json:"site"`
	// Now is the service's clock: a client's Now follows it.
	Now         time.Time `json:"now"`
	HasAccounts bool      `json:"has_accounts"`
	// CommandLine says this caller acts as the command line (the OS user
	// User, on the Unix socket) without a login.
	CommandLine bool   `json:"command_line"`
	User        string `json:"user,omitempty"`
}

func (s *Server) hello(c *call) (any, error) {
	return Hello{Service: "frontdesk", API: APIVersion, Version: s.version, Site: s.engine.Site().Name,
		Now: s.engine.Now(), HasAccounts: s.engine.HasAccounts(), CommandLine: c.peer.CommandLine, User: c.peer.User}, nil
}

func (s *Server) site(*call) (any, error) { return s.engine.Site(), nil }

// LoginRequest is the body of POST /v1/login.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// LoginReply is its answer: the session's token, for the header
// "Authorization: Bearer TOKEN" of every later call, and who it acts as.
type LoginReply struct {
	Token string     `json:"token"`
	Actor core.Actor `json:"actor"`
}

func (s *Server) login(c *call) (any, error) {
	var req LoginRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	addr := c.peer.Addr
	if c.peer.Unix {
		addr = ""
	}
	tok, a, err := s.sessions.login(addr, req.Username, req.Password)
	if err != nil {
		return nil, err
	}
	s.log.Info("api: login", "account", a.Name, "from", c.peer.Addr)
	return LoginReply{Token: tok, Actor: a}, nil
}

func (s *Server) logout(c *call) (any, error) {
	if c.session != "" {
		s.sessions.end(c.session)
	}
	return struct{}{}, nil
}

// Me is GET /v1/me: who the caller acts as and what they may do.
type Me struct {
	Actor       core.Actor        `json:"actor"`
	Permissions []core.Permission `json:"permissions"`
}

func (s *Server) me(c *call) (any, error) {
	perms, err := s.engine.PermissionsOf(c.actor)
	if err != nil {
		return nil, err
	}
	if perms == nil {
		perms = []core.Permission{}
	}
	return Me{Actor: c.actor, Permissions: perms}, nil
}

// heartbeat is how often a watch says it is alive when nothing happens:
// a client that hears nothing for three of them knows the service is gone.
const heartbeat = 500 * time.Millisecond

// watchLine is one line of GET /v1/watch: an update, or a heartbeat
// ({"ping": true}).
type watchLine struct {
	core.Update
	Ping bool `json:"ping,omitempty"`
}

// watch streams the caller's live updates (core.Engine.Watch). The
// engine hands each update over without waiting; a client that does not
// read fast enough fills its bounded queue, and what does not fit is
// counted and told ({"missed": n}) when it catches up: a slow client
// never slows a door.
func (s *Server) watch(c *call) (any, error) {
	q := &watchQueue{ch: make(chan core.Update, s.watchBuffer)}
	cancel, err := s.engine.Watch(c.actor, q.put)
	if err != nil {
		return nil, err
	}
	defer cancel()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	ctx := c.r.Context()
	return c.stream(true, func(send func(any) error) error {
		if err := send(watchLine{Ping: true}); err != nil {
			return err
		}
		for {
			var line watchLine
			select {
			case <-ctx.Done():
				return nil
			case u := <-q.ch:
				line.Update = u
			case <-tick.C:
				// A watch alone does not keep a session alive, but it
				// ends with it.
				if c.session != "" {
					if err := s.sessions.check(c.session); err != nil {
						return err
					}
				}
				line.Ping = true
			}
			if err := send(line); err != nil {
				return err
			}
			// What did not fit came after everything queued: told once
			// the queue is empty again.
			if len(q.ch) == 0 {
				if n := q.takeMissed(); n > 0 {
					if err := send(watchLine{Update: core.Update{Missed: n}}); err != nil {
						return err
					}
				}
			}
		}
	})
}

// watchQueue is one watching client's bounded queue.
type watchQueue struct {
	ch     chan core.Update
	mu     sync.Mutex
	missed int
}

// put is the engine's callback: it never blocks.
func (q *watchQueue) put(u core.Update) {
	select {
	case q.ch <- u:
	default:
		q.mu.Lock()
		q.missed++
		q.mu.Unlock()
	}
}

func (q *watchQueue) takeMissed() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := q.missed
	q.missed = 0
	return n
}

func (s *Server) authorize(c *call) (any, error) {
	p := c.query("permission")
	if p == "" {
		return nil, invalid("query.permission", "missing")
	}
	if err := s.engine.Authorize(c.actor, core.Permission(p)); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}
