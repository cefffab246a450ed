package httpapi

import (
	"context"
	"net/http"
	"time"

	"frontdesk/core"
	"frontdesk/storage"
)

// SiteOps are the central site's reads of the events other sites sent up
// (docs/federation.md). A service whose Ops also implement SiteOps serves
// them; each checks the caller's permission with the engine first.
type SiteOps interface {
	// SiteEvents returns the events q selects of one site, or of every
	// site for "all", this one's included, in time order. A site whose
	// events are not here is core.ErrNotFound.
	SiteEvents(a core.Actor, q SiteEventsQuery) (SiteEventsReply, error)
	// SiteChain checks the hash chain of a site's events as stored here.
	SiteChain(ctx context.Context, a core.Actor, site string) (storage.ChainState, error)
}

// SiteEventsQuery selects events of a site ("all" for every site): From
// ≤ At < To, of a door, of a person, the latest Limit.
type SiteEventsQuery struct {
	Site   string    `json:"site"`
	From   time.Time `json:"from,omitzero"`
	To     time.Time `json:"to,omitzero"`
	Door   string    `json:"door,omitempty"`
	Person string    `json:"person,omitempty"`
	Limit  int       `json:"limit,omitempty"`
}

// EventQuery is q for one site's log.
func (q SiteEventsQuery) EventQuery() core.EventQuery {
	return core.EventQuery{From: q.From, To: q.To, Door: q.Door, Person: q.Person, Limit: q.Limit, Reverse: q.Limit > 0}
}

// SiteEventsReply is the answer of POST /v1/sites/events: the events,
// each with its site and seq, and those skipped that could not be read.
type SiteEventsReply struct {
	Events     []core.Event           `json:"events"`
	Unreadable *core.UnreadableEvents `json:"unreadable,omitempty"`
}

// SiteChainQuery is the body of POST /v1/sites/chain.
type SiteChainQuery struct {
	Site string `json:"site"`
}

// routesSites registers the central site's reads of other sites' events.
func (s *Server) routesSites() {
	s.handle("POST /v1/sites/events", s.siteEvents)
	s.handle("POST /v1/sites/chain", s.siteChain)
}

// siteOps is the server's SiteOps, or the error of a service without.
func (s *Server) siteOps() (SiteOps, error) {
	so, ok := s.ops.(SiteOps)
	if !ok {
		return nil, errNoOps("hold other sites' events")
	}
	return so, nil
}

func (s *Server) siteEvents(c *call) (any, error) {
	so, err := s.siteOps()
	if err != nil {
		return nil, err
	}
	var q SiteEventsQuery
	if err := c.decode(&q); err != nil {
		return nil, err
	}
	return so.SiteEvents(c.actor, q)
}

func (s *Server) siteChain(c *call) (any, error) {
	so, err := s.siteOps()
	if err != nil {
		return nil, err
	}
	var q SiteChainQuery
	if err := c.decode(&q); err != nil {
		return nil, err
	}
	return so.SiteChain(c.r.Context(), c.actor, q.Site)
}

// SiteEvents asks the service for the events of other sites it holds.
func (c *Client) SiteEvents(a core.Actor, q SiteEventsQuery) (SiteEventsReply, error) {
	return ask[SiteEventsReply](c, a, http.MethodPost, "/v1/sites/events", nil, q)
}

// SiteChain has the service check the hash chain of a site's events.
func (c *Client) SiteChain(a core.Actor, site string) (storage.ChainState, error) {
	return ask[storage.ChainState](c, a, http.MethodPost, "/v1/sites/chain", nil, SiteChainQuery{Site: site})
}
