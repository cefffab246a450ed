package main

import (
	"encoding/json"
	"strings"
	"testing"

	"frontdesk/core"
)

func TestHolidaysAdd(t *testing.T) {
	db := newSite(t) // holidays: 2026-12-25 Christmas
	before := mustCLI(t, db, "holidays", "list")
	if want := "DATE        NAME\n2026-12-25  Christmas\n"; before != want {
		t.Fatalf("list: got %q, want %q", before, want)
	}

	out := mustCLI(t, db, "holidays", "add", "--country", "FR", "--year", "2026", "--dry-run")
	for _, want := range []string{
		"+ 2026-07-14  Fête Nationale\n",
		"= 2026-12-25  Noël  (the site's holiday on that date is kept)\n",
		"FR 2026: 10 added, 1 skipped\n",
		"dry run: nothing was written\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run: got %q, want a line %q", out, want)
		}
	}
	if got := mustCLI(t, db, "holidays", "list"); got != before {
		t.Fatalf("dry run wrote: got %q", got)
	}

	// Bad input: a clear error, nothing changes.
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--country", "XX", "--year", "2026"}, 1, `country: "XX" is not a country whose public holidays are known`},
		{[]string{"--country", "FR", "--year", "1800"}, 1, "year: 1800: want a year from 1900 to 2200"},
		{[]string{"--year", "2026"}, 2, "--country is required"},
		{[]string{"--country", "FR", "--year", "next"}, 2, "year"},
	} {
		code, _, errs := cli(t, db, append([]string{"holidays", "add"}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: got exit %d %q, want %d and %q", tt.args, code, errs, tt.code, tt.want)
		}
	}
	t.Setenv("FRONTDESK_NEW_PASSWORD", bobPassword)
	mustCLI(t, db, "account", "add", "--username", "rita", "--roles", "receptionist")
	t.Setenv("FRONTDESK_PASSWORD", bobPassword)
	if code, _, errs := cli(t, db, "holidays", "add", "--country", "FR", "--user", "rita"); code != 4 || !strings.Contains(errs, "access.edit") {
		t.Errorf("receptionist: got exit %d %q, want 4 and forbidden", code, errs)
	}
	if got := mustCLI(t, db, "holidays", "list"); got != before {
		t.Fatalf("refusals wrote: got %q", got)
	}

	var m core.PublicHolidayMerge
	if err := json.Unmarshal([]byte(mustCLI(t, db, "holidays", "add", "--country", "gb", "--year", "2027", "--json")), &m); err != nil {
		t.Fatal(err)
	}
	if m.Country != "GB" || m.Year != 2027 || len(m.Added) != 10 || len(m.Skipped) != 0 || m.DryRun {
		t.Errorf("json: got %+v", m)
	}
	list := mustCLI(t, db, "holidays", "list", "--year", "2027")
	for _, want := range []string{"2027-12-27  Christmas Day (substitute day)\n", "2027-12-28  Boxing Day (substitute day)\n"} {
		if !strings.Contains(list, want) {
			t.Errorf("list 2027: got %q, want %q", list, want)
		}
	}
	if strings.Contains(list, "2026-") {
		t.Errorf("list --year 2027: got %q", list)
	}
	var hs []core.Holiday
	if err := json.Unmarshal([]byte(mustCLI(t, db, "holidays", "list", "--json")), &hs); err != nil || len(hs) != 11 {
		t.Errorf("list --json: got %d holidays (%v), want 11", len(hs), err)
	}
}
