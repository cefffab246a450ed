package core_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// TestParseEnd: a date alone given as an end is the end of that day, the
// next day's local start, also on the days the clock changes; a time is
// read as ParseTime reads it.
func TestParseEnd(t *testing.T) {
	tests := []struct {
		zone, in, want string
	}{
		{"Europe/Paris", "2026-11-03", "2026-11-03T23:00:00Z"},
		{"Europe/Paris", " 2026-11-03 ", "2026-11-03T23:00:00Z"},
		{"Europe/Paris", "2026-03-28", "2026-03-28T23:00:00Z"}, // the next day is 23 hours long
		{"Europe/Paris", "2026-03-29", "2026-03-29T22:00:00Z"},
		{"Europe/Paris", "2026-10-25", "2026-10-25T23:00:00Z"}, // a 25-hour day
		{"Europe/Paris", "2026-12-31", "2026-12-31T23:00:00Z"},
		{"Europe/Paris", "2026-11-03T18:00", "2026-11-03T17:00:00Z"},
		{"Europe/Paris", "2026-11-03 18:00:30", "2026-11-03T17:00:30Z"},
		{"Europe/Paris", "2026-11-03T18:00:00Z", "2026-11-03T18:00:00Z"},
		{"Europe/Paris", "2026-11-04T00:00", "2026-11-03T23:00:00Z"},
		{"America/Santiago", "2026-09-05", "2026-09-06T04:00:00Z"}, // the 6th starts at 01:00
		{"America/Santiago", "2026-04-04", "2026-04-05T04:00:00Z"}, // the 4th has 25 hours
		{"UTC", "2028-02-28", "2028-02-29T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.in, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			got, err := core.ParseEnd(tt.in, loc)
			if err != nil || !got.Equal(utcAt(t, tt.want)) || got.Location() != time.UTC {
				t.Errorf("got %v, %v, want %v in UTC", got, err, tt.want)
			}
		})
	}
	for in, want := range map[string]string{
		"2026-02-30":       `date "2026-02-30": February 2026 has no day 30`,
		"9999-12-31":       `time "9999-12-31": year must be 0001 to 9999`,
		"2026-11-03T25:00": `time "2026-11-03T25:00": want 2026-11-24T09:00 (local), 2026-11-24T09:00:00+01:00 or 2026-11-24`,
		"":                 `time "": want 2026-11-24T09:00 (local), 2026-11-24T09:00:00+01:00 or 2026-11-24`,
	} {
		_, err := core.ParseEnd(in, time.UTC)
		if !errors.Is(err, core.ErrInvalid) || err.Error() != want {
			t.Errorf("ParseEnd(%q): got %v, want %q", in, err, want)
		}
	}
}

// TestDayEnds: for every day of 2026 and every zone of the DST tests, the
// end of a day is the next one's start; ParseEnd reads the date as it,
// EndDate gives the date back, and the full time export writes reads back
// to the same instant.
func TestDayEnds(t *testing.T) {
	for _, z := range dstZones {
		loc, err := time.LoadLocation(z.zone)
		if err != nil {
			t.Fatal(err)
		}
		for d := (core.Date{Year: 2026, Month: time.January, Day: 1}); d.Year == 2026; d = d.AddDays(1) {
			end := d.End(loc)
			if next := d.AddDays(1).At(0, loc); !end.Equal(next) {
				t.Fatalf("%s %s: End %v, next day's start %v", z.zone, d, end, next)
			}
			if p, err := core.ParseEnd(d.String(), loc); err != nil || !p.Equal(end) {
				t.Fatalf("%s ParseEnd(%s): got %v, %v, want %v", z.zone, d, p, err, end)
			}
			if got, ok := core.EndDate(end, loc); !ok || got != d {
				t.Fatalf("%s EndDate(%v): got %s %v, want %s", z.zone, end, got, ok, d)
			}
			if _, ok := core.EndDate(end.Add(time.Minute), loc); ok {
				t.Fatalf("%s EndDate(%v): a minute after the end is an end", z.zone, end.Add(time.Minute))
			}
			text := core.FormatLocal(end, loc)
			if !strings.Contains(text, "T") {
				t.Fatalf("%s: FormatLocal(%v) = %q, want a full time", z.zone, end, text)
			}
			if p, err := core.ParseEnd(text, loc); err != nil || !p.Equal(end) {
				t.Fatalf("%s ParseEnd(%q): got %v, %v, want %v", z.zone, text, p, err, end)
			}
		}
	}
}

// endSite has a temporary grant on the lab and a card with a validity,
// each ending at %s.
const endSite = `{
  "site": {"name": "Ends", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lab", "name": "Lab"}],
  "doors": [{"id": "lab", "name": "Lab", "from": "outside", "to": "lab"}],
  "devices": [{"id": "lab-in", "kind": "sim", "door": "lab", "direction": "in"}],
  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["lab"]}]}],
  "people": [{"id": "gina", "name": "Gina", "cards": ["em:0100000011"]},
             {"id": "carl", "name": "Carl", "access_levels": ["all"], "cards": [{"code": "em:0100000012", "until": %[1]q}]}],
  "grants": [{"id": "g1", "person": "gina", "door": "lab", "kind": "temporary", "until": %[1]q}]
}`

// TestSiteFileEnds: a site file's until of a grant or a card, given as a
// date, takes in that whole day; given as a time, stops before it. An
// export writes it with its time and reads back to the same instant.
func TestSiteFileEnds(t *testing.T) {
	probes := []struct {
		until, at string
		want      bool
	}{
		{"2026-11-24", "2026-11-24T23:59:59", true},
		{"2026-11-24", "2026-11-25T00:00", false},
		{"2026-11-24T18:00", "2026-11-24T17:59:59", true},
		{"2026-11-24T18:00", "2026-11-24T18:00", false},
	}
	for _, p := range probes {
		t.Run(p.until+" "+p.at, func(t *testing.T) {
			db := storagetest.MustOpen(t)
			mustImport(t, db, fmt.Sprintf(endSite, p.until))
			e, err := core.NewEngine(db, func() time.Time { return at("2026-11-20T12:00") }, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, who := range []struct{ card, path string }{{"em:0100000011", "grant until"}, {"em:0100000012", "card until"}} {
				ev, err := e.Tap(core.Tap{Reader: "lab-in", Code: who.card, At: at(p.at)})
				if err != nil {
					t.Fatal(err)
				}
				if got := ev.Result == core.Granted; got != p.want {
					t.Errorf("%s %s, tap at %s: got %s %q, want open %v", who.path, p.until, p.at, ev.Result, ev.Explanation, p.want)
				}
			}
			// Export writes the end with its time; importing it back
			// changes nothing.
			first := exportDoc(t, db)
			if strings.Contains(first, fmt.Sprintf("\"until\": %q", p.until)) && !strings.Contains(p.until, "T") {
				t.Errorf("export writes the date %q alone", p.until)
			}
			mustImport(t, db, first)
			if again := exportDoc(t, db); again != first {
				t.Errorf("export after re-import differs:\n%s\nwant\n%s", again, first)
			}
		})
	}
}

// FuzzParseEnd: any text is an end or an ErrInvalid; an end is never
// before the same text read as a start, and the full time export writes
// reads back to it.
func FuzzParseEnd(f *testing.F) {
	for _, s := range []string{"2026-11-24", "2026-11-24T18:00", "2026-11-24 18:00:30", "2026-03-29", "2026-10-25T02:30",
		"2026-10-25T02:30:00+01:00", "9999-12-31", "0001-01-01", "x"} {
		f.Add(s)
	}
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		end, err := core.ParseEnd(s, loc)
		if err != nil {
			if !errors.Is(err, core.ErrInvalid) {
				t.Fatalf("%q: got %v, want an error wrapping ErrInvalid", s, err)
			}
			return
		}
		if start, err := core.ParseTime(s, loc); err == nil && end.Before(start) {
			t.Fatalf("%q: end %v before start %v", s, end, start)
		}
		text := core.FormatLocal(end, loc)
		if back, err := core.ParseEnd(text, loc); err != nil || !back.Equal(end) {
			t.Fatalf("%q: FormatLocal gave %q, read back as %v, %v, want %v", s, text, back, err, end)
		}
	})
}
