package core

import (
	"cmp"
	"errors"
	"slices"
	"strings"
)

// The central site of a company holds the events every branch sent up
// (docs/federation.md, "Reports across sites"). Its log, timesheets and
// reports read them by site: EventQuery.Site, TimesheetQuery.Site and
// ReportQuery.Site say whose, and Sites lists those there are to choose.

// SiteInfo is a site whose events this database holds.
type SiteInfo struct {
	// ID is the site's id in its company; "" for this site when it has
	// joined none.
	ID string `json:"id"`
	// Own is true for this site.
	Own bool `json:"own,omitempty"`
}

// Sites returns the sites whose events this database holds: this one
// first, then the others in id order. Only the central site of a company
// holds others'; elsewhere the list is this site alone. Needs one of
// logs.view.any, attendance.view or reports.print: it is what their pages
// choose from.
func (e *Engine) Sites(a Actor) ([]SiteInfo, error) {
	if err := e.requireAny(a, "see the sites whose events are here",
		PermLogsViewAny, PermAttendanceView, PermReportsPrint); err != nil {
		return nil, err
	}
	own, others, err := e.eventSites()
	if err != nil {
		return nil, err
	}
	out := []SiteInfo{{ID: own, Own: true}}
	for _, id := range others {
		if id != own {
			out = append(out, SiteInfo{ID: id})
		}
	}
	return out, nil
}

// eventSites returns this site's id (the store's, which its own events
// read with, else the engine's federation's) and the other sites whose
// events are held here.
func (e *Engine) eventSites() (own string, others []string, err error) {
	err = e.store.View(func(tx Tx) error {
		own, others, err = tx.EventSites()
		return err
	})
	return cmp.Or(own, e.Federation().Site), others, err
}

// ResolveSite says which sites a query's Site names: "" is this site,
// AllSites every site whose events are here (this one first), else the
// site of that id. It returns this site's id too. A malformed id is
// ErrInvalid; a site whose events are not here is ErrNotFound, naming
// those that are.
func (e *Engine) ResolveSite(site string) (own string, sites []string, err error) {
	if err := checkTimesheetSite(site); err != nil {
		return "", nil, err
	}
	own, others, err := e.eventSites()
	if err != nil {
		return "", nil, err
	}
	known := []string{own}
	for _, id := range others {
		if id != own {
			known = append(known, id)
		}
	}
	switch {
	case site == "":
		return own, []string{own}, nil
	case site == AllSites:
		return own, known, nil
	case slices.Contains(known, site):
		return own, []string{site}, nil
	}
	names := slices.DeleteFunc(slices.Clone(known), func(s string) bool { return s == "" })
	if len(names) == 0 {
		return "", nil, phrasef(ErrNotFound, "no site %q: this site holds no other site's events", site)
	}
	return "", nil, phrasef(ErrNotFound, "no site %q: the sites known here are %s", site, strings.Join(names, ", "))
}

// siteEvents is Events for a query of other sites' events, or of every
// site's: the events of sites, each with its Site, merged in time order,
// then site, then seq (newest first with q.Reverse), the first q.Limit.
// Unreadable events are named with their site.
func (e *Engine) siteEvents(own string, sites []string, q EventQuery, fn func(Event) error) error {
	var all []Event
	var unreadable UnreadableEvents
	err := e.store.View(func(tx Tx) error {
		for _, site := range sites {
			collect := func(ev Event) error {
				if ev.Site == "" {
					ev.Site = site
				}
				all = append(all, ev)
				return nil
			}
			var err error
			if site == own {
				err = tx.Events(q, collect)
			} else {
				err = tx.SiteEvents(site, q, collect)
			}
			var u *UnreadableEvents
			switch {
			case errors.As(err, &u):
				for _, ev := range u.Events {
					unreadable.Add(ev.Seq, site+": "+ev.Reason)
				}
				unreadable.Count += u.Count - len(u.Events)
			case err != nil:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(sites) > 1 {
		slices.SortStableFunc(all, func(x, y Event) int {
			if c := x.At.Compare(y.At); c != 0 {
				return c
			}
			if c := strings.Compare(x.Site, y.Site); c != 0 {
				return c
			}
			return cmp.Compare(x.Seq, y.Seq)
		})
		if q.Reverse {
			slices.Reverse(all)
		}
		if q.Limit > 0 && len(all) > q.Limit {
			all = all[:q.Limit]
		}
	}
	for _, ev := range all {
		if err := fn(ev); err != nil {
			if unreadable.Count == 0 {
				return err
			}
			return errors.Join(err, &unreadable)
		}
	}
	return unreadable.Err()
}
