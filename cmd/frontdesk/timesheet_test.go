package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// shiftSite is testdata/site.json's office with a day shift.
const shiftSite = `{
  "site": {"name": "Shift HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}],
  "shifts": [{"id": "day", "name": "Day", "week": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"]}}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office"}],
  "devices": [{"id": "in", "kind": "sim", "door": "main", "direction": "in"},
              {"id": "out", "kind": "sim", "door": "main", "direction": "out"}],
  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["main"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all", "shift": "day"}],
  "people": [{"id": "ann", "name": "Ann Martin", "started": "2025-01-01", "department": "staff", "cards": ["em:0102B0A5FD"]}]
}`

func TestTimesheetAndCloseDayCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ts.db")
	os.WriteFile(filepath.Join(dir, "site.json"), []byte(shiftSite), 0o600)
	mustCLI(t, db, "import", filepath.Join(dir, "site.json"))
	mustCLI(t, db, "tap", "--reader", "in", "--card", "em:0102B0A5FD", "--at", "2026-11-23T09:10")
	mustCLI(t, db, "tap", "--reader", "in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T08:55")

	// Nothing ran on Monday night: Tuesday's tap checks Ann out of Monday
	// first, at its close.
	if out := mustCLI(t, db, "log"); !strings.Contains(out, "2026-11-23 21:00:00  auto_checkout") {
		t.Fatalf("log: %q, want Monday's automatic check-out at 21:00", out)
	}
	if out := mustCLI(t, db, "close-day", "--at", "2026-11-24T20:59"); !strings.Contains(out, "nobody") {
		t.Errorf("close-day before Tuesday's close: %q", out)
	}
	out := mustCLI(t, db, "close-day", "--at", "2026-11-24T21:30")
	if !strings.Contains(out, "auto_checkout") || !strings.Contains(out, "2026-11-24 21:00") {
		t.Fatalf("close-day: %q, want Tuesday's automatic check-out at 21:00", out)
	}

	out = mustCLI(t, db, "timesheet", "--from", "2026-11-23", "--to", "2026-11-24", "--json")
	var ts struct {
		People []struct {
			Person string
			Days   []map[string]any
			Totals map[string]any
		}
	}
	if err := json.Unmarshal([]byte(out), &ts); err != nil {
		t.Fatal(err)
	}
	if len(ts.People) != 1 || ts.People[0].Person != "ann" || len(ts.People[0].Days) != 2 {
		t.Fatalf("timesheet: %s", out)
	}
	var keys []string
	for k := range ts.People[0].Days[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// DESIGN §4's keys and the payroll ones (docs/payroll.md).
	wantKeys := "auto_closed balance_minutes bank_minutes break_minutes date early_leave_minutes first_in justified last_out late_minutes night_minutes overtime_minutes paid_minutes presence_minutes scheduled_minutes status worked_minutes"
	if strings.Join(keys, " ") != wantKeys {
		t.Errorf("day keys %v, want DESIGN §4's", keys)
	}
	mon := ts.People[0].Days[0]
	if mon["status"] != "late" || mon["late_minutes"] != 10.0 || mon["last_out"] != "21:00" || mon["auto_closed"] != true {
		t.Errorf("Monday %v", mon)
	}
	if len(ts.People[0].Totals) != 10 || ts.People[0].Totals["scheduled_minutes"] != 960.0 {
		t.Errorf("totals %v", ts.People[0].Totals)
	}

	csv := mustCLI(t, db, "timesheet", "--from", "2026-11-23", "--to", "2026-11-24", "--csv")
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "ann,Ann Martin,2026-11-23,late,480,") {
		t.Errorf("csv:\n%s", csv)
	}
	if code, _, errs := cli(t, db, "timesheet", "--from", "2026-11-23"); code != 2 || !strings.Contains(errs, "--to") {
		t.Errorf("no --to: exit %d %q", code, errs)
	}
	if code, _, errs := cli(t, db, "timesheet", "--from", "23/11/2026", "--to", "2026-11-24"); code != 2 || !strings.Contains(errs, "--from") {
		t.Errorf("bad date: exit %d %q", code, errs)
	}
}

func TestAttendanceListShowsDerivedRecords(t *testing.T) {
	// The command line runs on the real clock: a week long past, so that
	// no day is still to come.
	dir := t.TempDir()
	db := filepath.Join(dir, "att.db")
	os.WriteFile(filepath.Join(dir, "site.json"), []byte(shiftSite), 0o600)
	mustCLI(t, db, "import", filepath.Join(dir, "site.json"))
	mustCLI(t, db, "tap", "--reader", "in", "--card", "em:0102B0A5FD", "--at", "2025-11-24T09:10")
	mustCLI(t, db, "tap", "--reader", "out", "--card", "em:0102B0A5FD", "--at", "2025-11-24T17:00")
	mustCLI(t, db, "justif", "add", "--person", "ann", "--from", "2025-11-25T00:00", "--to", "2025-11-26T00:00",
		"--reason", "sick", "--state", "valid")
	out := mustCLI(t, db, "attendance", "list", "--from", "2025-11-24", "--to", "2025-11-26", "--json")
	var recs []struct {
		State     string
		Derived   bool
		Justified bool
		From      string
	}
	if err := json.Unmarshal([]byte(out), &recs); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		got = append(got, fmt.Sprintf("%s %v %v %s", r.State, r.Derived, r.Justified, r.From[:16]))
	}
	want := []string{"late true false 2025-11-24T09:00", "present true false 2025-11-24T09:10", "absent true true 2025-11-25T09:00"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	m := mustCLI(t, db, "metrics", "--from", "2025-11-24", "--to", "2025-11-25", "--person", "ann", "--json")
	var metrics map[string]struct {
		Count     int
		Justified struct{ Count int }
	}
	if err := json.Unmarshal([]byte(m), &metrics); err != nil {
		t.Fatal(err)
	}
	if metrics["absent"].Count != 1 || metrics["absent"].Justified.Count != 1 || metrics["late"].Count != 1 || metrics["present"].Count != 1 {
		t.Errorf("metrics %s", m)
	}
}

// TestTimesheetTablePayrollColumns: the table shows paid, break, night
// and balance only at a site that uses them.
func TestTimesheetTablePayrollColumns(t *testing.T) {
	db := newSite(t)
	mustCLI(t, db, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T09:00")
	mustCLI(t, db, "tap", "--reader", "main-out", "--card", "em:0102B0A5FD", "--at", "2026-11-24T12:00")
	header := func() string {
		out := mustCLI(t, db, "timesheet", "--from", "2026-11-24", "--to", "2026-11-24", "--person", "ann")
		return out
	}
	if out := header(); strings.Contains(out, "paid") || strings.Contains(out, "night") || strings.Contains(out, "balance") {
		t.Errorf("payroll columns at a site without payroll rules:\n%s", out)
	}
	f := filepath.Join(t.TempDir(), "payroll.json")
	if err := os.WriteFile(f, []byte(`{"site": {"night": "21:00-06:00", "balance_from": "2026-11-24"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, db, "import", f)
	out := header()
	for _, want := range []string{"paid", "break", "night", "balance", "bank"} {
		if !strings.Contains(out, want) {
			t.Errorf("%q missing:\n%s", want, out)
		}
	}
	// Ann has no shift: her three hours are all balance, and the bank.
	if !regexp.MustCompile(`3:00\s+0:00\s+3:00\s+0:00\s+3:00`).MatchString(out) || !strings.Contains(out, "closing 3:00") {
		t.Errorf("paid 3:00, break 0:00, overtime 3:00, night 0:00, balance 3:00 and the bank not found:\n%s", out)
	}
}
