package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// untilOf returns the "until" of a JSON object a command printed.
func untilOf(t *testing.T, out string) time.Time {
	t.Helper()
	var v struct{ Until string }
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	u, err := time.Parse(time.RFC3339, v.Until)
	if err != nil {
		t.Fatalf("until %q: %v", v.Until, err)
	}
	return u
}

// listed reports how many objects a --json list printed.
func listed(t *testing.T, out string) int {
	t.Helper()
	var v []json.RawMessage
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return len(v)
}

// paris reads a local time of the test site.
func paris(t *testing.T, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02T15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestEndFlags: every flag that ends a period reads a DATE as the end of
// that day, and a TIME as written, excluded. Each path is asked whether the
// period it makes ending at end covers an instant, on a new database.
func TestEndFlags(t *testing.T) {
	paths := []struct {
		name string
		// covers reports whether the period the command makes, ending at
		// end, covers the local instant at.
		covers func(t *testing.T, db, end, at string) bool
	}{
		{"justif add --to", func(t *testing.T, db, end, at string) bool {
			out := mustCLI(t, db, "justif", "add", "--person", "ann", "--from", "2026-11-20", "--to", end, "--reason", "Flu", "--json")
			return paris(t, at).Before(untilOf(t, out))
		}},
		{"attendance add --to", func(t *testing.T, db, end, at string) bool {
			out := mustCLI(t, db, "attendance", "add", "--person", "ann", "--from", "2026-11-20", "--to", end, "--state", "absent", "--json")
			return paris(t, at).Before(untilOf(t, out))
		}},
		{"grant add --until", func(t *testing.T, db, end, at string) bool {
			mustCLI(t, db, "grant", "add", "--person", "zoe", "--door", "lab", "--kind", "temporary", "--until", end)
			out := mustCLI(t, db, "tap", "--reader", "lab-in", "--card", "w26:12:345", "--at", at)
			return strings.Contains(out, "granted")
		}},
		{"log --to", func(t *testing.T, db, end, at string) bool {
			mustCLI(t, db, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", at)
			return listed(t, mustCLI(t, db, "log", "--to", end, "--json")) == 1
		}},
		{"justif list --to", func(t *testing.T, db, end, at string) bool {
			next := paris(t, at).Add(time.Hour).Format(time.RFC3339)
			mustCLI(t, db, "justif", "add", "--person", "ann", "--from", at, "--to", next, "--reason", "Flu")
			return listed(t, mustCLI(t, db, "justif", "list", "--to", end, "--json")) == 1
		}},
		{"attendance list --to", func(t *testing.T, db, end, at string) bool {
			next := paris(t, at).Add(time.Hour).Format(time.RFC3339)
			mustCLI(t, db, "attendance", "add", "--person", "ann", "--from", at, "--to", next, "--state", "absent")
			return listed(t, mustCLI(t, db, "attendance", "list", "--to", end, "--json")) == 1
		}},
	}
	probes := []struct {
		end, at string
		want    bool
	}{
		{"2026-11-24", "2026-11-24T23:59", true},
		{"2026-11-24", "2026-11-25T00:00", false},
		{"2026-11-24T18:00", "2026-11-24T17:59", true},
		{"2026-11-24T18:00", "2026-11-24T18:00", false},
		{"2026-11-24 18:00", "2026-11-24T18:00", false},
		{"2026-11-24T18:00:00+01:00", "2026-11-24T17:59", true},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			for _, pr := range probes {
				if got := p.covers(t, newSite(t), pr.end, pr.at); got != pr.want {
					t.Errorf("ending %s, covers %s: got %v, want %v", pr.end, pr.at, got, pr.want)
				}
			}
		})
	}
}

// TestJustificationToADateJustifiesThatDay is the case of issue 12: a
// justification entered from 11-02 to 11-03 justifies the absence of the
// 3rd as well as the 2nd.
func TestJustificationToADateJustifiesThatDay(t *testing.T) {
	db := newSite(t)
	shift := filepath.Join(t.TempDir(), "shift.json")
	writeTestFile(t, shift, `{"shifts": [{"id": "day", "name": "Day", "week": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
		"wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}],
		"departments": [{"id": "sales", "name": "Sales", "access_level": "staff", "shift": "day"}]}`)
	mustCLI(t, db, "import", shift)
	mustCLI(t, db, "justif", "add", "--person", "ann", "--from", "2026-11-02", "--to", "2026-11-03", "--reason", "Flu", "--state", "valid")
	var recs []struct {
		From, State string
		Justified   bool
	}
	out := mustCLI(t, db, "attendance", "list", "--person", "ann", "--from", "2026-11-02", "--to", "2026-11-04", "--json")
	if err := json.Unmarshal([]byte(out), &recs); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	justified := map[string]bool{}
	for _, r := range recs {
		if r.State == "absent" {
			justified[r.From[:10]] = r.Justified
		}
	}
	want := map[string]bool{"2026-11-02": true, "2026-11-03": true, "2026-11-04": false}
	for day, w := range want {
		if got, ok := justified[day]; !ok || got != w {
			t.Errorf("absence of %s: justified %v (listed %v), want %v; records %s", day, got, ok, w, out)
		}
	}
}

// TestAuditToADate: audit --to DATE takes in the whole day, --to TIME
// stops before it. The trail is written at the real time, so the
// probes are taken around an entry's own time.
func TestAuditToADate(t *testing.T) {
	db := newSite(t)
	var entries []struct{ At string }
	if err := json.Unmarshal([]byte(mustCLI(t, db, "audit", "--json")), &entries); err != nil || len(entries) == 0 {
		t.Fatalf("audit: %v, %d entries", err, len(entries))
	}
	last, err := time.Parse(time.RFC3339, entries[len(entries)-1].At)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/Paris")
	day := last.In(loc).Format("2006-01-02")
	count := func(to string) int { return listed(t, mustCLI(t, db, "audit", "--to", to, "--json")) }
	// The entry's printed time is rounded down to the second, so it is
	// not before the entry's instant.
	for _, tt := range []struct {
		to   string
		want int
	}{
		{day, len(entries)},
		{last.In(loc).AddDate(0, 0, -1).Format("2006-01-02"), 0},
		{last.Add(time.Second).Format(time.RFC3339), len(entries)},
		{entries[0].At, 0},
	} {
		if got := count(tt.to); got != tt.want {
			t.Errorf("audit --to %s: %d entries, want %d", tt.to, got, tt.want)
		}
	}
}

// TestCloseDayAtADate: close-day --at DATE runs the closes of that whole
// day; --at TIME runs those up to that time.
func TestCloseDayAtADate(t *testing.T) {
	for _, tt := range []struct {
		at   string
		want bool
	}{
		{"2026-11-24", true},
		{"2026-11-23", false},
		{"2026-11-24T21:00", true},
		{"2026-11-24T20:59", false},
	} {
		db := newSite(t)
		mustCLI(t, db, "tap", "--reader", "desk", "--card", "em:0102B0A5FD", "--at", "2026-11-24T09:00")
		out := mustCLI(t, db, "close-day", "--at", tt.at)
		if got := !strings.Contains(out, "nobody to check out"); got != tt.want {
			t.Errorf("close-day --at %s: got %q, want a check-out %v", tt.at, out, tt.want)
		}
	}
}

func writeTestFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDateRangesIncludeTheirLastDay: timesheet, metrics and report take
// DATE ranges whose --to day is included, by the same rule as the ends
// above.
func TestDateRangesIncludeTheirLastDay(t *testing.T) {
	db := newSite(t)
	mustCLI(t, db, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T23:59")
	mustCLI(t, db, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "2026-11-25T00:00")

	var ts struct {
		People []struct {
			Days []struct{ Date string }
		}
	}
	out := mustCLI(t, db, "timesheet", "--from", "2026-11-23", "--to", "2026-11-24", "--person", "ann", "--json")
	if err := json.Unmarshal([]byte(out), &ts); err != nil || len(ts.People) != 1 {
		t.Fatalf("timesheet: %v: %s", err, out)
	}
	if days := ts.People[0].Days; len(days) != 2 || days[1].Date != "2026-11-24" {
		t.Errorf("timesheet --to 2026-11-24: days %+v, want the 23rd and the 24th", days)
	}

	var r struct {
		DoorLog struct {
			Events []struct{ At time.Time }
		}
	}
	out = mustCLI(t, db, "report", "doorlog", "--from", "2026-11-24", "--to", "2026-11-24", "--door", "main", "--json")
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report: %v: %s", err, out)
	}
	if ev := r.DoorLog.Events; len(ev) != 1 || !ev[0].At.Equal(paris(t, "2026-11-24T23:59")) {
		t.Errorf("report doorlog --to 2026-11-24: events %+v, want the one at 23:59 only", ev)
	}

	mustCLI(t, db, "attendance", "add", "--person", "ann", "--from", "2026-11-24T09:00", "--to", "2026-11-24T17:00", "--state", "absent")
	for to, want := range map[string]int{"2026-11-24": 1, "2026-11-23": 0} {
		var m struct{ Absent struct{ Count int } }
		out = mustCLI(t, db, "metrics", "--from", "2026-11-23", "--to", to, "--person", "ann", "--json")
		if err := json.Unmarshal([]byte(out), &m); err != nil || m.Absent.Count != want {
			t.Errorf("metrics --to %s: %v, %d absent records, want %d: %s", to, err, m.Absent.Count, want, out)
		}
	}
}
