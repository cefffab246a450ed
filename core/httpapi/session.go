package httpapi

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sync"
	"time"

	"frontdesk/core"
)

// sessions are the staff logins made through the service. A token is
// the only thing a client holds; the account, and whether it still may
// act, are the service's.
type sessions struct {
	engine *core.Engine
	idle   time.Duration

	mu   sync.Mutex
	byID map[string]*session
	// failed counts failed logins per network address (login limits).
	failed map[string]*addrFailures
}

type session struct {
	actor core.Actor
	// stamp is the account's SessionStamp at login: a new password or a
	// disabled account ends the session.
	stamp    string
	lastUsed time.Time
}

// Limits on failed logins from one network address, on top of the
// engine's lockout of each account: a guesser cycling through usernames
// is stopped too.
const (
	maxAddrFailures = 10
	addrWindow      = 5 * time.Minute
)

type addrFailures struct {
	count int
	first time.Time
}

func newSessions(engine *core.Engine, idle time.Duration) *sessions {
	return &sessions{engine: engine, idle: idle, byID: map[string]*session{}, failed: map[string]*addrFailures{}}
}

// login checks the password with the engine (its lockout and audit) and
// opens a session. addr is the caller's network address, "" on the Unix
// socket, where the OS identifies the caller and the account lockout is
// the only limit.
func (s *sessions) login(addr, username, password string) (string, core.Actor, error) {
	now := s.engine.Now()
	if addr != "" && s.limited(addr, now) {
		return "", core.Actor{}, &Error{Kind: KindTooMany,
			Message: fmt.Sprintf("login refused: too many failed logins from %s; wait %s", addr, addrWindow),
			Args:    map[string]string{"address": addr, "wait": addrWindow.String()}}
	}
	a, err := s.engine.Login(username, password)
	if err != nil {
		if addr != "" {
			s.fail(addr, now)
		}
		return "", core.Actor{}, err
	}
	stamp, err := s.engine.SessionStamp(a)
	if err != nil {
		return "", core.Actor{}, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", core.Actor{}, fmt.Errorf("session token: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID[tok] = &session{actor: a, stamp: stamp, lastUsed: time.Now()}
	if addr != "" {
		delete(s.failed, addr)
	}
	return tok, a, nil
}

func (s *sessions) limited(addr string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.failed[addr]
	if f == nil {
		return false
	}
	if now.Sub(f.first) > addrWindow {
		delete(s.failed, addr)
		return false
	}
	return f.count >= maxAddrFailures
}

func (s *sessions) fail(addr string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.failed[addr]
	if f == nil || now.Sub(f.first) > addrWindow {
		f = &addrFailures{first: now}
		s.failed[addr] = f
	}
	f.count++
}

// errSessionEnded is a token that names no live session: why in English,
// and as the code of args "ended" (with its values) for a client to say
// in its language.
func errSessionEnded(why string, args map[string]string) error {
	return &Error{Kind: KindNoSession, Message: "unauthorized: the session ended (" + why + "); log in again", Args: args}
}

// actor is who the session tok acts as, if it still may: the session is
// ended when idle too long, or when its account was disabled, deleted or
// given a new password since the login.
func (s *sessions) actor(tok string) (core.Actor, error) {
	return s.use(tok, true)
}

// check says whether the session tok is still live, without counting as
// a use of it.
func (s *sessions) check(tok string) error {
	_, err := s.use(tok, false)
	return err
}

func (s *sessions) use(tok string, touch bool) (core.Actor, error) {
	s.mu.Lock()
	ses := s.byID[tok]
	s.mu.Unlock()
	if ses == nil {
		return core.Actor{}, errSessionEnded("unknown or logged out", map[string]string{"ended": "logged_out"})
	}
	now := time.Now()
	s.mu.Lock()
	idle := now.Sub(ses.lastUsed)
	s.mu.Unlock()
	if idle > s.idle {
		s.end(tok)
		return core.Actor{}, errSessionEnded(fmt.Sprintf("idle for more than %s", s.idle), map[string]string{"ended": "idle", "idle": s.idle.String()})
	}
	stamp, err := s.engine.SessionStamp(ses.actor)
	if err != nil {
		s.end(tok)
		return core.Actor{}, errSessionEnded("the account is disabled or gone", map[string]string{"ended": "account"})
	}
	if stamp != ses.stamp {
		s.end(tok)
		return core.Actor{}, errSessionEnded("the password was changed", map[string]string{"ended": "password"})
	}
	if touch {
		s.mu.Lock()
		ses.lastUsed = now
		s.mu.Unlock()
	}
	return ses.actor, nil
}

func (s *sessions) end(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, tok)
}
