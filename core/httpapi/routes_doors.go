package httpapi

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sync"
	"time"

	"frontdesk/core"
)

// routesDoors registers taps, check-ins and doors: the reception's and
// the guards' routes.
func (s *Server) routesDoors() {
	s.handle("GET /v1/readers/{id}/desk", s.deskReader)
	s.handle("POST /v1/taps", s.tap)
	s.handle("POST /v1/checkins", s.checkin)
	s.handle("POST /v1/close-day", s.closeDay)
	s.handle("GET /v1/doors", s.doors)
	s.handle("GET /v1/doors/grantable", s.grantableDoors)
	s.handle("GET /v1/doors/{id}", s.door)
	s.handle("POST /v1/doors/{id}/open", s.openDoor)
	s.handle("PUT /v1/doors/{id}/mode", s.setDoorMode)
	s.handle("GET /v1/zones", s.zones)
	s.handle("GET /v1/devices", s.devices)
	s.handle("GET /v1/health", s.health)
	holds := &captures{byID: map[string]*capture{}}
	s.handle("GET /v1/desk/capture", holds.hold)
	s.handle("DELETE /v1/desk/capture/{id}", holds.release)
}

// DeskReply is the answer of GET /v1/readers/{id}/desk.
type DeskReply struct {
	Desk bool `json:"desk"`
}

func (s *Server) deskReader(c *call) (any, error) {
	return DeskReply{Desk: s.engine.DeskReader(c.r.PathValue("id"))}, nil
}

// TapRequest is the body of POST /v1/taps: a card presented at a
// reader, as the reader delivered its code. A zero At is the service's
// clock.
type TapRequest struct {
	Reader string    `json:"reader"`
	Code   string    `json:"code"`
	At     time.Time `json:"at,omitzero"`
}

// tap records a tap by hand. The engine's Tap takes no actor: a reader
// is its own credential, and the service's readers tap in its process.
// A tap through the service is made by hand, so it needs taps.replay,
// which the command line's tap asks for too.
func (s *Server) tap(c *call) (any, error) {
	if err := s.engine.Authorize(c.actor, core.PermTapsReplay); err != nil {
		return nil, err
	}
	var req TapRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.engine.Tap(core.Tap{Reader: req.Reader, Code: req.Code, At: req.At})
}

// CheckinRequest is the body of POST /v1/checkins: a check-in by mobile
// number. A zero At is the service's clock.
type CheckinRequest struct {
	Phone string    `json:"phone"`
	At    time.Time `json:"at,omitzero"`
}

func (s *Server) checkin(c *call) (any, error) {
	var req CheckinRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.engine.CheckinPhone(c.actor, req.Phone, req.At)
}

// CloseDayRequest is the body of POST /v1/close-day: the automatic
// check-out as of At (zero: the service's clock).
type CloseDayRequest struct {
	At time.Time `json:"at,omitzero"`
}

// CloseDayReply is the answer of POST /v1/close-day: the check-outs
// written, in time order. A failure after some were written answers
// them with the error (the engine's partial result); one before any is
// an ordinary error answer.
type CloseDayReply struct {
	Events []core.Event `json:"events"`
	Error  *Error       `json:"error,omitempty"`
}

func (s *Server) closeDay(c *call) (any, error) {
	var req CloseDayRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	evs, err := s.engine.CloseDay(c.actor, req.At)
	if err != nil && len(evs) == 0 {
		return nil, err
	}
	reply := CloseDayReply{Events: evs}
	if err != nil {
		reply.Error = wireError(err)
		s.log.Warn("api: automatic check-out cut short", "written", len(evs), "err", err)
	}
	return reply, nil
}

// doors, grantableDoors, devices and health answer null for an actor
// who may see none, as the engine returns nil.
func (s *Server) doors(c *call) (any, error) { return s.engine.Doors(c.actor), nil }

func (s *Server) grantableDoors(c *call) (any, error) {
	return s.engine.GrantableDoors(c.actor), nil
}

func (s *Server) devices(c *call) (any, error) { return s.engine.Devices(c.actor), nil }

func (s *Server) health(c *call) (any, error) { return s.engine.Health(c.actor), nil }

func (s *Server) zones(c *call) (any, error) { return s.engine.Zones(c.actor) }

// door answers 404 when the engine has no door id for the caller: none
// by that id, or no doors.view.
func (s *Server) door(c *call) (any, error) {
	id := c.r.PathValue("id")
	d, ok := s.engine.Door(c.actor, id)
	if !ok {
		return nil, &Error{Kind: KindNotFound, Message: fmt.Sprintf("not found: no door %q that %s may see", id, c.actor)}
	}
	return d, nil
}

func (s *Server) openDoor(c *call) (any, error) {
	return s.engine.OpenDoor(c.actor, c.r.PathValue("id"))
}

// DoorModeRequest is the body of PUT /v1/doors/{id}/mode.
type DoorModeRequest struct {
	Mode core.DoorMode `json:"mode"`
}

func (s *Server) setDoorMode(c *call) (any, error) {
	var req DoorModeRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.engine.SetDoorMode(c.actor, c.r.PathValue("id"), req.Mode)
}

// CaptureLine is a line of GET /v1/desk/capture: the first names the
// hold (Capture), the others are heartbeats (Ping).
type CaptureLine struct {
	Capture string `json:"capture,omitempty"`
	Ping    bool   `json:"ping,omitempty"`
}

// captures are the desk captures (core.Engine.CaptureDesk) the clients of
// one server hold. A capture lasts as long as the request that made it:
// a client that dies releases it with its connection. A client releases
// it at once with DELETE /v1/desk/capture/{id}, so that the next desk
// tap after its release checks in, as in process.
type captures struct {
	mu   sync.Mutex
	byID map[string]*capture
}

type capture struct {
	actor core.Actor
	// release is the engine's; it may be called more than once.
	release func()
	// done ends the request holding the capture.
	done chan struct{}
	once sync.Once
}

func (h *capture) end() {
	h.once.Do(func() {
		h.release()
		close(h.done)
	})
}

// hold captures the desk for as long as the request lasts.
func (cs *captures) hold(c *call) (any, error) {
	release, err := c.s.engine.CaptureDesk(c.actor)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		release()
		return nil, fmt.Errorf("desk capture id: %w", err)
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	h := &capture{actor: c.actor, release: release, done: make(chan struct{})}
	cs.mu.Lock()
	cs.byID[id] = h
	cs.mu.Unlock()
	defer func() {
		cs.mu.Lock()
		delete(cs.byID, id)
		cs.mu.Unlock()
		h.end()
	}()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	ctx := c.r.Context()
	return c.stream(true, func(send func(any) error) error {
		if err := send(CaptureLine{Capture: id}); err != nil {
			return err
		}
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-h.done:
				return nil
			case <-tick.C:
				// A capture ends with its session, like a watch.
				if c.session != "" {
					if err := c.s.sessions.check(c.session); err != nil {
						return err
					}
				}
				// A client gone without closing its connection is found
				// when a heartbeat cannot be written.
				if err := send(CaptureLine{Ping: true}); err != nil {
					return err
				}
			}
		}
	})
}

// release ends the capture id of the caller, before it answers.
func (cs *captures) release(c *call) (any, error) {
	id := c.r.PathValue("id")
	cs.mu.Lock()
	h := cs.byID[id]
	cs.mu.Unlock()
	if h == nil || h.actor != c.actor {
		return nil, &Error{Kind: KindNotFound, Message: "not found: no desk capture " + id + " of " + c.actor.String()}
	}
	h.end()
	return struct{}{}, nil
}
