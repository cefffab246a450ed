package core

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// CloseDay runs the automatic check-out as of at (DESIGN §2.2): whoever is
// still in a work zone when the close of their work day has passed is
// moved out, at that close instant, by a logged auto_checkout event. It
// catches up every close before at, so it is run on start and then every
// minute by the app and serve, and by `close-day --at TIME`. It returns
// the events written, in time order. Needs attendance.edit (the system
// has it).
func (e *Engine) CloseDay(a Actor, at time.Time) ([]Event, error) {
	if _, err := e.require(a, PermAttendanceEdit, "run the automatic check-out"); err != nil {
		return nil, err
	}
	if at.IsZero() {
		at = e.now()
	}
	e.mu.RLock()
	cfg, loc := e.cfg, e.loc
	e.mu.RUnlock()
	work := cfg.workZones()

	// Find who is due in a read transaction, then write each check-out in
	// its own batch, so a large site does not hold the writer.
	type due struct {
		person Person
		close  time.Time
	}
	var todo []due
	err := e.store.View(func(tx Tx) error {
		return tx.Presences(func(p Presence) error {
			if !work[p.Zone] {
				return nil
			}
			person, err := get[Person](tx, KindPerson, p.Person)
			if errors.Is(err, ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			close, err := cfg.calendarFor(person, loc).stretchClose(tx, work, p.Person, p.Since)
			if err != nil {
				return err
			}
			if !close.After(at) {
				todo = append(todo, due{person, close})
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("automatic check-out: %w", err)
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].close.Before(todo[j].close) })
	var out []Event
	for _, d := range todo {
		var ev Event
		// The same check-out a late tap writes, checked again inside the
		// write: a tap may have moved them meanwhile.
		err := e.store.Batch(func(tx Tx) error {
			var err error
			ev, err = e.closeStale(tx, d.person.ID, at)
			return err
		})
		if err != nil {
			return out, fmt.Errorf("automatic check-out of %s: %w", d.person.ID, err)
		}
		if ev.Seq != 0 {
			e.publish(ev)
			out = append(out, ev)
		}
	}
	if len(out) > 0 {
		e.log.Info("automatic check-out", "people", len(out), "as_of", at.UTC(), "by", a.String())
	}
	return out, nil
}
