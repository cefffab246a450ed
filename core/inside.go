package core

import (
	"errors"
	"slices"
	"time"
)

// Inside reports whether someone last seen in zone is inside the site:
// in any zone but the site's outside zone - the server room and the lobby
// count, not only the work zones. This one rule decides who is "in the
// building" for the attendance sheet, the reception's list and its count,
// the muster list and the self-view, so that in an evacuation the screen
// and the paper agree. "" (never seen) is not inside; a zone the site no
// longer has is: nobody is dropped from an evacuation list for an edit of
// the zones. Worked time is another question, which only work zones
// answer (see the timesheet).
func (s Site) Inside(zone string) bool {
	return zone != "" && zone != s.OutsideZone
}

// insider is someone inside the site at an instant.
type insider struct {
	person Person
	// zone is where they were last seen, since zoneSince; since is when
	// they came in from outside, or the earliest move of the stretch
	// within insideLookback of zoneSince.
	zone             string
	since, zoneSince time.Time
	// stale: their stretch in a work zone should have been ended by an
	// automatic check-out that was not written (the app was not running):
	// probably gone, but not known to be.
	stale bool
}

// insideLookback is how far before the move that put someone in their
// zone the start of their stay inside is looked for.
const insideLookback = 3 * 24 * time.Hour

// insideAt returns everyone inside the site at the instant at, in person
// order: their zone at at (the last move at or before it) is inside by
// Site.Inside. People who are no longer in the site's list (deleted since)
// are still there, under their id.
func insideAt(tx Tx, cfg *config, loc *time.Location, at time.Time) ([]insider, error) {
	var out []insider
	work := cfg.workZones()
	err := tx.Presences(func(pr Presence) error {
		in := insider{zone: pr.Zone, zoneSince: pr.Since}
		if pr.Since.After(at) {
			// They moved since at: find where they were then.
			var err error
			if in.zone, in.zoneSince, err = zoneAt(tx, pr.Person, at); err != nil {
				return err
			}
		}
		if !cfg.site.Inside(in.zone) {
			return nil
		}
		p, err := get[Person](tx, KindPerson, pr.Person)
		switch {
		case errors.Is(err, ErrNotFound):
			p = Person{ID: pr.Person, Name: pr.Person}
		case err != nil:
			return err
		}
		in.person = p
		if in.since, err = cameInAt(tx, cfg.site, pr.Person, in.zoneSince); err != nil {
			return err
		}
		if cfg.zones[in.zone].Work {
			close, err := cfg.calendarFor(p, loc).stretchClose(tx, work, pr.Person, in.zoneSince)
			if err != nil {
				return err
			}
			in.stale = !close.After(at)
		}
		out = append(out, in)
		return nil
	})
	return out, err
}

// zoneAt returns where person was at at: the zone of their last move at
// or before it, and its instant; "" if they had never moved.
func zoneAt(tx Tx, person string, at time.Time) (string, time.Time, error) {
	var zone string
	var since time.Time
	err := tx.Moves(person, at.Add(-insideLookback), at.Add(time.Nanosecond), func(m Move) error {
		if m.Zone != "" {
			zone, since = m.Zone, m.At
		}
		return nil
	})
	if err != nil || zone != "" {
		return zone, since, err
	}
	// Longer ago: walk the log back from at.
	err = tx.Events(EventQuery{Person: person, To: at.Add(time.Nanosecond), Reverse: true}, func(ev Event) error {
		if ev.Zone == "" {
			return nil
		}
		zone, since = ev.Zone, ev.At
		return errEnough
	})
	if errors.Is(err, errEnough) {
		err = nil
	}
	return zone, since, err
}

// cameInAt returns when person, inside since the move at zoneSince, came
// in from outside: the first move of the run of inside moves that ends
// there, looked for within insideLookback.
func cameInAt(tx Tx, site Site, person string, zoneSince time.Time) (time.Time, error) {
	var moves []Move
	err := tx.Moves(person, zoneSince.Add(-insideLookback), zoneSince.Add(time.Nanosecond), func(m Move) error {
		if m.Zone != "" {
			moves = append(moves, m)
		}
		return nil
	})
	if err != nil {
		return time.Time{}, err
	}
	since := zoneSince
	for _, m := range slices.Backward(moves) {
		if !site.Inside(m.Zone) {
			break
		}
		since = m.At
	}
	return since, nil
}
