package core

import (
	"errors"
	"fmt"
)

// PersonRef is a person as the attendance and justification screens name
// and pick them: no phone, cards or access.
type PersonRef struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Department string `json:"department,omitempty"` // its id
	Inactive   bool   `json:"inactive,omitempty"`
}

// seesAttendancePeople checks that s may name people on the attendance
// and justification screens: with attendance.view, justif.view or
// justif.edit, which need people to be picked without people.view.
func seesAttendancePeople(s subject) error {
	if s.has(PermAttendanceView) || s.has(PermJustifView) || s.has(PermJustifEdit) {
		return nil
	}
	return s.forbid(PermAttendanceView, "see people's names")
}

// AttendancePeople returns the people text finds, as People does (name,
// id, phone or card code; accents and case ignored; "" finds everyone),
// inactive ones included and marked, by name then id, at most limit of
// them (limit ≤ 0: all), and how many matched in all. Needs
// attendance.view, justif.view or justif.edit: the screens of those
// permissions pick people by name without people.view. It searches the
// same index as People.
func (e *Engine) AttendancePeople(a Actor, text string, limit int) ([]PersonRef, int, error) {
	s, err := e.subject(a)
	if err != nil {
		return nil, 0, err
	}
	if err := seesAttendancePeople(s); err != nil {
		return nil, 0, err
	}
	people, total, err := e.searchPeople(PeopleQuery{Text: text, Limit: limit})
	if err != nil {
		return nil, 0, fmt.Errorf("search people: %w", err)
	}
	out := make([]PersonRef, len(people))
	for i, p := range people {
		out[i] = PersonRef{ID: p.ID, Name: p.Name, Department: p.Department, Inactive: p.Inactive}
	}
	return out, total, nil
}

// AttendanceNames returns the names of the people ids, by id; an id with
// no person is left out. Needs what AttendancePeople needs.
func (e *Engine) AttendanceNames(a Actor, ids []string) (map[string]string, error) {
	s, err := e.subject(a)
	if err != nil {
		return nil, err
	}
	if err := seesAttendancePeople(s); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ids))
	err = e.store.View(func(tx Tx) error {
		for _, id := range ids {
			if _, done := out[id]; done || id == "" {
				continue
			}
			var p PersonRef
			switch err := tx.Get(KindPerson, id, &p); {
			case err == nil:
				out[id] = p.Name
			case !errors.Is(err, ErrNotFound):
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read people's names: %w", err)
	}
	return out, nil
}

// AttendanceDepartments returns the departments, by name then id, from
// the engine's copy of the site. Needs what AttendancePeople needs.
func (e *Engine) AttendanceDepartments(a Actor) ([]Department, error) {
	s, err := e.subject(a)
	if err != nil {
		return nil, err
	}
	if err := seesAttendancePeople(s); err != nil {
		return nil, err
	}
	out := e.departmentsByName()
	return out, nil
}
