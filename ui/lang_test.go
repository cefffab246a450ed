package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
	"frontdesk/core/i18n"
)

// TestExplanationsInTheWindowsLanguage: the feed, the log page and the
// reception write explanations in the language chosen in the window,
// from the events' reason codes.
func TestExplanationsInTheWindowsLanguage(t *testing.T) {
	tests := []struct {
		lang, granted, unknown, refused string
	}{
		{"en", "level All doors, at any time", "no card has code em:00DEADBEEF", "no person has phone"},
		{"fr", "niveau All doors, à toute heure", "aucune carte n'a le code em:00DEADBEEF", "personne n'a le numéro"},
		{"ru", "уровень All doors, в любое время", "нет карты с кодом em:00DEADBEEF", "ни у кого нет номера"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			a := test.NewTempApp(t)
			a.Preferences().SetString(prefLanguage, tt.lang)
			if got := windowLanguage(); got != tt.lang {
				t.Fatalf("window language %q, want %q", got, tt.lang)
			}

			e, _ := newEngine(t)
			_, w, ui := newFeed(t, e)
			tap(t, e, "main-in", "em:0102B0A5FD")
			tap(t, e, "main-in", "em:00DEADBEEF")
			ui.until(t, "two rows", func() bool { return len(shownRows(w)) == 2 })
			rows := shownRows(w)
			if rows[1].why.Text != tt.granted || rows[0].why.Text != tt.unknown {
				t.Errorf("feed: got %q and %q, want %q and %q", rows[1].why.Text, rows[0].why.Text, tt.granted, tt.unknown)
			}

			l, _, _ := newLog(t, e, core.CommandLine("test"))
			if got, _ := l.cell(0, colWhy); got != tt.unknown {
				t.Errorf("log page: got %q, want %q", got, tt.unknown)
			}

			re, _ := receptionEngine(t)
			desk := staffAccount(t, re, "desk", "", receptionistPerms...)
			r, _, _ := newReception(t, re, desk)
			test.Type(r.phone, "07 00 00 00 00")
			test.Tap(r.checkin)
			if !strings.Contains(r.phoneResult.Text, tt.refused) || r.phoneResult.Importance != widget.DangerImportance {
				t.Errorf("reception: got %q, want %q in it", r.phoneResult.Text, tt.refused)
			}
		})
	}
}

// TestOldEventsShowTheirExplanation: an event logged before reasons
// existed has only its English sentence, which every language shows.
func TestOldEventsShowTheirExplanation(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLanguage, "fr")
	old := core.Event{Result: core.Granted, Explanation: "level Staff, schedule Office hours, Tue 07:00-20:00"}
	if got := explain(old); got != old.Explanation {
		t.Errorf("got %q, want %q", got, old.Explanation)
	}
}

// TestBuiltinRoleNamesTranslated: built-in roles that kept their names
// and the permissions' descriptions have French and Russian; a renamed
// role keeps its name.
func TestBuiltinRoleNamesTranslated(t *testing.T) {
	test.NewTempApp(t)
	texts := []string{}
	for _, r := range core.BuiltinRoles() {
		texts = append(texts, r.Name)
	}
	for _, p := range core.Permissions() {
		texts = append(texts, p.About)
	}
	for _, lang := range []string{"fr", "ru"} {
		tr := i18n.New(lang)
		for _, s := range texts {
			if !tr.Has(s) || tr.T(s) == s {
				t.Errorf("%s: no translation of %q", lang, s)
			}
		}
	}
	renamed := core.Role{ID: core.RoleManager, Name: "Chef d'équipe"}
	if got := roleName(renamed); got != "Chef d'équipe" {
		t.Errorf("renamed: got %q", got)
	}
}
