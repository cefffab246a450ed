package core_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// attendanceSite: a day shift with a lunch break, a night shift on
// weekdays, a night shift every night, a holiday on Wednesday 25
// November 2026. Monday 23 November 2026 is the reference day.
const attendanceSite = `{
  "site": {"name": "Attendance HQ", "timezone": "%s", "desk_zone": "office"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true},
            {"id": "yard", "name": "Yard"}],
  "holidays": [{"date": "2026-11-25", "name": "Test holiday"}],
  "shifts": [{"id": "day", "name": "Day", "week": {"mon": ["09:00-12:30", "13:30-17:30"], "tue": ["09:00-12:30", "13:30-17:30"],
                "wed": ["09:00-12:30", "13:30-17:30"], "thu": ["09:00-12:30", "13:30-17:30"], "fri": ["09:00-12:30", "13:30-17:30"]}},
             {"id": "night", "name": "Night", "week": {"mon": ["22:00-06:00"], "tue": ["22:00-06:00"], "wed": ["22:00-06:00"],
                "thu": ["22:00-06:00"], "fri": ["22:00-06:00"]}},
             {"id": "always-night", "name": "Every night", "week": {"mon": ["22:00-06:00"], "tue": ["22:00-06:00"], "wed": ["22:00-06:00"],
                "thu": ["22:00-06:00"], "fri": ["22:00-06:00"], "sat": ["22:00-06:00"], "sun": ["22:00-06:00"]}}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office"},
            {"id": "yard", "name": "Yard door", "from": "office", "to": "yard"}],
  "devices": [{"id": "in", "kind": "sim", "door": "main", "direction": "in"},
              {"id": "out", "kind": "sim", "door": "main", "direction": "out"},
              {"id": "yard-out", "kind": "sim", "door": "yard", "direction": "in"},
              {"id": "desk", "kind": "sim", "desk": true}],
  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["main", "yard"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all", "shift": "day"}],
  "people": [
    {"id": "ann", "name": "Ann", "started": "2026-01-01", "department": "staff", "cards": ["em:0100000001"]},
    {"id": "nick", "name": "Nick", "started": "2026-01-01", "department": "staff", "shift": "night", "cards": ["em:0100000002"]},
    {"id": "nina", "name": "Nina", "started": "2026-01-01", "department": "staff", "shift": "always-night", "cards": ["em:0100000003"]},
    {"id": "zed", "name": "Zed", "started": "2026-01-01", "access_levels": ["all"], "cards": ["em:0100000004"]}]
}`

var cards = map[string]string{"ann": "em:0100000001", "nick": "em:0100000002", "nina": "em:0100000003", "zed": "em:0100000004"}

// tapAt is a tap of person at reader at a local "2006-01-02 15:04".
type tapAt struct{ reader, at string }

func attendanceEngine(t *testing.T, zone string, now *steppedClock) *core.Engine {
	t.Helper()
	e, err := core.NewEngine(storagetest.MustOpen(t), now.read, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := core.ReadSiteFile(strings.NewReader(fmt.Sprintf(attendanceSite, zone)))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(cli, f); err != nil {
		t.Fatal(err)
	}
	return e
}

func local(t *testing.T, s string, loc *time.Location) time.Time {
	t.Helper()
	v, err := core.ParseTime(s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func tapAll(t *testing.T, e *core.Engine, person string, taps []tapAt) {
	t.Helper()
	for _, tp := range taps {
		ev, err := e.Tap(core.Tap{Reader: tp.reader, Code: cards[person], At: local(t, tp.at, e.Location())})
		if err != nil {
			t.Fatal(err)
		}
		if ev.Result.Denied() {
			t.Fatalf("tap %v: %s %s", tp, ev.Result, ev.Explanation)
		}
	}
}

func dayOf(t *testing.T, e *core.Engine, person, date string) core.TimesheetDay {
	t.Helper()
	d, err := core.ParseDate(date)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := e.Timesheet(cli, core.TimesheetQuery{From: d, To: d, Person: person})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.People) != 1 || len(ts.People[0].Days) != 1 {
		t.Fatalf("timesheet %+v: want one person, one day", ts)
	}
	return ts.People[0].Days[0]
}

// want is the expected fields of a day, written compactly.
type want struct {
	status                                     core.DayStatus
	sched, worked, presence, over, late, early int
	firstIn, lastOut                           string
	auto                                       bool
}

func check(t *testing.T, got core.TimesheetDay, w want) {
	t.Helper()
	g := want{got.Status, got.Scheduled, got.Worked, got.Presence, got.Overtime, got.Late, got.EarlyLeave,
		got.FirstIn, got.LastOut, got.AutoClosed}
	if g != w {
		t.Errorf("day %s:\n got %+v\nwant %+v", got.Date, g, w)
	}
}

func TestTimesheetDays(t *testing.T) {
	tests := []struct {
		name         string
		person, date string
		taps         []tapAt
		now          string // local; default the next Monday
		want         want
	}{
		{"early and stays late", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 08:30"}, {"out", "2026-11-23 17:45"}}, "",
			want{core.DayPresent, 450, 450, 555, 105, 0, 0, "08:30", "17:45", false}},
		{"late within grace", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 09:04"}, {"out", "2026-11-23 17:30"}}, "",
			want{core.DayPresent, 450, 446, 506, 60, 0, 0, "09:04", "17:30", false}},
		{"late beyond grace", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 09:10"}, {"out", "2026-11-23 17:30"}}, "",
			want{core.DayLate, 450, 440, 500, 60, 10, 0, "09:10", "17:30", false}},
		{"lunch break out", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 09:00"}, {"out", "2026-11-23 12:30"},
			{"in", "2026-11-23 13:30"}, {"out", "2026-11-23 17:30"}}, "",
			want{core.DayPresent, 450, 450, 450, 0, 0, 0, "09:00", "17:30", false}},
		{"long lunch counts only presence", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 09:00"}, {"out", "2026-11-23 12:00"},
			{"in", "2026-11-23 14:00"}, {"out", "2026-11-23 17:30"}}, "",
			want{core.DayPresent, 450, 390, 390, 0, 0, 0, "09:00", "17:30", false}},
		{"leaves early", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 09:00"}, {"out", "2026-11-23 16:00"}}, "",
			want{core.DayPresent, 450, 360, 420, 60, 0, 90, "09:00", "16:00", false}},
		{"leaves within grace", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 09:00"}, {"out", "2026-11-23 17:27"}}, "",
			want{core.DayPresent, 450, 447, 507, 60, 0, 0, "09:00", "17:27", false}},
		{"no check-out, closed at the cutoff", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 09:00"}}, "",
			want{core.DayPresent, 450, 450, 720, 270, 0, 0, "09:00", "21:00", true}},
		{"forgot to badge out: the next morning's tap closes the day", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 09:00"}, {"in", "2026-11-24 08:55"}}, "",
			want{core.DayPresent, 450, 450, 720, 270, 0, 0, "09:00", "21:00", true}},
		{"forgot to badge out: the next day counts from its own tap", "ann", "2026-11-24", []tapAt{{"in", "2026-11-23 09:00"}, {"in", "2026-11-24 08:55"}}, "",
			want{core.DayPresent, 450, 450, 725, 275, 0, 0, "08:55", "21:00", true}},
		{"still in before the close", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 09:00"}}, "2026-11-23 15:00",
			want{core.DayPresent, 450, 300, 360, 60, 0, 0, "09:00", "", false}},
		{"double taps", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 08:58"}, {"in", "2026-11-23 09:02"},
			{"out", "2026-11-23 17:31"}, {"out", "2026-11-23 17:35"}}, "",
			want{core.DayPresent, 450, 450, 513, 63, 0, 0, "08:58", "17:31", false}},
		{"desk toggle", "ann", "2026-11-23", []tapAt{{"desk", "2026-11-23 09:00"}, {"desk", "2026-11-23 17:30"}}, "",
			want{core.DayPresent, 450, 450, 510, 60, 0, 0, "09:00", "17:30", false}},
		{"non-work zone is not presence", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 09:00"}, {"yard-out", "2026-11-23 10:00"}}, "",
			want{core.DayPresent, 450, 60, 60, 0, 0, 450, "09:00", "10:00", false}},
		{"back between cutoff and midnight", "ann", "2026-11-23", []tapAt{{"in", "2026-11-23 09:00"}, {"out", "2026-11-23 17:30"},
			{"in", "2026-11-23 22:00"}, {"out", "2026-11-23 23:00"}}, "",
			want{core.DayPresent, 450, 450, 570, 120, 0, 0, "09:00", "23:00", false}},
		{"absent", "ann", "2026-11-24", nil, "",
			want{core.DayAbsent, 450, 0, 0, 0, 0, 0, "", "", false}},
		{"holiday", "ann", "2026-11-25", nil, "",
			want{core.DayHoliday, 0, 0, 0, 0, 0, 0, "", "", false}},
		{"works on a holiday", "ann", "2026-11-25", []tapAt{{"in", "2026-11-25 10:00"}, {"out", "2026-11-25 12:00"}}, "",
			want{core.DayHoliday, 0, 0, 120, 120, 0, 0, "10:00", "12:00", false}},
		{"weekend", "ann", "2026-11-28", nil, "",
			want{core.DayOff, 0, 0, 0, 0, 0, 0, "", "", false}},
		{"weekend work", "ann", "2026-11-28", []tapAt{{"in", "2026-11-28 10:00"}, {"out", "2026-11-28 13:00"}}, "",
			want{core.DayOff, 0, 0, 180, 180, 0, 0, "10:00", "13:00", false}},
		{"no shift: calendar day", "zed", "2026-11-23", []tapAt{{"in", "2026-11-23 10:00"}, {"out", "2026-11-23 12:00"}}, "",
			want{core.DayOff, 0, 0, 120, 120, 0, 0, "10:00", "12:00", false}},
		{"night shift is Monday's", "nick", "2026-11-23", []tapAt{{"in", "2026-11-23 21:55"}, {"out", "2026-11-24 06:05"}}, "",
			want{core.DayPresent, 480, 480, 490, 10, 0, 0, "21:55", "06:05", false}},
		{"night shift late and leaves early", "nick", "2026-11-23", []tapAt{{"in", "2026-11-23 22:20"}, {"out", "2026-11-24 05:00"}}, "",
			want{core.DayLate, 480, 400, 400, 0, 20, 60, "22:20", "05:00", false}},
		{"a day not begun is upcoming, not absent", "ann", "2026-11-24", nil, "2026-11-24 09:04",
			want{core.DayUpcoming, 450, 0, 0, 0, 0, 0, "", "", false}},
		{"absent once the grace has passed", "ann", "2026-11-24", nil, "2026-11-24 09:06",
			want{core.DayAbsent, 450, 0, 0, 0, 0, 0, "", "", false}},
		{"night shift: the next day is not touched", "nick", "2026-11-24", []tapAt{{"in", "2026-11-23 21:55"}, {"out", "2026-11-24 06:05"}}, "2026-11-24 12:00",
			want{core.DayUpcoming, 480, 0, 0, 0, 0, 0, "", "", false}},
		{"night shift without check-out closes 3 h after its end", "nick", "2026-11-23", []tapAt{{"in", "2026-11-23 22:00"}}, "",
			want{core.DayPresent, 480, 480, 660, 180, 0, 0, "22:00", "09:00", true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &steppedClock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
			e := attendanceEngine(t, "Europe/Paris", clock)
			tapAll(t, e, tt.person, tt.taps)
			if tt.now != "" {
				clock.now = local(t, tt.now, e.Location())
			}
			check(t, dayOf(t, e, tt.person, tt.date), tt.want)
		})
	}
}

// TestNightShiftAcrossDST: a 22:00-06:00 shift lasts 9 h the night the
// clocks go back in October and 7 h the night they go forward in March, in
// Europe/Paris; 8 h in Asia/Tokyo, which has no DST.
func TestNightShiftAcrossDST(t *testing.T) {
	tests := []struct {
		zone, date, next string
		minutes          int
	}{
		{"Europe/Paris", "2026-10-24", "2026-10-25", 540},
		{"Europe/Paris", "2026-03-28", "2026-03-29", 420},
		{"Europe/Paris", "2026-11-21", "2026-11-22", 480},
		{"Asia/Tokyo", "2026-10-24", "2026-10-25", 480},
		{"Asia/Tokyo", "2026-03-28", "2026-03-29", 480},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.date, func(t *testing.T) {
			clock := &steppedClock{now: time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC)}
			e := attendanceEngine(t, tt.zone, clock)
			tapAll(t, e, "nina", []tapAt{{"in", tt.date + " 22:00"}, {"out", tt.next + " 06:00"}})
			m := tt.minutes
			check(t, dayOf(t, e, "nina", tt.date), want{core.DayPresent, m, m, m, 0, 0, 0, "22:00", "06:00", false})
		})
	}
}

func TestTimesheetTotalsAndSelection(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	tapAll(t, e, "ann", []tapAt{{"in", "2026-11-23 09:00"}, {"out", "2026-11-23 17:30"},
		{"in", "2026-11-24 09:20"}, {"out", "2026-11-24 17:30"}})
	from, _ := core.ParseDate("2026-11-23")
	to, _ := core.ParseDate("2026-11-29")
	ts, err := e.Timesheet(cli, core.TimesheetQuery{From: from, To: to, Department: "staff"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range ts.People {
		ids = append(ids, p.Person)
	}
	if strings.Join(ids, ",") != "ann,nick,nina" {
		t.Fatalf("department staff: %v, want ann, nick, nina", ids)
	}
	ann := ts.People[0]
	if len(ann.Days) != 7 {
		t.Fatalf("%d days, want 7", len(ann.Days))
	}
	// Mon 450 + Tue 450 + Wed holiday + Thu 450 + Fri 450 scheduled.
	wantTotals := core.Minutes{Scheduled: 1800, Worked: 450 + 430, Presence: 510 + 490, Overtime: 60 + 60, Late: 20}
	// The payroll fields (paid time as presence until breaks are
	// counted) are left out here.
	got := ann.Totals
	got.Paid, got.Break, got.Night, got.Balance = 0, 0, 0, 0
	if got != wantTotals {
		t.Errorf("totals %+v, want %+v", got, wantTotals)
	}
	statuses := ""
	for _, d := range ann.Days {
		statuses += string(d.Status) + " "
	}
	if statuses != "present late holiday absent absent off off " {
		t.Errorf("statuses %q", statuses)
	}
	// A manager may read it, a boss may not.
	if _, err := e.Timesheet(staffAccount(t, e, "boss1", "", core.PermGrantsEditOwn), core.TimesheetQuery{From: from, To: to}); err == nil {
		t.Error("timesheet without attendance.view: allowed")
	}
	if _, err := e.Timesheet(cli, core.TimesheetQuery{From: to, To: from}); err == nil {
		t.Error("timesheet with to before from: no error")
	}
}

func TestCloseDay(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	loc := e.Location()
	tapAll(t, e, "ann", []tapAt{{"in", "2026-11-23 09:00"}})
	tapAll(t, e, "nick", []tapAt{{"in", "2026-11-23 22:00"}})
	tapAll(t, e, "zed", []tapAt{{"in", "2026-11-23 10:00"}, {"out", "2026-11-23 11:00"}})

	run := func(at string) []core.Event {
		t.Helper()
		evs, err := e.CloseDay(cli, local(t, at, loc))
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}
	if evs := run("2026-11-23 20:59"); len(evs) != 0 {
		t.Fatalf("before the cutoff: %+v", evs)
	}
	evs := run("2026-11-23 21:00")
	if len(evs) != 1 || evs[0].Person != "ann" || evs[0].Result != core.AutoCheckout ||
		!evs[0].At.Equal(local(t, "2026-11-23 21:00", loc)) || evs[0].Zone != "outside" {
		t.Fatalf("at the cutoff: %+v, want ann checked out at 21:00", evs)
	}
	if evs := run("2026-11-23 21:30"); len(evs) != 0 {
		t.Fatalf("run again: %+v, want nothing", evs)
	}
	// The night shift closes 3 h after its 06:00 end.
	if evs := run("2026-11-24 08:59"); len(evs) != 0 {
		t.Fatalf("night shift before its close: %+v", evs)
	}
	evs = run("2026-11-24 12:00")
	if len(evs) != 1 || evs[0].Person != "nick" || !evs[0].At.Equal(local(t, "2026-11-24 09:00", loc)) {
		t.Fatalf("night shift: %+v, want nick at 09:00", evs)
	}
	check(t, dayOf(t, e, "ann", "2026-11-23"), want{core.DayPresent, 450, 450, 720, 270, 0, 0, "09:00", "21:00", true})
	check(t, dayOf(t, e, "nick", "2026-11-23"), want{core.DayPresent, 480, 480, 660, 180, 0, 0, "22:00", "09:00", true})

	// Catching up several days later writes the close that passed.
	tapAll(t, e, "ann", []tapAt{{"in", "2026-11-26 09:00"}})
	evs = run("2026-11-28 10:00")
	if len(evs) != 1 || !evs[0].At.Equal(local(t, "2026-11-26 21:00", loc)) {
		t.Fatalf("catch-up: %+v, want Thursday 21:00", evs)
	}
	if _, err := e.CloseDay(staffAccount(t, e, "viewer", "", core.PermAttendanceView), time.Time{}); err == nil {
		t.Error("close-day without attendance.edit: allowed")
	}
}
