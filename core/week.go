package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Window is a daily span of wall-clock time, Start inclusive, End
// exclusive. An End before Start crosses midnight: the window runs from
// Start on its day to End on the next. End may be 24:00; Start may not.
type Window struct {
	Start, End TimeOfDay
}

// ParseWindow reads "HH:MM-HH:MM" ("09:00-17:30", "22:00-06:00",
// "08:00-24:00"). Start and end must differ. Errors wrap ErrInvalid.
func ParseWindow(s string) (Window, error) {
	w, reason := parseWindow(s)
	if reason != "" {
		return Window{}, codedf("bad_window", vals("value", s), "bad window %q: %s", s, reason)
	}
	return w, nil
}

// parseWindow returns the reason s is not a window, or "", so that a Week
// can put the JSON path in front of it.
func parseWindow(s string) (Window, string) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return Window{}, "want HH:MM-HH:MM"
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	start, reason := parseTimeOfDay(a)
	if reason != "" {
		return Window{}, fmt.Sprintf("start %q: %s", a, reason)
	}
	end, reason := parseTimeOfDay(b)
	if reason != "" {
		return Window{}, fmt.Sprintf("end %q: %s", b, reason)
	}
	w := Window{start, end}
	return w, w.problem()
}

// problem returns what makes w unusable, or "".
func (w Window) problem() string {
	switch {
	case w.Start < 0 || w.Start >= minutesPerDay:
		return "start must be 00:00 to 23:59"
	case w.End < 0 || w.End > minutesPerDay:
		return "end must be 00:00 to 24:00"
	case w.Start == w.End:
		return "start and end are the same"
	}
	return ""
}

// String writes "HH:MM-HH:MM".
func (w Window) String() string { return w.Start.String() + "-" + w.End.String() }

// CrossesMidnight reports whether the window ends on the next day.
// "08:00-24:00" and "00:00-24:00" end on their own day.
func (w Window) CrossesMidnight() bool { return w.End < w.Start }

// Minutes is the window's nominal wall-clock length ("22:00-06:00" is
// 480), ignoring DST, which a schedule written in wall-clock time ignores
// too.
func (w Window) Minutes() int {
	if w.CrossesMidnight() {
		return int(w.End) + minutesPerDay - int(w.Start)
	}
	return int(w.End - w.Start)
}

// On returns the instants the window starts and ends when it starts on
// day in loc, each read by ResolveLocal; a window that crosses midnight
// ends on the next day. A window inside the hour DST skips starts and ends
// at the jump: it covers nothing.
func (w Window) On(day Date, loc *time.Location) (start, end time.Time) {
	endDay := day
	if w.CrossesMidnight() {
		endDay = day.AddDays(1)
	}
	return day.At(w.Start, loc), endDay.At(w.End, loc)
}

// span is w as minutes from the start of its own day, the end past 1440
// when it crosses midnight.
func (w Window) span() (start, end int) {
	return int(w.Start), int(w.Start) + w.Minutes()
}

// Week holds windows per weekday, indexed by time.Weekday (Sunday = 0). A
// window belongs to the day it starts on.
type Week [7][]Window

// weekDays lists the JSON keys in the order they are written, Monday first
// as people read a week.
var weekDays = [7]struct {
	key string
	day time.Weekday
}{
	{"mon", time.Monday}, {"tue", time.Tuesday}, {"wed", time.Wednesday}, {"thu", time.Thursday},
	{"fri", time.Friday}, {"sat", time.Saturday}, {"sun", time.Sunday},
}

// weekKey returns the JSON key of d.
func weekKey(d time.Weekday) string {
	for _, wd := range weekDays {
		if wd.day == d {
			return wd.key
		}
	}
	return d.String()
}

// Validate checks every window and that no two overlap, on the same day or
// where a window that crosses midnight runs into the next day's: Covering
// and worked time need one window per instant. Errors wrap ErrInvalid and
// name the window as a JSON path, "week.tue[1]: ...".
func (wk Week) Validate() error {
	for _, wd := range weekDays {
		day := wk[wd.day]
		for i, w := range day {
			if p := w.problem(); p != "" {
				return codedf("bad_window", vals("value", w.String()), "week.%s[%d]: bad window %q: %s", wd.key, i, w, p)
			}
			s, e := w.span()
			for _, o := range day[:i] {
				if os, oe := o.span(); s < oe && os < e {
					return codedf("window_overlap", vals("value", w.String(), "other", o.String()),
						"week.%s[%d]: window %q overlaps %q", wd.key, i, w, o)
				}
			}
		}
	}
	for _, wd := range weekDays {
		prev := (wd.day + 6) % 7
		for i, w := range wk[wd.day] {
			for _, p := range wk[prev] {
				if p.CrossesMidnight() && w.Start < p.End {
					return codedf("window_overlap", vals("value", w.String(), "other", p.String()),
						"week.%s[%d]: window %q overlaps %s's %q, which runs past midnight", wd.key, i, w, weekKey(prev), p)
				}
			}
		}
	}
	return nil
}

// MarshalJSON writes {"mon": ["09:00-17:00"], ...} in the order mon..sun,
// leaving out days without windows. An invalid week is an error rather
// than text that would not read back.
func (wk Week) MarshalJSON() ([]byte, error) {
	if err := wk.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for _, wd := range weekDays {
		if len(wk[wd.day]) == 0 {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + wd.key + `":[`)
		for i, w := range wk[wd.day] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"` + w.String() + `"`)
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object with keys mon..sun, each a list of window
// strings, and checks it as Validate does. Unknown or repeated keys are
// errors, so a misspelt day does not silently drop its windows.
func (wk *Week) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return textErrorf("week: want an object with keys mon..sun, got %.40s", b)
	}
	var out Week
	var seen [7]bool
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return textErrorf("week: %v", err)
		}
		key, _ := tok.(string)
		day, ok := weekdayOf(key)
		if !ok {
			return textErrorf("week.%s: unknown day, want mon, tue, wed, thu, fri, sat or sun", key)
		}
		if seen[day] {
			return textErrorf("week.%s: day given twice", key)
		}
		seen[day] = true
		var list []string
		if err := dec.Decode(&list); err != nil {
			return textErrorf("week.%s: want a list of windows such as [\"09:00-17:00\"]", key)
		}
		for i, s := range list {
			w, reason := parseWindow(s)
			if reason != "" {
				return textErrorf("week.%s[%d]: bad window %q: %s", key, i, s, reason)
			}
			out[day] = append(out[day], w)
		}
	}
	if err := out.Validate(); err != nil {
		return err
	}
	*wk = out
	return nil
}

// weekdayOf returns the weekday of a JSON key.
func weekdayOf(key string) (time.Weekday, bool) {
	for _, wd := range weekDays {
		if wd.key == key {
			return wd.day, true
		}
	}
	return 0, false
}

// Covering finds the window that covers instant t in loc, and the date
// that window started on. A window belongs to the day it starts on: a
// Monday 22:00-06:00 window covers Monday 22:00-24:00 and Tuesday
// 00:00-06:00. skip reports days whose windows do not apply (the holidays
// of a holiday-closed schedule); it may be nil.
//
// A window on day D covers the instants Window.On gives, from D.At(start)
// to D.At(end) (D+1's when it crosses midnight), so a door's decision
// agrees with the timesheet on the days DST moves the clock too: a bound
// in the hour the clock repeats is its first occurrence, one in the hour
// it skips is the instant of the jump (see ResolveLocal).
func (wk Week) Covering(t time.Time, loc *time.Location, skip func(Date) bool) (w Window, day Date, ok bool) {
	today := DateOf(t, loc)
	// The day before holds the windows that run past midnight. The day
	// after matters only when the clock goes back from after midnight to
	// the day before (America/Goose_Bay until 2010, 00:01 to 23:01): the
	// repeated hour shows the day before, but the next day's windows
	// started at their first pass.
	for _, d := range [...]Date{today, today.AddDays(-1), today.AddDays(1)} {
		if skip != nil && skip(d) {
			continue
		}
		for _, w := range wk[d.Weekday()] {
			if from, to := w.On(d, loc); !t.Before(from) && t.Before(to) {
				return w, d, true
			}
		}
	}
	return Window{}, Date{}, false
}
