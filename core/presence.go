package core

import (
	"encoding/json"
	"errors"
	"time"
)

// SitePresence is who is inside a site at At, by zone, as that site's
// muster list has it (Site.Inside): what each site of a company publishes
// of itself, and what the central site keeps of each branch's
// (docs/federation.md). Presence stays each site's own: an evacuation is
// local, and a branch decides from its own file; the central site only
// sees the branch's latest list, with its time.
type SitePresence struct {
	// Site is the site's id in its company; "" for a site alone.
	Site string `json:"site"`
	// At is when the site took the list, by its clock.
	At    time.Time    `json:"at"`
	Zones []MusterZone `json:"zones"`
	Total int          `json:"total"`
	// Stale is set when the list is read: At is more than PresenceFresh
	// before now, so the site has not been heard from since (cut off from
	// the hub, or stopped) and people may have come or gone.
	Stale bool `json:"stale,omitempty"`
}

// PresenceFresh is how old another site's presence may be before it is
// Stale. A site publishes its presence when it changes, and at least
// every PresenceRefresh, so a list older than this is one the site could
// not send.
const (
	PresenceFresh   = time.Minute
	PresenceRefresh = 20 * time.Second
)

// Same reports whether p and q list the same people in the same zones
// since the same instants: a site publishes its presence again at once
// only when it is not the same.
func (p SitePresence) Same(q SitePresence) bool {
	a, _ := json.Marshal(p.Zones)
	b, _ := json.Marshal(q.Zones)
	return p.Site == q.Site && p.Total == q.Total && string(a) == string(b)
}

// OwnPresence returns who is inside this site now, for the link to the
// other sites of the company: nobody's permission is asked, as for
// OwnSiteObjects; what a person may see goes through Presence.
func (e *Engine) OwnPresence() (SitePresence, error) {
	b := e.presenceBuilder()
	m, err := b.inside()
	if err != nil {
		return SitePresence{}, err
	}
	return SitePresence{Site: e.Federation().Site, At: m.At.UTC(), Zones: m.Zones, Total: m.Total}, nil
}

func (e *Engine) presenceBuilder() *reportBuilder {
	e.mu.RLock()
	cfg, loc := e.cfg, e.loc
	e.mu.RUnlock()
	return &reportBuilder{e: e, cfg: cfg, loc: loc, now: e.now(), names: newNameOrder()}
}

// ApplySitePresence keeps p as the latest presence of site, another site
// of the company: the central site mirrors each branch's, so that a
// command run without the service, or after a restart, still shows the
// last one known. A list taken before the one kept is ignored (the latest
// wins, whatever the order they arrive in). A bad site id, this site's
// own id, a list that names another site or has no time is refused
// (ErrInvalid), and nothing changes.
func (e *Engine) ApplySitePresence(site string, p SitePresence) error {
	if err := CheckSiteID("site", site); err != nil {
		return err
	}
	if own := e.Federation().Site; site == own {
		return phrasef(ErrInvalid, "site %s: the presence of this site is its own, not received", site)
	}
	if p.Site != site {
		return phrasef(ErrInvalid, "site %s: the presence received is site %s's", site, p.Site)
	}
	if p.At.IsZero() {
		return phrasef(ErrInvalid, "site %s: the presence received has no time", site)
	}
	total := 0
	for _, z := range p.Zones {
		total += len(z.People)
	}
	if total != p.Total {
		return phrasef(ErrInvalid, "site %s: the presence received counts %d people and lists %d", site, p.Total, total)
	}
	p.At, p.Stale = p.At.UTC(), false
	if p.Zones == nil {
		p.Zones = []MusterZone{}
	}
	return e.store.Update(func(tx Tx) error {
		old, err := tx.SitePresence(site)
		switch {
		case err == nil && !p.At.After(old.At):
			return nil
		case err != nil && !isNotFound(err):
			return err
		}
		return tx.PutSitePresence(p)
	})
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// Presence returns who is inside: for site "" this site's now; for
// another site's id, the latest presence that site sent here (the central
// site's copy; ErrNotFound when none came), Stale when older than
// PresenceFresh; for AllSites this site's then every other site's known
// here, in id order. This site's own id is this site's. Needs
// attendance.view, as the muster list: whoever may print this site's may
// see a branch's.
func (e *Engine) Presence(a Actor, site string) ([]SitePresence, error) {
	if err := checkTimesheetSite(site); err != nil {
		return nil, err
	}
	s, err := e.subject(a)
	if err != nil {
		return nil, err
	}
	if err := s.need(PermAttendanceView, "see who is inside"); err != nil {
		return nil, err
	}
	own := e.Federation().Site
	var out []SitePresence
	if site == "" || site == AllSites || site == own {
		p, err := e.OwnPresence()
		if err != nil {
			return nil, err
		}
		out = append(out, p)
		if site != AllSites {
			return out, nil
		}
	}
	now := e.now()
	received := func(p SitePresence) {
		p.Stale = now.Sub(p.At) > PresenceFresh
		out = append(out, p)
	}
	err = e.store.View(func(tx Tx) error {
		if site != AllSites {
			p, err := tx.SitePresence(site)
			if isNotFound(err) {
				return phrasef(ErrNotFound, "no presence of site %s has reached this site", site)
			}
			if err != nil {
				return err
			}
			received(p)
			return nil
		}
		return tx.SitePresences(func(p SitePresence) error {
			if p.Site != own {
				received(p)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
