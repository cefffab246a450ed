package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

// TestPublicHolidaysDialog: the holidays editor's button opens a dialog
// with the site's country and this year, lists what it will add and
// keep, refuses a bad year, adds on confirmation and says how many were
// added and skipped.
func TestPublicHolidaysDialog(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t) // Paris, 2026-11-24
	x, s := newAccess(t, e)
	s.window.Resize(smallScreen)
	x.tabs.SelectIndex(2)
	test.Tap(x.holPublic)
	open := func() bool { return s.window.Canvas().Overlays().Top() != nil }
	p := x.public
	if p == nil || !open() {
		t.Fatal("no dialog")
	}
	if got := p.country.id(); got != "FR" {
		t.Errorf("country: got %q, want FR (the site's time zone)", got)
	}
	if p.year.Text != "2026" {
		t.Errorf("year: got %q, want 2026", p.year.Text)
	}
	if !strings.Contains(p.preview.Text, "2026-07-14") || !strings.Contains(p.preview.Text, "Fête Nationale") || p.addBtn.Disabled() {
		t.Errorf("preview %q (add disabled %v), want Bastille Day to add", p.preview.Text, p.addBtn.Disabled())
	}
	if size, room := p.d.MinSize(), smallScreen; size.Width > room.Width || size.Height > room.Height {
		t.Errorf("dialog needs %v, more than %v", size, room)
	}

	before, _ := e.Holidays(testCLI)
	for _, tt := range []struct{ year, want string }{
		{"1800", "1800: want a year from 1900 to 2200"},
		{"next", "want a year such as 2027"},
	} {
		test.Type(p.year, "") // focus
		p.year.SetText(tt.year)
		if !p.problem.Visible() || p.problem.Text != tt.want || !p.addBtn.Disabled() || p.preview.Text != "" {
			t.Errorf("year %s: problem %q (shown %v, add disabled %v), want %q", tt.year, p.problem.Text, p.problem.Visible(), p.addBtn.Disabled(), tt.want)
		}
	}
	test.Tap(p.addBtn)
	if after, _ := e.Holidays(testCLI); len(after) != len(before) {
		t.Fatalf("a bad year added holidays: %v", after)
	}

	p.year.SetText("2027")
	p.country.setID("GB")
	if p.problem.Visible() || !strings.Contains(p.preview.Text, "2027-12-28") {
		t.Fatalf("GB 2027: problem %q, preview %q", p.problem.Text, p.preview.Text)
	}
	test.Tap(p.addBtn)
	if open() {
		t.Error("the dialog stays open after adding")
	}
	hs, _ := e.Holidays(testCLI)
	found := false
	for _, h := range hs {
		found = found || (h.Date.String() == "2027-12-27" && h.Name == "Christmas Day (substitute day)")
	}
	if !found || len(hs) != len(before)+10 {
		t.Errorf("got %d holidays (%v), want %d with 2027-12-27", len(hs), hs, len(before)+10)
	}
	if l := x.holCat.saved; !l.Visible() || l.Text != "United Kingdom (England and Wales) 2027: 10 holidays added, 0 skipped." {
		t.Errorf("note %q (shown %v)", l.Text, l.Visible())
	}
	if x.holCat.count() != len(hs) {
		t.Errorf("the list shows %d holidays, want %d", x.holCat.count(), len(hs))
	}
	if x.holDate.Text != "2027-01-01" || x.holName.Text != "New Year's Day" {
		t.Errorf("the form shows %s %q, want the first holiday added", x.holDate.Text, x.holName.Text)
	}

	// Again: every date is there, nothing to add.
	test.Tap(x.holPublic)
	p = x.public
	p.year.SetText("2027")
	p.country.setID("GB")
	if !p.addBtn.Disabled() || !strings.Contains(p.preview.Text, "Every one of these dates is a holiday of the site already.") ||
		!strings.Contains(p.preview.Text, "10 dates are holidays of the site already") {
		t.Errorf("again: preview %q, add disabled %v", p.preview.Text, p.addBtn.Disabled())
	}
	test.Tap(p.cancel)
	if open() {
		t.Error("cancel leaves the dialog open")
	}
}

// TestPublicHolidaysDefaults: next year in December; no country chosen
// when the site says none; refused without access.edit.
func TestPublicHolidaysDefaults(t *testing.T) {
	test.NewTempApp(t)
	site := strings.Replace(adminSite, `"timezone": "Europe/Paris"`, `"timezone": "Asia/Tokyo"`, 1)
	e, _ := siteEngine(t, site, time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	x, _ := newAccess(t, e)
	test.Tap(x.holPublic)
	p := x.public
	if p.year.Text != "2027" || p.country.id() != "" || !p.addBtn.Disabled() {
		t.Errorf("got year %q, country %q, add disabled %v; want 2027, none, disabled", p.year.Text, p.country.id(), p.addBtn.Disabled())
	}
	p.country.setID("US")
	if !strings.Contains(p.preview.Text, "2027-07-05") {
		t.Errorf("US: preview %q", p.preview.Text)
	}

	// A screen shown to someone who may not change holidays: the dialog
	// says so and adds nothing.
	s := staffSession(t, e, "viewer", "", core.PermDoorsView)
	v := newAccessScreen(s)
	w := showIn(t, s, v.build())
	w.Resize(fyne.NewSize(1024, 600))
	v.showPublicHolidays()
	v.public.country.setID("FR")
	if !v.public.problem.Visible() || v.public.problem.Text != "You may not change the holidays." || !v.public.addBtn.Disabled() {
		t.Errorf("viewer: problem %q (shown %v)", v.public.problem.Text, v.public.problem.Visible())
	}
}
