package core

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the DST tests need Europe/Paris on any machine
)

func loadParis(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utcInstant(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkInvalid fails unless err wraps ErrInvalid with the message want.
func checkInvalid(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %q", want)
	}
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("got %v, want an error wrapping ErrInvalid", err)
	}
	if err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
}

func TestParseTimeOfDay(t *testing.T) {
	tests := []struct {
		in      string
		want    TimeOfDay
		wantErr string
	}{
		{in: "00:00", want: 0},
		{in: "07:05", want: 7*60 + 5},
		{in: "23:59", want: 1439},
		{in: "24:00", want: 1440},
		{in: "7:5", wantErr: `time of day "7:5": want HH:MM`},
		{in: "7:05", wantErr: `time of day "7:05": want HH:MM`},
		{in: "07:05:00", wantErr: `time of day "07:05:00": want HH:MM`},
		{in: "", wantErr: `time of day "": want HH:MM`},
		{in: "0705", wantErr: `time of day "0705": want HH:MM`},
		{in: "+7:05", wantErr: `time of day "+7:05": want HH:MM`},
		{in: "25:00", wantErr: `time of day "25:00": hour must be 00 to 24`},
		{in: "12:60", wantErr: `time of day "12:60": minute must be 00 to 59`},
		{in: "24:01", wantErr: `time of day "24:01": 24:00 is the latest time`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTimeOfDay(tt.in)
			if tt.wantErr != "" {
				checkInvalid(t, err, tt.wantErr)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %v, %v, want %v", got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String: got %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestTimeOfDayJSON(t *testing.T) {
	type doc struct {
		At TimeOfDay `json:"at"`
	}
	b, err := json.Marshal(doc{At: 7*60 + 5})
	if err != nil || string(b) != `{"at":"07:05"}` {
		t.Fatalf("got %s, %v, want %s", b, err, `{"at":"07:05"}`)
	}
	var d doc
	if err := json.Unmarshal([]byte(`{"at":"24:00"}`), &d); err != nil || d.At != 1440 {
		t.Errorf("got %v, %v, want %v", d.At, err, 1440)
	}
	d = doc{At: 60}
	if err := json.Unmarshal([]byte(`{"at":null}`), &d); err != nil || d.At != 60 {
		t.Errorf("null: got %v, %v, want %v", d.At, err, 60)
	}
	for in, want := range map[string]string{
		`{"at":"25:00"}`: `time of day "25:00": hour must be 00 to 24`,
		`{"at":420}`:     `time of day: want a string, got 420`,
	} {
		checkInvalid(t, json.Unmarshal([]byte(in), &d), want)
	}
	if _, err := json.Marshal(doc{At: 1441}); !errors.Is(err, ErrInvalid) {
		t.Errorf("marshal 1441: got %v, want ErrInvalid", err)
	}
	if got := TimeOfDay(-1).String(); got != "TimeOfDay(-1)" {
		t.Errorf("got %q, want %q", got, "TimeOfDay(-1)")
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr string
	}{
		{in: "2026-12-25", want: Date{2026, time.December, 25}},
		{in: "2028-02-29", want: Date{2028, time.February, 29}},
		{in: "2000-02-29", want: Date{2000, time.February, 29}},
		{in: "0001-01-01", want: Date{1, time.January, 1}},
		{in: "2026-02-30", wantErr: `date "2026-02-30": February 2026 has no day 30`},
		{in: "2100-02-29", wantErr: `date "2100-02-29": February 2100 has no day 29`},
		{in: "2026-04-31", wantErr: `date "2026-04-31": April 2026 has no day 31`},
		{in: "2026-12-00", wantErr: `date "2026-12-00": December 2026 has no day 0`},
		{in: "2026-13-01", wantErr: `date "2026-13-01": month must be 01 to 12`},
		{in: "2026-00-01", wantErr: `date "2026-00-01": month must be 01 to 12`},
		{in: "2026-1-5", wantErr: `date "2026-1-5": want YYYY-MM-DD`},
		{in: "26-01-05", wantErr: `date "26-01-05": want YYYY-MM-DD`},
		{in: "2026/01/05", wantErr: `date "2026/01/05": want YYYY-MM-DD`},
		{in: "2026-01-05T00:00", wantErr: `date "2026-01-05T00:00": want YYYY-MM-DD`},
		{in: "", wantErr: `date "": want YYYY-MM-DD`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr != "" {
				checkInvalid(t, err, tt.wantErr)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %v, %v, want %v", got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String: got %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Date Date `json:"date"`
	}
	b, err := json.Marshal(doc{Date{2026, time.December, 25}})
	if err != nil || string(b) != `{"date":"2026-12-25"}` {
		t.Fatalf("got %s, %v, want %s", b, err, `{"date":"2026-12-25"}`)
	}
	var d doc
	if err := json.Unmarshal(b, &d); err != nil || d.Date != (Date{2026, time.December, 25}) {
		t.Errorf("got %v, %v, want 2026-12-25", d.Date, err)
	}
	checkInvalid(t, json.Unmarshal([]byte(`{"date":"2026-02-30"}`), &d), `date "2026-02-30": February 2026 has no day 30`)
	checkInvalid(t, json.Unmarshal([]byte(`{"date":20261225}`), &d), `date: want a string, got 20261225`)
	if _, err := json.Marshal(doc{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("zero date: got %v, want ErrInvalid", err)
	}
}

func TestDateArithmetic(t *testing.T) {
	loc := loadParis(t)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"AddDays across the spring DST day", Date{2026, 3, 28}.AddDays(2), Date{2026, 3, 30}},
		{"AddDays across a year", Date{2026, 12, 31}.AddDays(1), Date{2027, 1, 1}},
		{"AddDays back across a leap day", Date{2028, 3, 1}.AddDays(-1), Date{2028, 2, 29}},
		{"AddDays zero", Date{2026, 11, 24}.AddDays(0), Date{2026, 11, 24}},
		{"Weekday", Date{2026, 11, 24}.Weekday(), time.Tuesday},
		{"Weekday spring DST day", Date{2026, 3, 29}.Weekday(), time.Sunday},
		{"Before by day", Date{2026, 11, 24}.Before(Date{2026, 11, 25}), true},
		{"Before by month", Date{2026, 10, 30}.Before(Date{2026, 11, 1}), true},
		{"Before by year", Date{2027, 1, 1}.Before(Date{2026, 12, 31}), false},
		{"Before equal", Date{2026, 11, 24}.Before(Date{2026, 11, 24}), false},
		{"Compare", Date{2027, 1, 1}.Compare(Date{2026, 12, 31}), 1},
		{"DateOf after local midnight", DateOf(utcInstant(t, "2026-11-23T23:30:00Z"), loc), Date{2026, 11, 24}},
		{"DateOf in UTC", DateOf(utcInstant(t, "2026-11-23T23:30:00Z"), time.UTC), Date{2026, 11, 23}},
		{"At winter", Date{2026, 11, 24}.At(9*60, loc).UTC(), utcInstant(t, "2026-11-24T08:00:00Z")},
		{"At summer", Date{2026, 7, 14}.At(9*60, loc).UTC(), utcInstant(t, "2026-07-14T07:00:00Z")},
		{"At 24:00 is next midnight", Date{2026, 12, 31}.At(1440, loc).UTC(), utcInstant(t, "2026-12-31T23:00:00Z")},
		{"At 24:00 on the spring DST day", Date{2026, 3, 29}.At(1440, loc).UTC(), utcInstant(t, "2026-03-29T22:00:00Z")},
		{"At after the spring gap", Date{2026, 3, 29}.At(3*60, loc).UTC(), utcInstant(t, "2026-03-29T01:00:00Z")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		in   string
		want Duration
		out  string
	}{
		{"5m", Duration(5 * time.Minute), "5m"},
		{"3s", Duration(3 * time.Second), "3s"},
		{"1h30m", Duration(90 * time.Minute), "1h30m"},
		{"2h", Duration(2 * time.Hour), "2h"},
		{"90s", Duration(90 * time.Second), "1m30s"},
		{"1h0m5s", Duration(time.Hour + 5*time.Second), "1h0m5s"},
		{"500ms", Duration(500 * time.Millisecond), "500ms"},
		{"1.5s", Duration(1500 * time.Millisecond), "1.5s"},
		{"0", 0, "0s"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("got %v, %v, want %v", got, err, tt.want)
			}
			if got.String() != tt.out {
				t.Errorf("String: got %q, want %q", got.String(), tt.out)
			}
			b, err := json.Marshal(got)
			if err != nil || string(b) != `"`+tt.out+`"` {
				t.Errorf("MarshalJSON: got %s, %v, want %q", b, err, tt.out)
			}
			var back Duration
			if err := json.Unmarshal(b, &back); err != nil || back != got {
				t.Errorf("UnmarshalJSON: got %v, %v, want %v", back, err, got)
			}
		})
	}
	for in, want := range map[string]string{
		`"-5m"`:  `duration "-5m": must not be negative`,
		`"5"`:    `duration "5": want a number and a unit, such as 3s, 5m or 1h30m`,
		`"5 m"`:  `duration "5 m": want a number and a unit, such as 3s, 5m or 1h30m`,
		`300`:    `duration: want a string, got 300`,
		`"soon"`: `duration "soon": want a number and a unit, such as 3s, 5m or 1h30m`,
	} {
		t.Run(in, func(t *testing.T) {
			var d Duration
			checkInvalid(t, json.Unmarshal([]byte(in), &d), want)
		})
	}
	if _, err := json.Marshal(Duration(-time.Second)); !errors.Is(err, ErrInvalid) {
		t.Errorf("marshal negative: got %v, want ErrInvalid", err)
	}
}

func TestParseTime(t *testing.T) {
	loc := loadParis(t)
	tests := []struct {
		in      string
		want    string // UTC, RFC 3339
		wantErr string
	}{
		{in: "2026-11-24T09:00:00+01:00", want: "2026-11-24T08:00:00Z"},
		{in: "2026-11-24T09:00:00Z", want: "2026-11-24T09:00:00Z"},
		{in: "2026-11-24T09:00:00.25-05:00", want: "2026-11-24T14:00:00.25Z"},
		{in: "2026-11-24T09:00", want: "2026-11-24T08:00:00Z"},
		{in: " 2026-11-24T09:00 ", want: "2026-11-24T08:00:00Z"},
		{in: "2026-11-24T09:00:05", want: "2026-11-24T08:00:05Z"},
		{in: "2026-11-24 09:00", want: "2026-11-24T08:00:00Z"},
		{in: "2026-11-24 09:00:05", want: "2026-11-24T08:00:05Z"},
		{in: "2026-07-14T09:00", want: "2026-07-14T07:00:00Z"},
		{in: "2026-11-24", want: "2026-11-23T23:00:00Z"},
		{in: "2026-07-14", want: "2026-07-13T22:00:00Z"},
		{in: "2026-03-29T03:00", want: "2026-03-29T01:00:00Z"},
		{in: "1900-01-01T00:09:21", want: "1900-01-01T00:00:00Z"}, // Paris mean time, +00:09:21
		{in: "0000-01-01T00:00:00+01:00", wantErr: `time "0000-01-01T00:00:00+01:00": year must be 0001 to 9999`},
		{in: "9999-12-31T23:30:00Z", wantErr: `time "9999-12-31T23:30:00Z": year must be 0001 to 9999`},
		{in: "2026-02-30", wantErr: `date "2026-02-30": February 2026 has no day 30`},
		{in: "2026-11-24T25:00", wantErr: `time "2026-11-24T25:00": want 2026-11-24T09:00 (local), 2026-11-24T09:00:00+01:00 or 2026-11-24`},
		{in: "24/11/2026 09:00", wantErr: `time "24/11/2026 09:00": want 2026-11-24T09:00 (local), 2026-11-24T09:00:00+01:00 or 2026-11-24`},
		{in: "tomorrow", wantErr: `time "tomorrow": want 2026-11-24T09:00 (local), 2026-11-24T09:00:00+01:00 or 2026-11-24`},
		{in: "", wantErr: `time "": want 2026-11-24T09:00 (local), 2026-11-24T09:00:00+01:00 or 2026-11-24`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime(tt.in, loc)
			if tt.wantErr != "" {
				checkInvalid(t, err, tt.wantErr)
				return
			}
			if err != nil || !got.Equal(utcInstant(t, tt.want)) {
				t.Fatalf("got %v, %v, want %v", got, err, tt.want)
			}
			if got.Location() != time.UTC {
				t.Errorf("location: got %v, want UTC", got.Location())
			}
		})
	}
}

func TestFormatLocal(t *testing.T) {
	loc := loadParis(t)
	tests := []struct {
		at   string // UTC
		loc  *time.Location
		want string
	}{
		{"2026-11-24T08:00:00Z", loc, "2026-11-24T09:00"},
		{"2026-11-24T08:00:05Z", loc, "2026-11-24T09:00:05"},
		{"2026-11-24T08:00:05.5Z", loc, "2026-11-24T09:00:05.5+01:00"},
		{"2026-07-14T07:00:00Z", loc, "2026-07-14T09:00"},
		{"2026-03-29T01:00:00Z", loc, "2026-03-29T03:00"},
		{"2026-11-24T08:00:00Z", time.UTC, "2026-11-24T08:00"},
		{"1900-01-01T00:00:00Z", loc, "1900-01-01T00:09:21"},
		{"1900-01-01T00:00:00.5Z", loc, "1900-01-01T00:00:00.5Z"}, // an offset of +00:09:21 has no RFC 3339 form
		{"2026-11-24T08:00:00.001Z", time.UTC, "2026-11-24T08:00:00.001Z"},
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			at := utcInstant(t, tt.at)
			got := FormatLocal(at, tt.loc)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if back, err := ParseTime(got, tt.loc); err != nil || !back.Equal(at) {
				t.Errorf("ParseTime(%q): got %v, %v, want %v", got, back, err, at)
			}
		})
	}

	// 2026-10-25 02:30 happens twice in Paris: one of the two instants
	// needs its offset, and both must read back.
	first, second := utcInstant(t, "2026-10-25T00:30:00Z"), utcInstant(t, "2026-10-25T01:30:00Z")
	a, b := FormatLocal(first, loc), FormatLocal(second, loc)
	if strings.Contains(a, "+") == strings.Contains(b, "+") {
		t.Errorf("got %q and %q, want exactly one with an offset", a, b)
	}
	for at, s := range map[time.Time]string{first: a, second: b} {
		if back, err := ParseTime(s, loc); err != nil || !back.Equal(at) {
			t.Errorf("ParseTime(%q): got %v, %v, want %v", s, back, err, at)
		}
	}
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"07:05", "24:00", "7:5", "25:00", "12:60", "24:01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTimeOfDay(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want an error wrapping ErrInvalid", err)
			}
			return
		}
		if v < 0 || v > 1440 || v.String() != s {
			t.Fatalf("%q: got %d (%q), want 0..1440 and the same text", s, int(v), v.String())
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-12-25", "2026-02-30", "2028-02-29", "2026-1-5", "9999-12-31", "0000-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want an error wrapping ErrInvalid", err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("got %q, want %q", d.String(), s)
		}
		if back := d.AddDays(1).AddDays(-1); back != d {
			t.Fatalf("AddDays: got %v, want %v", back, d)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-11-24T09:00:00+01:00", "2026-11-24T09:00", "2026-11-24 09:00:05",
		"2026-11-24", "2026-10-25T02:30", "2026-03-29T02:30", "2026-11-24T09:00:00.123Z", "x"} {
		f.Add(s)
	}
	loc := loadParis(f)
	f.Fuzz(func(t *testing.T, s string) {
		at, err := ParseTime(s, loc)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want an error wrapping ErrInvalid", err)
			}
			return
		}
		if at.Location() != time.UTC {
			t.Fatalf("%q: got location %v, want UTC", s, at.Location())
		}
		text := FormatLocal(at, loc)
		if back, err := ParseTime(text, loc); err != nil || !back.Equal(at) {
			t.Fatalf("%q: FormatLocal gave %q, read back as %v, %v, want %v", s, text, back, err, at)
		}
	})
}
