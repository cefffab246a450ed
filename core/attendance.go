package core

import (
	"fmt"
	"slices"
	"time"
)

// AttendanceState is the state of an attendance record (DESIGN §2.4, seed
// 001's EtatAssiduite).
type AttendanceState string

// Attendance states. Only late and absent records can be justified.
const (
	AttendancePresent AttendanceState = "present"
	AttendanceLate    AttendanceState = "late"
	AttendanceAbsent  AttendanceState = "absent"
	// AttendanceHalfDay is derived only, never entered by hand: the
	// scheduled time missed on a day whose paid time is below the site's
	// half_day_below.
	AttendanceHalfDay AttendanceState = "half_day"
)

// AttendanceStates lists the states in the order screens offer them.
var AttendanceStates = []AttendanceState{AttendancePresent, AttendanceLate, AttendanceAbsent}

// ParseAttendanceState reads a state's name. Errors wrap ErrInvalid.
func ParseAttendanceState(s string) (AttendanceState, error) {
	st := AttendanceState(s)
	if !slices.Contains(AttendanceStates, st) {
		return "", codedf("bad_choice", vals("value", s), "attendance state %q: want present, late or absent", s)
	}
	return st, nil
}

// Justifiable reports whether a record in state s can be justified: late,
// absent and half-day ones can, present ones cannot.
func (s AttendanceState) Justifiable() bool {
	return s == AttendanceLate || s == AttendanceAbsent || s == AttendanceHalfDay
}

// AttendanceRecord is a period of one person's attendance entered by hand
// by staff with attendance.edit (DESIGN §2.4). The records the engine
// derives from taps are computed, not stored; those stored under
// KindAttendance are the ones entered by hand.
type AttendanceRecord struct {
	ID     string `json:"id"`
	Person string `json:"person"`
	// From and Until bound the period, From inclusive, Until exclusive;
	// stored in UTC.
	From  time.Time       `json:"from"`
	Until time.Time       `json:"until"`
	State AttendanceState `json:"state"`
	// Description is free text; the screens show it only to whoever
	// entered the record and to holders of justif.view (seed 001:
	// descriptions are personal data).
	Description string `json:"description,omitempty"`
	// EnteredBy names who entered the record (Actor.String), EnteredAt
	// when.
	EnteredBy string    `json:"entered_by"`
	EnteredAt time.Time `json:"entered_at"`
}

// checkAttendance checks a record's person, period and state.
func checkAttendance(r AttendanceRecord) error {
	ps := checkPeriod(r.Person, r.From, r.Until)
	if _, err := ParseAttendanceState(string(r.State)); err != nil {
		ps = append(ps, fieldFrom("state", err))
	}
	if err := CheckNote(r.Description); err != nil {
		ps = append(ps, fieldFrom("description", err))
	}
	if err := ps.Err(); err != nil {
		return fmt.Errorf("attendance record: %w", err)
	}
	return nil
}

// personToo adds to the problems of err, if any, that person names
// nobody, so that a form hears of every problem at once; the change
// checks the person again inside its transaction.
func (e *Engine) personToo(person string, err error) error {
	if err == nil || person == "" {
		return err
	}
	gone := false
	if verr := e.store.View(func(tx Tx) error {
		_, gerr := get[Person](tx, KindPerson, person)
		gone = gerr != nil
		return nil
	}); verr != nil || !gone {
		return err
	}
	var ps Problems
	for _, p := range ProblemsOf(err) {
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		return err
	}
	ps = append(Problems{missing("person", KindPerson, person)}, ps...)
	return ps
}

// checkPeriod checks the person and period of a record or a
// justification: both required, from before until.
func checkPeriod(person string, from, until time.Time) Problems {
	var ps Problems
	if person == "" {
		ps = append(ps, problemOf("person", "required", "required"))
	}
	if from.IsZero() {
		ps = append(ps, problemOf("from", "required", "required"))
	}
	if until.IsZero() {
		ps = append(ps, problemOf("until", "required", "required"))
	}
	if !from.IsZero() && !until.IsZero() && !from.Before(until) {
		ps = append(ps, problemOf("until", "not_after", "from must be before until",
			"value", until.Format(time.DateTime), "other", from.Format(time.DateTime)))
	}
	return ps
}

// periodMeets reports whether [from, until) meets [qFrom, qTo); a zero
// qFrom or qTo leaves that side open.
func periodMeets(from, until, qFrom, qTo time.Time) bool {
	return (qTo.IsZero() || from.Before(qTo)) && (qFrom.IsZero() || until.After(qFrom))
}

// storedAttendance returns the records entered by hand for person ("" for
// everyone) that overlap [from, to) (zero bounds are open), ordered by
// From, then id. It is the engine's reading of the records, with no
// permission check and nothing withheld: the timesheet and metrics use it
// inside their own transaction.
func storedAttendance(tx Tx, person string, from, to time.Time) ([]AttendanceRecord, error) {
	var out []AttendanceRecord
	err := tx.List(KindAttendance, func(_ string, decode func(any) error) error {
		var r AttendanceRecord
		if err := decode(&r); err != nil {
			return err
		}
		if (person == "" || r.Person == person) && periodMeets(r.From, r.Until, from, to) {
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read attendance records: %w", err)
	}
	slices.SortFunc(out, func(a, b AttendanceRecord) int {
		if c := a.From.Compare(b.From); c != 0 {
			return c
		}
		return counterIDCompare(a.ID, b.ID)
	})
	return out, nil
}

// counterIDCompare orders counter ids ("a2" before "a10").
func counterIDCompare(a, b string) int {
	switch {
	case grantIDLess(a, b):
		return -1
	case grantIDLess(b, a):
		return 1
	}
	return 0
}

// checkEmployed refuses a record that reaches outside the days p is at
// the site (Person.Employment): nothing is recorded there.
func (e *Engine) checkEmployed(tx Tx, p Person, r AttendanceRecord) error {
	people := []Person{p}
	if err := e.resolveStarts(tx, people); err != nil {
		return err
	}
	em := people[0].Employment()
	from, until := em.clip(r.From, r.Until, e.Location())
	switch {
	case from.After(r.From):
		return phrasef(ErrInvalid, "attendance record: %s started on %s, after the record begins", p.Name, em.From)
	case until.Before(r.Until):
		return phrasef(ErrInvalid, "attendance record: %s left on %s, before the record ends", p.Name, em.To)
	}
	return nil
}

// AddAttendance stores a record entered by hand and returns it. The engine
// sets ID ("a1", "a2", ...), EnteredBy (the actor) and EnteredAt (now).
// Needs attendance.edit. Errors: ErrInvalid for a bad period or state,
// ErrNotFound for an unknown person.
func (e *Engine) AddAttendance(a Actor, rec AttendanceRecord) (AttendanceRecord, error) {
	if _, err := e.require(a, PermAttendanceEdit, "enter attendance records"); err != nil {
		return AttendanceRecord{}, err
	}
	rec.From, rec.Until = rec.From.UTC(), rec.Until.UTC()
	rec.Description = normalizeNote(rec.Description)
	rec.EnteredBy, rec.EnteredAt = a.String(), e.now().UTC()
	if err := e.personToo(rec.Person, checkAttendance(rec)); err != nil {
		return AttendanceRecord{}, err
	}
	err := e.change(a, "attendance.add", false, func(tx *auditTx) error {
		p, err := get[Person](tx, KindPerson, rec.Person)
		if err != nil {
			return notFound("person", rec.Person)
		}
		if err := e.checkEmployed(tx, p, rec); err != nil {
			return err
		}
		id, err := tx.NextID(KindAttendance)
		if err != nil {
			return err
		}
		rec.ID = id
		return tx.Put(KindAttendance, rec.ID, rec)
	})
	if err != nil {
		return AttendanceRecord{}, fmt.Errorf("add attendance record: %w", err)
	}
	e.log.Info("attendance record added", "record", rec.ID, "person", rec.Person, "state", rec.State, "by", a.String())
	return rec, nil
}

// UpdateAttendance changes the person, period, state and description of
// record rec.ID; who entered it and when are kept (the audit trail has the
// edit and its author). Needs attendance.edit. Errors: ErrNotFound for an
// unknown record or person, ErrInvalid as AddAttendance.
func (e *Engine) UpdateAttendance(a Actor, rec AttendanceRecord) (AttendanceRecord, error) {
	if _, err := e.require(a, PermAttendanceEdit, "change attendance records"); err != nil {
		return AttendanceRecord{}, err
	}
	var out AttendanceRecord
	err := e.change(a, "attendance.update", false, func(tx *auditTx) error {
		cur, err := get[AttendanceRecord](tx, KindAttendance, rec.ID)
		if err != nil {
			return notFound("attendance record", rec.ID)
		}
		cur.Person, cur.From, cur.Until = rec.Person, rec.From.UTC(), rec.Until.UTC()
		cur.State, cur.Description = rec.State, normalizeNote(rec.Description)
		if err := checkAttendance(cur); err != nil {
			return err
		}
		p, err := get[Person](tx, KindPerson, cur.Person)
		if err != nil {
			return notFound("person", cur.Person)
		}
		if err := e.checkEmployed(tx, p, cur); err != nil {
			return err
		}
		out = cur
		return tx.Put(KindAttendance, cur.ID, cur)
	})
	if err != nil {
		return AttendanceRecord{}, fmt.Errorf("change attendance record: %w", err)
	}
	e.log.Info("attendance record changed", "record", out.ID, "by", a.String())
	return out, nil
}

// DeleteAttendance removes record id and returns what it was. Needs
// attendance.edit. Errors: ErrNotFound.
func (e *Engine) DeleteAttendance(a Actor, id string) (AttendanceRecord, error) {
	if _, err := e.require(a, PermAttendanceEdit, "delete attendance records"); err != nil {
		return AttendanceRecord{}, err
	}
	var old AttendanceRecord
	err := e.change(a, "attendance.delete", false, func(tx *auditTx) error {
		var err error
		if old, err = get[AttendanceRecord](tx, KindAttendance, id); err != nil {
			return notFound("attendance record", id)
		}
		return tx.Delete(KindAttendance, id)
	})
	if err != nil {
		return AttendanceRecord{}, fmt.Errorf("delete attendance record: %w", err)
	}
	e.log.Info("attendance record deleted", "record", id, "by", a.String())
	return old, nil
}

// AttendanceRecords returns the records entered by hand for person ("" for
// everyone) that overlap [from, to), ordered by From; a zero from or to
// leaves that side open. Needs attendance.view. A record's description is
// withheld ("") from actors without justif.view, except from whoever
// entered it (seed 001: descriptions are personal data).
func (e *Engine) AttendanceRecords(a Actor, person string, from, to time.Time) ([]AttendanceRecord, error) {
	s, err := e.require(a, PermAttendanceView, "see attendance records")
	if err != nil {
		return nil, err
	}
	var out []AttendanceRecord
	if err := e.store.View(func(tx Tx) error {
		out, err = storedAttendance(tx, person, from, to)
		return err
	}); err != nil {
		return nil, err
	}
	if !s.has(PermJustifView) {
		for i := range out {
			if out[i].EnteredBy != a.String() {
				out[i].Description = ""
			}
		}
	}
	return out, nil
}
