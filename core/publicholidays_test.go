package core_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
)

// TestPublicHolidays2027: known days of each country's 2027, checked
// against the official lists (gov.uk's bank holidays of England and
// Wales, OPM's federal holidays, Russia's Labour Code article 112).
func TestPublicHolidays2027(t *testing.T) {
	tests := []struct {
		country string
		date    string
		name    string // "" for any
	}{
		{"FR", "2027-01-01", "Nouvel an"},
		{"FR", "2027-03-29", "Lundi de Pâques"},
		{"FR", "2027-05-08", "Fête de la Victoire"},
		{"FR", "2027-07-14", "Fête Nationale"},
		{"fr", "2027-12-25", "Noël"},
		{"DE", "2027-10-03", "Tag der Deutschen Einheit"},
		{"DE", "2027-03-26", "Karfreitag"},
		{"DE", "2027-12-26", "Zweiter Weihnachtsfeiertag"},
		{"RU", "2027-01-04", "Новогодние каникулы"},
		{"RU", "2027-01-07", "Рождество Христово"},
		{"RU", "2027-06-12", "День России"},
		{"RU", "2027-06-14", "День России (перенесённый выходной)"},
		{"RU", "2027-11-04", "День народного единства"},
		{"GB", "2027-05-03", "Early May"},
		{"GB", "2027-08-30", "Summer Bank Holiday"},
		{"GB", "2027-12-27", "Christmas Day (substitute day)"},
		{"GB", "2027-12-28", "Boxing Day (substitute day)"},
		{"US", "2027-07-04", "Independence Day"},
		{"US", "2027-07-05", "Independence Day (observed)"},
		{"US", "2027-06-18", "Juneteenth (observed)"},
		{"US", "2027-11-25", "Thanksgiving Day"},
		// 2028's New Year's Day is a Saturday: observed on 2027's last day.
		{"US", "2027-12-31", "New Year's Day (observed)"},
	}
	for _, tt := range tests {
		t.Run(tt.country+"/"+tt.date, func(t *testing.T) {
			hs, err := core.PublicHolidays(tt.country, 2027)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, h := range hs {
				if h.Date.String() == tt.date {
					got = h.Name
				}
			}
			if got != tt.name {
				t.Errorf("got %q, want %q", got, tt.name)
			}
		})
	}
}

// TestPublicHolidaysShape: for every country and many years, the
// holidays are in the year asked, by date, each once, each named.
func TestPublicHolidaysShape(t *testing.T) {
	// At least: Ascension may fall on May 1 (DE, FR) or May 8 (FR).
	counts := map[string]int{"DE": 8, "FR": 10, "RU": 14}
	for _, c := range core.HolidayCountries {
		for y := core.MinHolidayYear; y <= core.MaxHolidayYear; y += 7 {
			hs, err := core.PublicHolidays(c, y)
			if err != nil {
				t.Fatalf("%s %d: %v", c, y, err)
			}
			for i, h := range hs {
				if h.Date.Year != y || h.Name == "" || (i > 0 && !hs[i-1].Date.Before(h.Date)) {
					t.Fatalf("%s %d: holiday %d is %v", c, y, i, h)
				}
				if _, err := core.ParseDate(h.Date.String()); err != nil {
					t.Fatalf("%s %d: %v", c, y, err)
				}
			}
			if n, ok := counts[c]; ok && y >= 2005 && len(hs) < n {
				t.Errorf("%s %d: got %d holidays, want at least %d", c, y, len(hs), n)
			}
		}
	}
}

func TestPublicHolidaysBadInput(t *testing.T) {
	tests := []struct {
		country string
		year    int
		fields  []string
		codes   []string
	}{
		{"XX", 2027, []string{"country"}, []string{"bad_choice"}},
		{"", 2027, []string{"country"}, []string{"bad_choice"}},
		{"FR", 1899, []string{"year"}, []string{"bad_year"}},
		{"FR", 2201, []string{"year"}, []string{"bad_year"}},
		{"France", 0, []string{"country", "year"}, []string{"bad_choice", "bad_year"}},
	}
	for _, tt := range tests {
		t.Run(tt.country, func(t *testing.T) {
			_, err := core.PublicHolidays(tt.country, tt.year)
			if !errors.Is(err, core.ErrInvalid) {
				t.Fatalf("got %v, want ErrInvalid", err)
			}
			ps := core.ProblemsOf(err)
			if len(ps) != len(tt.fields) {
				t.Fatalf("got problems %v, want fields %v", ps, tt.fields)
			}
			for i, p := range ps {
				if p.Field != tt.fields[i] || p.Code != tt.codes[i] {
					t.Errorf("problem %d: got %v (%s), want %s %s", i, p, p.Code, tt.fields[i], tt.codes[i])
				}
			}
		})
	}
}

// TestAddPublicHolidays: the merge keeps what the site has, reports it
// skipped, is one audit entry, and a dry run or a refusal changes
// nothing.
func TestAddPublicHolidays(t *testing.T) {
	e, _ := adminEngine(t) // holidays 2026-01-01 "New year", 2026-12-25 "Christmas"
	before := holidayText(t, e)

	dry, err := e.AddPublicHolidays(cli, "FR", 2026, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := holidayText(t, e); got != before {
		t.Fatalf("dry run stored: got %s, want %s", got, before)
	}
	if len(dry.Added) != 9 || len(dry.Skipped) != 2 || !dry.DryRun {
		t.Fatalf("dry run: got %d added, %d skipped, want 9 and 2", len(dry.Added), len(dry.Skipped))
	}

	viewer := staffAccount(t, e, "viewer", "", core.PermDoorsView, core.PermPeopleView)
	for _, f := range []func() error{
		func() error { _, err := e.AddPublicHolidays(viewer, "FR", 2026, false); return err },
		func() error { _, err := e.AddPublicHolidays(viewer, "FR", 2026, true); return err },
		func() error { _, err := e.PublicHolidays(viewer, "FR", 2026); return err },
	} {
		if err := f(); !errors.Is(err, core.ErrForbidden) {
			t.Errorf("got %v, want ErrForbidden", err)
		}
	}
	for _, bad := range []struct {
		country string
		year    int
	}{{"XX", 2026}, {"FR", 1800}, {"FR", 2500}} {
		if _, err := e.AddPublicHolidays(cli, bad.country, bad.year, false); !errors.Is(err, core.ErrInvalid) {
			t.Errorf("%s %d: got %v, want ErrInvalid", bad.country, bad.year, err)
		}
	}
	if got := holidayText(t, e); got != before {
		t.Fatalf("refusals stored: got %s, want %s", got, before)
	}

	editor := staffAccount(t, e, "editor", "", core.PermAccessEdit)
	m, err := e.AddPublicHolidays(editor, "fr", 2026, false)
	if err != nil {
		t.Fatal(err)
	}
	if m.Country != "FR" || m.Year != 2026 || len(m.Added) != 9 || len(m.Skipped) != 2 || m.DryRun {
		t.Fatalf("got %+v", m)
	}
	if m.Skipped[0].Date.String() != "2026-01-01" || m.Skipped[1].Date.String() != "2026-12-25" {
		t.Errorf("got skipped %v, want 2026-01-01 and 2026-12-25", m.Skipped)
	}
	hs, err := e.Holidays(cli)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, h := range hs {
		names[h.Date.String()] = h.Name
	}
	for date, want := range map[string]string{
		"2026-01-01": "New year", "2026-12-25": "Christmas", // kept
		"2026-07-14": "Fête Nationale", "2026-04-06": "Lundi de Pâques",
	} {
		if names[date] != want {
			t.Errorf("%s: got %q, want %q", date, names[date], want)
		}
	}
	if len(hs) != 11 {
		t.Errorf("got %d holidays, want 11", len(hs))
	}

	var entries []core.AuditEntry
	if err := e.Audit(cli, core.AuditQuery{}, func(a core.AuditEntry) error {
		if a.Action == "holiday.add-public" {
			entries = append(entries, a)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("got %d audit entries, want 1", len(entries))
	}
	if entries[0].Object != "holidays/FR/2026" || entries[0].Actor != "editor" {
		t.Errorf("got entry %s by %s", entries[0].Object, entries[0].Actor)
	}
	var logged core.PublicHolidayMerge
	if err := json.Unmarshal(entries[0].After, &logged); err != nil || len(logged.Added) != 9 || len(logged.Skipped) != 2 {
		t.Errorf("got entry %s (%v)", entries[0].After, err)
	}

	// Again: everything skipped, nothing changed, nothing audited.
	again, err := e.AddPublicHolidays(editor, "FR", 2026, false)
	if err != nil || len(again.Added) != 0 || len(again.Skipped) != 11 {
		t.Fatalf("again: got %+v, %v", again, err)
	}
	n := 0
	_ = e.Audit(cli, core.AuditQuery{}, func(a core.AuditEntry) error {
		if a.Action == "holiday.add-public" {
			n++
		}
		return nil
	})
	if n != 1 {
		t.Errorf("again: got %d audit entries, want 1", n)
	}
}

// holidayText is the site's holidays as text, to compare.
func holidayText(t *testing.T, e *core.Engine) string {
	t.Helper()
	hs, err := e.Holidays(cli)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, h := range hs {
		b.WriteString(h.Date.String() + " " + h.Name + "; ")
	}
	return b.String()
}

func TestHolidayCountryOf(t *testing.T) {
	tests := []struct {
		prefix, zone, want string
	}{
		{"+33", "UTC", "FR"}, {"+49", "", "DE"}, {"+44", "", "GB"}, {"+7", "", "RU"}, {"+1", "", "US"},
		{"", "Europe/Paris", "FR"}, {"", "America/Chicago", "US"}, {"", "Europe/Moscow", "RU"},
		{"+39", "Europe/Rome", ""}, {"", "", ""},
	}
	for _, tt := range tests {
		var loc *time.Location
		if tt.zone != "" {
			var err error
			if loc, err = time.LoadLocation(tt.zone); err != nil {
				t.Fatal(err)
			}
		}
		if got := core.HolidayCountryOf(core.Site{PhonePrefix: tt.prefix}, loc); got != tt.want {
			t.Errorf("%s %s: got %q, want %q", tt.prefix, tt.zone, got, tt.want)
		}
	}
}
