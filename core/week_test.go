package core

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestParseWindow(t *testing.T) {
	tests := []struct {
		in      string
		want    Window
		crosses bool
		minutes int
	}{
		{"09:00-17:30", Window{9 * 60, 17*60 + 30}, false, 510},
		{"22:00-06:00", Window{22 * 60, 6 * 60}, true, 480},
		{"08:00-24:00", Window{8 * 60, 1440}, false, 960},
		{"00:00-24:00", Window{0, 1440}, false, 1440},
		{"23:59-00:00", Window{1439, 0}, true, 1},
		{"00:01-00:00", Window{1, 0}, true, 1439},
		{"22:00-00:00", Window{22 * 60, 0}, true, 120},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseWindow(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("got %v, %v, want %v", got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String: got %q, want %q", got.String(), tt.in)
			}
			if got.CrossesMidnight() != tt.crosses {
				t.Errorf("CrossesMidnight: got %v, want %v", got.CrossesMidnight(), tt.crosses)
			}
			if got.Minutes() != tt.minutes {
				t.Errorf("Minutes: got %v, want %v", got.Minutes(), tt.minutes)
			}
		})
	}
}

func TestParseWindowInvalid(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"09:00-09:00", `bad window "09:00-09:00": start and end are the same`},
		{"24:00-24:00", `bad window "24:00-24:00": start must be 00:00 to 23:59`},
		{"24:00-06:00", `bad window "24:00-06:00": start must be 00:00 to 23:59`},
		{"25:00-26:00", `bad window "25:00-26:00": start "25:00": hour must be 00 to 24`},
		{"09:00-12:60", `bad window "09:00-12:60": end "12:60": minute must be 00 to 59`},
		{"9:00-17:00", `bad window "9:00-17:00": start "9:00": want HH:MM`},
		{"09:00", `bad window "09:00": want HH:MM-HH:MM`},
		{"09:00-17:00-18:00", `bad window "09:00-17:00-18:00": end "17:00-18:00": want HH:MM`},
		{"", `bad window "": want HH:MM-HH:MM`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseWindow(tt.in)
			checkInvalid(t, err, tt.want)
		})
	}
}

func TestWindowOn(t *testing.T) {
	loc := loadParis(t)
	tests := []struct {
		window     string
		day        Date
		start, end string // UTC
	}{
		{"09:00-17:00", Date{2026, 11, 24}, "2026-11-24T08:00:00Z", "2026-11-24T16:00:00Z"},
		{"22:00-06:00", Date{2026, 11, 24}, "2026-11-24T21:00:00Z", "2026-11-25T05:00:00Z"},
		{"08:00-24:00", Date{2026, 11, 24}, "2026-11-24T07:00:00Z", "2026-11-24T23:00:00Z"},
		// The night the clocks go back lasts an hour longer than written.
		{"22:00-06:00", Date{2026, 10, 24}, "2026-10-24T20:00:00Z", "2026-10-25T05:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.window+" "+tt.day.String(), func(t *testing.T) {
			w, err := ParseWindow(tt.window)
			if err != nil {
				t.Fatal(err)
			}
			start, end := w.On(tt.day, loc)
			if !start.Equal(utcInstant(t, tt.start)) || !end.Equal(utcInstant(t, tt.end)) {
				t.Errorf("got %v–%v, want %v–%v", start.UTC(), end.UTC(), tt.start, tt.end)
			}
		})
	}
}

func parseWeekT(t testing.TB, s string) Week {
	t.Helper()
	var wk Week
	if err := json.Unmarshal([]byte(s), &wk); err != nil {
		t.Fatal(err)
	}
	return wk
}

func TestWeekCovering(t *testing.T) {
	loc := loadParis(t)
	// 2026-11-23 is a Monday.
	office := `{"mon": ["09:00-12:30", "22:00-06:00"], "tue": ["06:00-14:00"], "fri": ["08:00-24:00"],
		"sat": ["00:00-24:00"], "sun": ["23:00-01:00"]}`
	tests := []struct {
		name   string
		week   string
		at     string // UTC
		loc    *time.Location
		window string // "" when nothing covers
		day    string
	}{
		{"before the first window", office, "2026-11-23T08:59:59Z", time.UTC, "", ""},
		{"start is inside", office, "2026-11-23T09:00:00Z", time.UTC, "09:00-12:30", "2026-11-23"},
		{"last second is inside", office, "2026-11-23T12:29:59Z", time.UTC, "09:00-12:30", "2026-11-23"},
		{"end is outside", office, "2026-11-23T12:30:00Z", time.UTC, "", ""},
		{"night window before midnight", office, "2026-11-23T23:59:00Z", time.UTC, "22:00-06:00", "2026-11-23"},
		{"night window at midnight", office, "2026-11-24T00:00:00Z", time.UTC, "22:00-06:00", "2026-11-23"},
		{"night window after midnight", office, "2026-11-24T05:59:59Z", time.UTC, "22:00-06:00", "2026-11-23"},
		{"next window takes over", office, "2026-11-24T06:00:00Z", time.UTC, "06:00-14:00", "2026-11-24"},
		{"a day without windows", office, "2026-11-25T10:00:00Z", time.UTC, "", ""},
		{"24:00 end covers 23:59", office, "2026-11-27T23:59:59Z", time.UTC, "08:00-24:00", "2026-11-27"},
		{"24:00 end stops at midnight", office, "2026-11-28T00:00:00Z", time.UTC, "00:00-24:00", "2026-11-28"},
		{"whole day", office, "2026-11-28T12:00:00Z", time.UTC, "00:00-24:00", "2026-11-28"},
		{"sunday night into monday", office, "2026-11-30T00:30:00Z", time.UTC, "23:00-01:00", "2026-11-29"},
		{"sunday night ended", office, "2026-11-30T01:00:00Z", time.UTC, "", ""},
		{"local time, not UTC", office, "2026-11-23T08:30:00Z", loc, "09:00-12:30", "2026-11-23"},
		{"local night after midnight", office, "2026-11-24T04:59:00Z", loc, "22:00-06:00", "2026-11-23"},

		// Spring: on Sunday 2026-03-29 Paris jumps from 02:00 CET to 03:00 CEST.
		{"spring: 01:59 CET", `{"sun": ["02:00-03:00"]}`, "2026-03-29T00:59:00Z", loc, "", ""},
		{"spring: skipped hour never comes", `{"sun": ["02:00-03:00"]}`, "2026-03-29T01:00:00Z", loc, "", ""},
		{"spring: 03:30 CEST", `{"sun": ["03:00-04:00"]}`, "2026-03-29T01:30:00Z", loc, "03:00-04:00", "2026-03-29"},
		{"spring: 01:30 CET", `{"sun": ["03:00-04:00"]}`, "2026-03-29T00:30:00Z", loc, "", ""},
		{"spring night: 22:00 CET", `{"sat": ["22:00-06:00"]}`, "2026-03-28T21:00:00Z", loc, "22:00-06:00", "2026-03-28"},
		{"spring night: 05:59 CEST", `{"sat": ["22:00-06:00"]}`, "2026-03-29T03:59:00Z", loc, "22:00-06:00", "2026-03-28"},
		{"spring night: 06:00 CEST", `{"sat": ["22:00-06:00"]}`, "2026-03-29T04:00:00Z", loc, "", ""},

		// Autumn: on Sunday 2026-10-25 Paris goes from 03:00 CEST back to 02:00 CET.
		{"autumn: 01:59 CEST", `{"sun": ["02:00-03:00"]}`, "2026-10-24T23:59:00Z", loc, "", ""},
		{"autumn: 02:00 CEST", `{"sun": ["02:00-03:00"]}`, "2026-10-25T00:00:00Z", loc, "02:00-03:00", "2026-10-25"},
		{"autumn: first 02:30", `{"sun": ["02:00-03:00"]}`, "2026-10-25T00:30:00Z", loc, "02:00-03:00", "2026-10-25"},
		{"autumn: second 02:30", `{"sun": ["02:00-03:00"]}`, "2026-10-25T01:30:00Z", loc, "02:00-03:00", "2026-10-25"},
		{"autumn: 02:59 CET", `{"sun": ["02:00-03:00"]}`, "2026-10-25T01:59:00Z", loc, "02:00-03:00", "2026-10-25"},
		{"autumn: 03:00 CET", `{"sun": ["02:00-03:00"]}`, "2026-10-25T02:00:00Z", loc, "", ""},
		{"autumn night: 05:59 CET", `{"sat": ["22:00-06:00"]}`, "2026-10-25T04:59:00Z", loc, "22:00-06:00", "2026-10-24"},
		{"autumn night: 06:00 CET", `{"sat": ["22:00-06:00"]}`, "2026-10-25T05:00:00Z", loc, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, day, ok := parseWeekT(t, tt.week).Covering(utcInstant(t, tt.at), tt.loc, nil)
			checkCovering(t, w, day, ok, tt.window, tt.day)
		})
	}
}

func checkCovering(t *testing.T, w Window, day Date, ok bool, wantWindow, wantDay string) {
	t.Helper()
	if wantWindow == "" {
		if ok {
			t.Errorf("got %v on %v, want no window", w, day)
		}
		return
	}
	if !ok || w.String() != wantWindow || day.String() != wantDay {
		t.Errorf("got %v on %v (%v), want %v on %v", w, day, ok, wantWindow, wantDay)
	}
}

func TestWeekCoveringSkip(t *testing.T) {
	wk := parseWeekT(t, `{"mon": ["09:00-12:00", "22:00-06:00"], "tue": ["06:00-14:00"]}`)
	monday, tuesday := Date{2026, 11, 23}, Date{2026, 11, 24}
	tests := []struct {
		name    string
		holiday Date
		at      string
		window  string
		day     string
	}{
		{"holiday closes its day", monday, "2026-11-23T10:00:00Z", "", ""},
		{"holiday closes its night", monday, "2026-11-23T23:00:00Z", "", ""},
		{"a night that started on a holiday stays closed after midnight", monday, "2026-11-24T03:00:00Z", "", ""},
		{"the day after a holiday opens", monday, "2026-11-24T07:00:00Z", "06:00-14:00", "2026-11-24"},
		{"a night that started before a holiday runs into it", tuesday, "2026-11-24T03:00:00Z", "22:00-06:00", "2026-11-23"},
		{"the holiday's own window is closed", tuesday, "2026-11-24T07:00:00Z", "", ""},
		{"other days are open", tuesday, "2026-11-23T10:00:00Z", "09:00-12:00", "2026-11-23"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			skip := func(d Date) bool { return d == tt.holiday }
			w, day, ok := wk.Covering(utcInstant(t, tt.at), time.UTC, skip)
			checkCovering(t, w, day, ok, tt.window, tt.day)
		})
	}
}

func TestWeekJSON(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"design example", `{"mon": ["07:00-20:00"], "tue": ["07:00-20:00"], "wed": ["07:00-20:00"],
			"thu": ["07:00-20:00"], "fri": ["07:00-20:00"]}`,
			`{"mon":["07:00-20:00"],"tue":["07:00-20:00"],"wed":["07:00-20:00"],"thu":["07:00-20:00"],"fri":["07:00-20:00"]}`},
		{"written mon..sun whatever the input order", `{"sun": ["08:00-24:00"], "mon": ["13:30-17:30", "09:00-12:30"], "tue": ["22:00-06:00"]}`,
			`{"mon":["13:30-17:30","09:00-12:30"],"tue":["22:00-06:00"],"sun":["08:00-24:00"]}`},
		{"empty days left out", `{"mon": [], "tue": null, "sat": ["10:00-11:00"]}`, `{"sat":["10:00-11:00"]}`},
		{"empty week", `{}`, `{}`},
		{"touching windows", `{"mon": ["22:00-06:00", "09:00-12:00", "12:00-13:00"], "tue": ["06:00-14:00"]}`,
			`{"mon":["22:00-06:00","09:00-12:00","12:00-13:00"],"tue":["06:00-14:00"]}`},
		{"sunday night touching monday", `{"sun": ["23:00-01:00"], "mon": ["01:00-08:00"]}`,
			`{"mon":["01:00-08:00"],"sun":["23:00-01:00"]}`},
		{"spaces in a window", `{"mon": [" 09:00 - 12:00 "]}`, `{"mon":["09:00-12:00"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wk := parseWeekT(t, tt.in)
			b, err := json.Marshal(wk)
			if err != nil || string(b) != tt.want {
				t.Fatalf("got %s, %v, want %s", b, err, tt.want)
			}
			if back := parseWeekT(t, string(b)); !weeksEqual(back, wk) {
				t.Errorf("round trip: got %v, want %v", back, wk)
			}
		})
	}
}

// weeksEqual compares two weeks window by window; Week holds slices, so == does
// not compile.
func weeksEqual(wk, o Week) bool {
	for d := range wk {
		if len(wk[d]) != len(o[d]) {
			return false
		}
		for i := range wk[d] {
			if wk[d][i] != o[d][i] {
				return false
			}
		}
	}
	return true
}

func TestWeekJSONInvalid(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bad window", `{"tue": ["09:00-10:00", "25:00-26:00"]}`,
			`week.tue[1]: bad window "25:00-26:00": start "25:00": hour must be 00 to 24`},
		{"start equals end", `{"mon": ["09:00-09:00"]}`, `week.mon[0]: bad window "09:00-09:00": start and end are the same`},
		{"unknown day", `{"mon": ["09:00-10:00"], "monday": ["09:00-10:00"]}`,
			`week.monday: unknown day, want mon, tue, wed, thu, fri, sat or sun`},
		{"capitalised day", `{"Mon": ["09:00-10:00"]}`, `week.Mon: unknown day, want mon, tue, wed, thu, fri, sat or sun`},
		{"day twice", `{"mon": ["09:00-10:00"], "mon": ["11:00-12:00"]}`, `week.mon: day given twice`},
		{"not a list", `{"mon": "09:00-10:00"}`, `week.mon: want a list of windows such as ["09:00-17:00"]`},
		{"not strings", `{"mon": [900]}`, `week.mon: want a list of windows such as ["09:00-17:00"]`},
		{"not an object", `["mon"]`, `week: want an object with keys mon..sun, got ["mon"]`},
		{"overlap", `{"wed": ["09:00-12:00", "11:00-13:00"]}`, `week.wed[1]: window "11:00-13:00" overlaps "09:00-12:00"`},
		{"same window twice", `{"wed": ["09:00-12:00", "09:00-12:00"]}`, `week.wed[1]: window "09:00-12:00" overlaps "09:00-12:00"`},
		{"overlap before midnight", `{"wed": ["22:00-06:00", "23:00-23:30"]}`,
			`week.wed[1]: window "23:00-23:30" overlaps "22:00-06:00"`},
		{"two nights", `{"wed": ["23:00-01:00", "22:00-02:00"]}`, `week.wed[1]: window "22:00-02:00" overlaps "23:00-01:00"`},
		{"overlap after midnight", `{"mon": ["22:00-06:00"], "tue": ["06:00-07:00", "05:00-06:00"]}`,
			`week.tue[1]: window "05:00-06:00" overlaps mon's "22:00-06:00", which runs past midnight`},
		{"sunday night into monday", `{"sun": ["23:00-01:00"], "mon": ["00:30-08:00"]}`,
			`week.mon[0]: window "00:30-08:00" overlaps sun's "23:00-01:00", which runs past midnight`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wk := Week{time.Monday: {{60, 120}}}
			err := json.Unmarshal([]byte(tt.in), &wk)
			checkInvalid(t, err, tt.want)
			if !weeksEqual(wk, Week{time.Monday: {{60, 120}}}) {
				t.Errorf("got %v, want the week unchanged", wk)
			}
		})
	}

	t.Run("inside a document", func(t *testing.T) {
		var s struct {
			Week Week `json:"week"`
		}
		err := json.Unmarshal([]byte(`{"week": {"fri": ["18:00-08:00"], "sat": ["07:00-12:00"]}}`), &s)
		checkInvalid(t, err, `week.sat[0]: window "07:00-12:00" overlaps fri's "18:00-08:00", which runs past midnight`)
	})
	t.Run("marshal an invalid week", func(t *testing.T) {
		_, err := json.Marshal(Week{time.Friday: {{9 * 60, 9 * 60}}})
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("got %v, want ErrInvalid", err)
		}
	})
	t.Run("null leaves the week", func(t *testing.T) {
		wk := Week{time.Monday: {{60, 120}}}
		if err := json.Unmarshal([]byte(`null`), &wk); err != nil || !weeksEqual(wk, Week{time.Monday: {{60, 120}}}) {
			t.Errorf("got %v, %v, want the week unchanged", wk, err)
		}
	})
}

func FuzzParseWindow(f *testing.F) {
	for _, s := range []string{"09:00-17:30", "22:00-06:00", "08:00-24:00", "00:00-24:00", "09:00-09:00",
		"24:00-06:00", "25:00-26:00", "9:00-17:00", "-", " 09:00 - 10:00 "} {
		f.Add(s)
	}
	monday := Date{2026, 11, 23}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWindow(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want an error wrapping ErrInvalid", err)
			}
			return
		}
		back, err := ParseWindow(w.String())
		if err != nil || back != w {
			t.Fatalf("round trip of %q via %q: got %v, %v, want %v", s, w.String(), back, err, w)
		}
		if m := w.Minutes(); m < 1 || m > 1440 {
			t.Fatalf("%v: got %d minutes, want 1..1440", w, m)
		}
		// The window covers its first and last minute, on the right days,
		// and not the minute it ends.
		wk := Week{time.Monday: {w}}
		start, end := w.On(monday, time.UTC)
		for _, at := range []time.Time{start, end.Add(-time.Minute)} {
			if got, day, ok := wk.Covering(at, time.UTC, nil); !ok || got != w || day != monday {
				t.Fatalf("%v at %v: got %v on %v (%v), want %v on %v", w, at, got, day, ok, w, monday)
			}
		}
		if got, day, ok := wk.Covering(end, time.UTC, nil); ok {
			t.Fatalf("%v at its end %v: got %v on %v, want no window", w, end, got, day)
		}
	})
}
