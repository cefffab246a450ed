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
// Other sites' events are read whole (they have no time index here) and
// sorted; this site's are walked as its log is, merged in as they come,
// so a page of the log at the central site stops this site's walk where
// the page ends. Unreadable events are named with their site.
func (e *Engine) siteEvents(own string, sites []string, q EventQuery, fn func(Event) error) error {
	var unreadable UnreadableEvents
	// note keeps the unreadable events err names, and returns any other
	// error.
	note := func(site string, err error) error {
		var u *UnreadableEvents
		if !errors.As(err, &u) {
			return err
		}
		for _, ev := range u.Events {
			unreadable.Add(ev.Seq, site+": "+ev.Reason)
		}
		unreadable.Count += u.Count - len(u.Events)
		return nil
	}
	order := func(x, y Event) int {
		c := x.At.Compare(y.At)
		if c == 0 {
			c = strings.Compare(x.Site, y.Site)
		}
		if c == 0 {
			c = cmp.Compare(x.Seq, y.Seq)
		}
		if q.Reverse {
			return -c
		}
		return c
	}
	n := 0
	emit := func(ev Event) error {
		if q.Limit > 0 && n >= q.Limit {
			return errEnough
		}
		n++
		return fn(ev)
	}
	var stop error // fn's, or errEnough
	err := e.store.View(func(tx Tx) error {
		var others []Event
		ownToo := false
		for _, site := range sites {
			if site == own {
				ownToo = true
				continue
			}
			err := tx.SiteEvents(site, q, func(ev Event) error {
				others = append(others, ev)
				return nil
			})
			if err := note(site, err); err != nil {
				return err
			}
		}
		slices.SortStableFunc(others, order)
		i := 0
		if ownToo {
			err := tx.Events(q, func(ev Event) error {
				if ev.Site == "" {
					ev.Site = own
				}
				for ; i < len(others) && order(others[i], ev) < 0; i++ {
					if stop = emit(others[i]); stop != nil {
						return stop
					}
				}
				stop = emit(ev)
				return stop
			})
			if stop != nil {
				note(own, err) // fn's error joined with the unreadable ones
				return nil
			}
			if err := note(own, err); err != nil {
				return err
			}
		}
		for ; i < len(others); i++ {
			if stop = emit(others[i]); stop != nil {
				return nil
			}
		}
		return nil
	})
	switch {
	case err != nil:
		return err
	case stop != nil && !errors.Is(stop, errEnough):
		if unreadable.Count == 0 {
			return stop
		}
		return errors.Join(stop, &unreadable)
	}
	return unreadable.Err()
}
