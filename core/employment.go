package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Employment is the days a person is at the site: From to To, both
// included; a zero bound is open. Attendance knows nothing outside it: no
// day is scheduled, no record derived, no absence counted, so that
// someone added today has no absences earlier this month and someone who
// left has none after.
type Employment struct {
	From, To Date
}

// Employment returns the days p is at the site, as stored.
func (p Person) Employment() Employment { return Employment{From: p.Started, To: p.Left} }

// Contains reports whether day d is one of the employment's.
func (em Employment) Contains(d Date) bool {
	return (em.From == (Date{}) || !d.Before(em.From)) && (em.To == (Date{}) || !em.To.Before(d))
}

// clip narrows the instants [from, to) to the employment's days in loc:
// from its first day's midnight to the midnight after its last day.
func (em Employment) clip(from, to time.Time, loc *time.Location) (time.Time, time.Time) {
	if em.From != (Date{}) {
		if start := em.From.At(0, loc); from.Before(start) {
			from = start
		}
	}
	if em.To != (Date{}) {
		if end := em.To.AddDays(1).At(0, loc); to.After(end) {
			to = end
		}
	}
	return from, to
}

// meets reports whether the employment has a day from a to b, both
// included.
func (em Employment) meets(a, b Date) bool {
	return (em.From == (Date{}) || !b.Before(em.From)) && (em.To == (Date{}) || !em.To.Before(a))
}

// checkEmployment checks that a person's left date is not before their
// started date; the error names the field "left".
func checkEmployment(p Person) error {
	if p.Started != (Date{}) && p.Left != (Date{}) && p.Left.Before(p.Started) {
		return problemOf("left", "left_before_started", fmt.Sprintf("%s is before started %s", p.Left, p.Started),
			"value", p.Left.String(), "other", p.Started.String())
	}
	return nil
}

// legacyStarts returns the first day of each person of ids, people stored
// before Started existed (their Started is zero): the day the audit
// trail saw them created - their own entry, or an import's summing entry
// that lists them - else the day of their first event, else the zero
// Date (no first day: every day counts, as before). The audit trail is
// read once for all of them.
func legacyStarts(tx Tx, loc *time.Location, ids map[string]bool) (map[string]Date, error) {
	out := make(map[string]Date, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	prefix := string(KindPerson) + "/"
	err := tx.Audit(AuditQuery{}, func(e AuditEntry) error {
		switch {
		case strings.HasPrefix(e.Object, prefix) && len(e.Before) == 0 && len(e.After) > 0:
			if id := strings.TrimPrefix(e.Object, prefix); ids[id] {
				out[id] = DateOf(e.At, loc) // a later creation (after a deletion) wins
			}
		case e.Object == "" && bytes.Contains(e.After, []byte(`"people"`)):
			var sum struct {
				Created map[Kind][]string `json:"created"`
			}
			if json.Unmarshal(e.After, &sum) != nil {
				return nil // another kind of summing entry
			}
			for _, id := range sum.Created[KindPerson] {
				if ids[id] {
					out[id] = DateOf(e.At, loc)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the audit trail: %w", err)
	}
	for id := range ids {
		if _, ok := out[id]; ok {
			continue
		}
		err := tx.Events(EventQuery{Person: id, Limit: 1}, func(ev Event) error {
			out[id] = DateOf(ev.At, loc)
			return errEnough
		})
		if err != nil && !errors.Is(err, errEnough) {
			return nil, err
		}
		if _, ok := out[id]; !ok {
			out[id] = Date{}
		}
	}
	return out, nil
}

// resolveStarts sets the Started of the people stored before it existed
// (see legacyStarts), in people, so that their calendar has a first day.
// The answers are kept by the engine: they do not change, since every
// person created since has a Started of their own.
func (e *Engine) resolveStarts(tx Tx, people []Person) error {
	var missing map[string]bool
	e.startsMu.Lock()
	for i := range people {
		if people[i].Started != (Date{}) {
			continue
		}
		if d, ok := e.starts[people[i].ID]; ok {
			people[i].Started = d
			continue
		}
		if missing == nil {
			missing = map[string]bool{}
		}
		missing[people[i].ID] = true
	}
	e.startsMu.Unlock()
	if len(missing) == 0 {
		return nil
	}
	found, err := legacyStarts(tx, e.Location(), missing)
	if err != nil {
		return err
	}
	e.startsMu.Lock()
	if e.starts == nil {
		e.starts = map[string]Date{}
	}
	for id, d := range found {
		e.starts[id] = d
	}
	e.startsMu.Unlock()
	for i := range people {
		if d, ok := found[people[i].ID]; ok && people[i].Started == (Date{}) {
			people[i].Started = d
		}
	}
	return nil
}

// today is the engine's clock's date in the site's zone: the Started of a
// person created without one.
func (e *Engine) today() Date { return DateOf(e.now(), e.Location()) }
