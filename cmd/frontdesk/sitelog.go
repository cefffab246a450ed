package main

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"frontdesk/core"
	"frontdesk/core/httpapi"
	"frontdesk/core/i18n"
	"frontdesk/storage"
)

// The central site's reads of the events other sites sent up
// (docs/federation.md): `log --site` and `verify --site`, served by the
// process that owns the database (ops, httpapi.SiteOps).

var _ httpapi.SiteOps = ops{}

// allSites is --site's value for every site.
const allSites = "all"

// SiteEvents returns the events q selects of one site, or of all, this
// one's included, in time order: the engine's Events with the query's
// Site. Needs logs.view.any: a site's events are all its doors'.
func (o ops) SiteEvents(a core.Actor, q httpapi.SiteEventsQuery) (httpapi.SiteEventsReply, error) {
	var reply httpapi.SiteEventsReply
	if err := o.m.Engine.Authorize(a, core.PermLogsViewAny); err != nil {
		return reply, err
	}
	eq := q.EventQuery()
	eq.Site = q.Site
	err := o.m.Engine.Events(a, eq, func(e core.Event) error {
		reply.Events = append(reply.Events, e)
		return nil
	})
	var unreadable *core.UnreadableEvents
	switch {
	case errors.As(err, &unreadable):
		reply.Unreadable = unreadable
	case err != nil:
		return reply, err
	}
	// A limited query walks newest first; the log prints oldest first.
	slices.SortStableFunc(reply.Events, func(x, y core.Event) int {
		if c := x.At.Compare(y.At); c != 0 {
			return c
		}
		if c := strings.Compare(x.Site, y.Site); c != 0 {
			return c
		}
		return cmp.Compare(x.Seq, y.Seq)
	})
	return reply, nil
}

// SiteChain checks the hash chain of site's events as stored here. Needs
// backup.run, as verify does.
func (o ops) SiteChain(ctx context.Context, a core.Actor, site string) (storage.ChainState, error) {
	if err := o.allow(a); err != nil {
		return storage.ChainState{}, err
	}
	own, _, err := o.m.Engine.ResolveSite(site)
	if err != nil {
		return storage.ChainState{}, err
	}
	if site == own {
		return o.m.DB.CheckChain(ctx, storage.EventLog, storage.Link{})
	}
	return o.m.DB.CheckChain(ctx, storage.SiteChain(site), storage.Link{})
}

// siteOps are the SiteOps of the command: the service's when one
// answers, else the database's, opened by the command.
func (c *command) siteOps() httpapi.SiteOps {
	if c.remote != nil {
		return remoteSiteOps{c.remote}
	}
	return ops{c.main}
}

// remoteSiteOps are a service's SiteOps, through its client.
type remoteSiteOps struct{ cl *httpapi.Client }

func (r remoteSiteOps) SiteEvents(a core.Actor, q httpapi.SiteEventsQuery) (httpapi.SiteEventsReply, error) {
	return r.cl.SiteEvents(a, q)
}

func (r remoteSiteOps) SiteChain(_ context.Context, a core.Actor, site string) (storage.ChainState, error) {
	return r.cl.SiteChain(a, site)
}

// siteLogJSON is one event of `log --site --json`: log's fields and the
// site.
type siteLogJSON struct {
	logJSON
	Site string `json:"site"`
}

// siteLog is `log --site`: the events of a site, or of all, each with
// its site and seq.
func (c *command) siteLog(q httpapi.SiteEventsQuery) error {
	reply, err := c.siteOps().SiteEvents(c.actor(), q)
	if err != nil {
		return err
	}
	var unreadable error
	if reply.Unreadable != nil {
		unreadable = reply.Unreadable
	}
	if c.json {
		out := make([]siteLogJSON, len(reply.Events))
		for i, e := range reply.Events {
			out[i] = siteLogJSON{logJSON: logJSON{tapJSON: c.tapJSON(e), Direction: e.Direction, Hash: e.Hash}, Site: e.Site}
		}
		if err := c.printJSON(out); err != nil {
			return err
		}
		return unreadable
	}
	c.printSiteEvents(reply.Events)
	return unreadable
}

// printSiteEvents is printEvents with the site and seq of each event in
// front.
func (c *command) printSiteEvents(events []core.Event) {
	tr := c.tr()
	tab := newTable(c.stdout, 0, 0, 2, 0)
	for _, e := range events {
		site := e.Site
		if site == "" {
			site = "-"
		}
		tab.row(append([]any{site, e.Seq}, c.eventCells(tr, e)...)...)
	}
	tab.flush()
}

// siteChainError is a site's chain that failed its check: exit status 3,
// as a damaged database.
type siteChainError struct {
	site string
	st   storage.ChainState
}

func (e siteChainError) Error() string { return e.in(nil) }

// in is the error in tr's language (errorLines).
func (e siteChainError) in(tr *i18n.Translator) string {
	return tr.F("the events of site %s do not verify: %s", e.site, chainFault(tr, storage.SiteChain(e.site), e.st))
}

func (e siteChainError) Is(target error) bool { return target == core.ErrDamaged }

// verifySite is `verify --site ID`: the check of the hash chain of a
// site's events as the central site holds them.
func (c *command) verifySite(site string) error {
	if site == allSites {
		return usagef("verify --site: name one site")
	}
	st, err := c.siteOps().SiteChain(context.Background(), c.actor(), site)
	if err != nil {
		return err
	}
	if c.json {
		out := map[string]any{"ok": st.Broken == 0, "site": site, "events": st.Last.Seq}
		if st.Broken != 0 {
			out["broken"] = st.Broken
			out["problem"] = st.Why
		}
		if err := c.printJSON(out); err != nil {
			return err
		}
	} else if st.Broken == 0 {
		tr := c.tr()
		c.say("ok: site %s, %s, hash chain intact", site,
			tr.N("{{.Count}} events", "{{.Count}} event", "{{.Count}} events", int(st.Last.Seq)))
	}
	if st.Broken != 0 {
		return siteChainError{site: site, st: st}
	}
	return nil
}
