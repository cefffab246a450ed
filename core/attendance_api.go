package core

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/cases"
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

// attendanceFold folds case for the people search ("élodie" finds
// "Élodie").
var attendanceFold = cases.Fold()

// AttendancePeople returns the people whose name or id contains text
// (case ignored; "" matches everyone), inactive ones included and marked,
// by name then id, at most limit of them (limit ≤ 0: all), and how many
// matched in all. Needs attendance.view, justif.view or justif.edit: the
// screens of those permissions pick people by name.
func (e *Engine) AttendancePeople(a Actor, text string, limit int) ([]PersonRef, int, error) {
	s, err := e.subject(a)
	if err != nil {
		return nil, 0, err
	}
	if err := seesAttendancePeople(s); err != nil {
		return nil, 0, err
	}
	want := attendanceFold.String(strings.TrimSpace(text))
	var out []PersonRef
	err = e.store.View(func(tx Tx) error {
		return tx.List(KindPerson, func(id string, decode func(any) error) error {
			var p PersonRef
			if err := decode(&p); err != nil {
				return err
			}
			if want == "" || strings.Contains(attendanceFold.String(p.Name), want) || strings.Contains(attendanceFold.String(p.ID), want) {
				out = append(out, p)
			}
			return nil
		})
	})
	if err != nil {
		return nil, 0, fmt.Errorf("search people: %w", err)
	}
	names := newNameOrder()
	sortByName(names, out, func(p PersonRef) (string, string) { return p.Name, p.ID })
	total := len(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit:limit]
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
	e.mu.RLock()
	out := make([]Department, 0, len(e.cfg.departments))
	for _, d := range e.cfg.departments {
		out = append(out, d)
	}
	e.mu.RUnlock()
	slices.SortFunc(out, func(a, b Department) int { return strings.Compare(a.ID, b.ID) })
	sortByName(newNameOrder(), out, func(d Department) (string, string) { return d.Name, d.ID })
	return out, nil
}
