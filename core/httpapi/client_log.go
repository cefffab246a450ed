package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"frontdesk/core"
)

// Events calls fn for the events q selects, as the service reads them.
// An error from fn stops the walk: the client stops reading and returns
// it. Events the service could not read come as the engine gives them:
// fn sees the others, and the error is a *core.UnreadableEvents naming
// the skipped ones (it matches core.ErrDamaged).
func (c *Client) Events(a core.Actor, q core.EventQuery, fn func(core.Event) error) error {
	if err := c.checkActor(a); err != nil {
		return err
	}
	v := url.Values{}
	setTime(v, "from", q.From)
	setTime(v, "to", q.To)
	if q.Door != "" {
		v.Set("door", q.Door)
	}
	if q.Person != "" {
		v.Set("person", q.Person)
	}
	if q.Limit != 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Reverse {
		v.Set("reverse", "true")
	}
	if q.Site != "" {
		v.Set("site", q.Site)
	}
	var unreadable *core.UnreadableEvents
	err := c.stream(context.Background(), http.MethodGet, "/v1/events", v, nil, func(b []byte) error {
		if bytes.HasPrefix(b, []byte(`{"unreadable":`)) {
			var l UnreadableLine
			if err := json.Unmarshal(b, &l); err != nil {
				return c.lost(fmt.Errorf("read the events: %w", err))
			}
			unreadable = l.Unreadable.events()
			return nil
		}
		var ev core.Event
		if err := json.Unmarshal(b, &ev); err != nil {
			return c.lost(fmt.Errorf("read the events: %w", err))
		}
		return fn(ev)
	})
	var we *Error
	if unreadable != nil && errors.As(err, &we) && we.Kind == KindUnreadable {
		return unreadable
	}
	return err
}

// setTime sets the query parameter name to t, unless t is zero.
func setTime(v url.Values, name string, t time.Time) {
	if !t.IsZero() {
		v.Set(name, t.Format(time.RFC3339Nano))
	}
}

// SelfView returns the self-view of the desk tap ev.
func (c *Client) SelfView(a core.Actor, ev core.Event) (core.SelfView, error) {
	if err := c.checkActor(a); err != nil {
		return core.SelfView{}, err
	}
	var v core.SelfView
	err := c.call(http.MethodPost, "/v1/self-view", nil, ev, &v)
	return v, err
}

// Audit calls fn for the audit entries q selects. An error from fn stops
// the walk: the client stops reading and returns it.
func (c *Client) Audit(a core.Actor, q core.AuditQuery, fn func(core.AuditEntry) error) error {
	if err := c.checkActor(a); err != nil {
		return err
	}
	v := url.Values{}
	setTime(v, "from", q.From)
	setTime(v, "to", q.To)
	if q.Limit != 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return c.stream(context.Background(), http.MethodGet, "/v1/audit", v, nil, func(b []byte) error {
		var e core.AuditEntry
		if err := json.Unmarshal(b, &e); err != nil {
			return c.lost(fmt.Errorf("read the audit trail: %w", err))
		}
		return fn(e)
	})
}

// Sites returns the sites whose events the service's database holds,
// its own first.
func (c *Client) Sites(a core.Actor) ([]core.SiteInfo, error) {
	if err := c.checkActor(a); err != nil {
		return nil, err
	}
	var sites []core.SiteInfo
	err := c.call(http.MethodGet, "/v1/sites", nil, nil, &sites)
	return sites, err
}
