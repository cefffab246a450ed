package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

// TestEngineErrorsInTheWindowsLanguage: an error of the engine's that a
// form cannot put under a field (a department still in use, a refusal,
// an object gone, a change refused at a branch) reads in the window's
// language, its values kept and no English sentence or sentinel left.
func TestEngineErrorsInTheWindowsLanguage(t *testing.T) {
	for _, tt := range []struct {
		code  string
		inUse string // the department in use, as the page says it
	}{
		{"en", "department Sales still has people in it (1): move them first"},
		{"fr", "le service Sales compte encore des personnes (1)"},
		{"ru", "в отделе Sales ещё есть люди (1)"},
	} {
		t.Run(tt.code, func(t *testing.T) {
			inLanguage(t, tt.code)
			e, _ := newPeopleEngine(t)
			h := newPeopleHarness(t, e, staffAccount(t, e, "hr", "", append(receptionPerms, core.PermAccessEdit)...))
			dt := h.x.departments
			h.x.tabs.SelectIndex(1)
			for i, d := range dt.depts {
				if d.ID == "sales" {
					dt.list.Select(i)
				}
			}
			h.s.window = nil // no dialog to ask first: the deletion goes ahead
			test.Tap(dt.remove)
			got := dt.problem.Text
			if !dt.problem.Visible() || !strings.Contains(got, tt.inUse) {
				t.Errorf("deleting a department in use shows %q, want it to say %q", got, tt.inUse)
			}
			if tt.code != "en" && strings.Contains(got, "still has people") || strings.HasPrefix(got, "conflict") {
				t.Errorf("deleting a department in use shows %q: English or a sentinel left", got)
			}

			for _, c := range []struct {
				err    error
				values []string
				en     string
			}{
				{core.ForbiddenError{Actor: "ann", Permission: core.PermDoorsLockdown, What: "lock down the doors"}, []string{"ann", "doors.lockdown"}, "forbidden: 'ann' may not lock doors down or release them (doors.lockdown)"},
				{&core.NotFoundError{What: "person", ID: "Paul"}, []string{"Paul"}, "not found: person 'Paul'"},
				{&core.CentralError{Kind: core.KindPerson, ID: "p1", Central: "hq"}, []string{"p1", "hq"}, "the directory is changed at the central site hq, not at this branch"},
				{&core.SiteOwnError{Kind: core.KindDoor, ID: "d9", Site: "lyon"}, []string{"d9", "lyon"}, "the id is site lyon's"},
			} {
				got := errorText(c.err)
				for _, v := range c.values {
					if !strings.Contains(got, v) {
						t.Errorf("%T reads %q, without %q", c.err, got, v)
					}
				}
				if tt.code == "en" && !strings.Contains(got, c.en) {
					t.Errorf("%T reads %q, want %q", c.err, got, c.en)
				}
				if tt.code != "en" && (strings.Contains(got, c.en) || strings.Contains(got, c.err.Error()) ||
					strings.Contains(got, "may not") || strings.Contains(got, "not found")) {
					t.Errorf("%T reads %q in %s: the English", c.err, got, tt.code)
				}
			}
		})
	}
}
