package httpapi

import (
	"errors"

	"frontdesk/core"
)

// routesLog registers the event log, the self-view and the audit trail.
func (s *Server) routesLog() {
	s.handle("GET /v1/events", s.events)
	s.handle("POST /v1/self-view", s.selfView)
	s.handle("GET /v1/audit", s.audit)
	s.handle("GET /v1/sites", s.sites)
}

// UnreadableLine is the line of GET /v1/events that names the events the
// walk skipped because they could not be read (core.UnreadableEvents),
// just before the stream's error line: the client gives its caller the
// same *core.UnreadableEvents as the engine, so a screen shows the other
// events and names these.
type UnreadableLine struct {
	Unreadable UnreadableWire `json:"unreadable"`
}

// UnreadableWire is core.UnreadableEvents on the wire.
type UnreadableWire struct {
	Events []UnreadableEvent `json:"events"`
	Count  int               `json:"count"`
}

// UnreadableEvent is core.UnreadableEvent on the wire.
type UnreadableEvent struct {
	Seq    uint64 `json:"seq"`
	Reason string `json:"reason"`
}

func unreadableWire(u *core.UnreadableEvents) UnreadableWire {
	w := UnreadableWire{Count: u.Count, Events: make([]UnreadableEvent, len(u.Events))}
	for i, e := range u.Events {
		w.Events[i] = UnreadableEvent{Seq: e.Seq, Reason: e.Reason}
	}
	return w
}

func (w UnreadableWire) events() *core.UnreadableEvents {
	u := &core.UnreadableEvents{Count: w.Count}
	for _, e := range w.Events {
		u.Events = append(u.Events, core.UnreadableEvent{Seq: e.Seq, Reason: e.Reason})
	}
	return u
}

// events streams the events the query selects (core.Engine.Events), one
// per line: GET /v1/events?from=&to=&door=&person=&limit=&reverse=&site=.
// Events that could not be read end the stream with an UnreadableLine
// and an error line of kind "unreadable", after all the others.
func (s *Server) events(c *call) (any, error) {
	var q core.EventQuery
	var err error
	if q.From, err = c.timeParam("from"); err != nil {
		return nil, err
	}
	if q.To, err = c.timeParam("to"); err != nil {
		return nil, err
	}
	if q.Limit, err = c.intParam("limit"); err != nil {
		return nil, err
	}
	if q.Reverse, err = c.boolParam("reverse"); err != nil {
		return nil, err
	}
	q.Door, q.Person, q.Site = c.query("door"), c.query("person"), c.query("site")
	return c.stream(false, func(send func(any) error) error {
		err := s.engine.Events(c.actor, q, func(ev core.Event) error { return send(ev) })
		var u *core.UnreadableEvents
		if errors.As(err, &u) {
			if serr := send(UnreadableLine{Unreadable: unreadableWire(u)}); serr != nil {
				return errors.Join(err, serr)
			}
		}
		return err
	})
}

func (s *Server) selfView(c *call) (any, error) {
	var ev core.Event
	if err := c.decode(&ev); err != nil {
		return nil, err
	}
	return s.engine.SelfView(c.actor, ev)
}

// audit streams the audit entries the query selects, one per line: GET
// /v1/audit?from=&to=&limit=.
func (s *Server) audit(c *call) (any, error) {
	var q core.AuditQuery
	var err error
	if q.From, err = c.timeParam("from"); err != nil {
		return nil, err
	}
	if q.To, err = c.timeParam("to"); err != nil {
		return nil, err
	}
	if q.Limit, err = c.intParam("limit"); err != nil {
		return nil, err
	}
	return c.stream(false, func(send func(any) error) error {
		return s.engine.Audit(c.actor, q, func(e core.AuditEntry) error { return send(e) })
	})
}

// sites lists the sites whose events the database holds (core.Engine.Sites).
func (s *Server) sites(c *call) (any, error) {
	return s.engine.Sites(c.actor)
}
