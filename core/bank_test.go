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

// bankSite: one single-window shift, 09:00-17:00 on weekdays (480
// minutes; no gap between windows, so paid time is presence whatever the
// break rules), ann from 2 November 2026, leo from 2 to 18 November.
const bankSite = `{
  "site": {"name": "Bank", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}],
  "shifts": [{"id": "day", "name": "Day", "week": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"],
                "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office"}],
  "devices": [{"id": "in", "kind": "sim", "door": "main", "direction": "in"},
              {"id": "out", "kind": "sim", "door": "main", "direction": "out"}],
  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["main"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all", "shift": "day"}],
  "people": [
    {"id": "ann", "name": "Ann", "started": "2026-11-02", "department": "staff", "cards": ["em:0100000001"]},
    {"id": "leo", "name": "Leo", "started": "2026-11-02", "left": "2026-11-18", "department": "staff", "cards": ["em:0100000002"]},
    {"id": "bob", "name": "Bob", "started": "2026-11-02", "department": "staff"}]
}`

// bankEngine is bankSite on a real file, its clock on 10 December 2026
// (every day of November past), with the site's balance_from set to
// from (zero: not set). Ann came in on 2 November from 08:00 to 18:00:
// 600 minutes, 120 over the 480 scheduled.
func bankEngine(t *testing.T, from core.Date) *core.Engine {
	t.Helper()
	clock := &steppedClock{now: time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC)}
	db := storagetest.MustOpen(t)
	e, err := core.NewEngine(db, clock.read, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(cli, siteFile(t, bankSite)); err != nil {
		t.Fatal(err)
	}
	for _, tp := range []struct{ reader, at string }{{"in", "2026-11-02 08:00"}, {"out", "2026-11-02 18:00"}} {
		ev, err := e.Tap(core.Tap{Reader: tp.reader, Code: "em:0100000001", At: local(t, tp.at, e.Location())})
		if err != nil || ev.Result.Denied() {
			t.Fatalf("tap %v: %v %s", tp, err, ev.Explanation)
		}
	}
	if from == (core.Date{}) {
		return e
	}
	err = db.Update(func(tx core.Tx) error {
		s, err := tx.Site()
		if err != nil {
			return err
		}
		s.BalanceFrom = from
		return tx.PutSite(s)
	})
	if err != nil {
		t.Fatal(err)
	}
	// A new engine reads the settings again.
	e, err = core.NewEngine(db, clock.read, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestTimeBank: the opening, corrections and closing of the bank, from
// the started date or the site's balance_from, with corrections before,
// inside and after the period, and for a person who left. The period is
// 16 to 30 November 2026: 11 weekdays, everyone absent (-480 each).
func TestTimeBank(t *testing.T) {
	type adj struct {
		person, date string
		minutes      int
	}
	// Ann's corrections: before her bank starts, before the period,
	// inside it, after it.
	annAdjs := []adj{{"ann", "2026-10-01", 60}, {"ann", "2026-11-10", 300}, {"ann", "2026-11-20", -120}, {"ann", "2026-12-05", 999}}
	tests := []struct {
		name        string
		balanceFrom string
		adjs        []adj
		person      string
		want        core.TimeBank
		kept        bool
	}{
		{name: "no balance_from, no correction: no bank", person: "ann", want: core.TimeBank{}},
		{name: "balance_from alone keeps a bank", balanceFrom: "2026-11-01", person: "ann", kept: true,
			// 2 to 13 November: +120 on the 2nd, nine absent days.
			want: core.TimeBank{From: date(t, "2026-11-02"), Opening: 120 - 9*480, Closing: 120 - 9*480 - 11*480}},
		{name: "from the started date", adjs: annAdjs, person: "ann", kept: true,
			want: core.TimeBank{From: date(t, "2026-11-02"), Opening: 120 - 9*480 + 300, Adjustments: -120,
				Closing: 120 - 9*480 + 300 - 120 - 11*480}},
		{name: "from balance_from, later than started", balanceFrom: "2026-11-09", adjs: annAdjs, person: "ann", kept: true,
			want: core.TimeBank{From: date(t, "2026-11-09"), Opening: -5*480 + 300, Adjustments: -120,
				Closing: -5*480 + 300 - 120 - 11*480}},
		{name: "balance_from inside the period: days and corrections before it do not count", balanceFrom: "2026-11-23",
			adjs: annAdjs, person: "ann", kept: true,
			want: core.TimeBank{From: date(t, "2026-11-23"), Closing: -6 * 480}},
		{name: "a person who left, paid out after leaving", adjs: []adj{{"leo", "2026-11-27", 13 * 480}}, person: "leo", kept: true,
			// 10 absent days before the period, 3 inside (16-18), none after.
			want: core.TimeBank{From: date(t, "2026-11-02"), Opening: -10 * 480, Adjustments: 13 * 480, Closing: 0}},
		{name: "another's corrections keep the bank, not change it", adjs: annAdjs, person: "bob", kept: true,
			want: core.TimeBank{From: date(t, "2026-11-02"), Opening: -10 * 480, Closing: -21 * 480}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var from core.Date
			if tt.balanceFrom != "" {
				from = date(t, tt.balanceFrom)
			}
			e := bankEngine(t, from)
			for _, a := range tt.adjs {
				if _, err := e.AdjustBalance(cli, core.BalanceAdjustment{Person: a.person, Date: date(t, a.date), Minutes: a.minutes,
					Reason: "test"}); err != nil {
					t.Fatal(err)
				}
			}
			ts, err := e.Timesheet(cli, core.TimesheetQuery{From: date(t, "2026-11-16"), To: date(t, "2026-11-30"), Person: tt.person})
			if err != nil {
				t.Fatal(err)
			}
			if ts.Uses.Balance != tt.kept {
				t.Errorf("Uses.Balance: got %v, want %v", ts.Uses.Balance, tt.kept)
			}
			if got := ts.People[0].Bank; got != tt.want {
				t.Errorf("bank:\n got %+v\nwant %+v", got, tt.want)
			}
			// Each day's bank_minutes runs from the opening to the
			// closing: the day before plus the day's balance and the
			// corrections dated on it.
			days, running := ts.People[0].Days, tt.want.Opening
			for _, d := range days {
				if tt.want.From == (core.Date{}) || d.Date.Before(tt.want.From) {
					if d.Bank != 0 {
						t.Errorf("%s: bank %d outside the bank's days", d.Date, d.Bank)
					}
					continue
				}
				running += d.Balance
				for _, a := range tt.adjs {
					if a.person == tt.person && date(t, a.date) == d.Date {
						running += a.minutes
					}
				}
				if d.Bank != running {
					t.Errorf("%s: bank %d, want %d", d.Date, d.Bank, running)
				}
			}
			if last := days[len(days)-1]; tt.kept && last.Bank != tt.want.Closing {
				t.Errorf("the last day's bank %d, the closing %d", last.Bank, tt.want.Closing)
			}
		})
	}
}

// TestTimeBankOpeningIsTheTimesheet: the opening, however far back the
// bank starts, is the sum of the balance_minutes the timesheet of those
// days gives, plus the corrections: a property over periods and starts.
func TestTimeBankOpeningIsTheTimesheet(t *testing.T) {
	e := bankEngine(t, date(t, "2026-01-01"))
	if _, err := e.AdjustBalance(cli, core.BalanceAdjustment{Person: "ann", Date: date(t, "2026-11-05"), Minutes: 45, Reason: "carried over"}); err != nil {
		t.Fatal(err)
	}
	for _, person := range []string{"ann", "leo", "bob"} {
		for _, first := range []string{"2026-11-01", "2026-11-03", "2026-11-17", "2026-11-19", "2026-12-01", "2027-03-01"} {
			t.Run(person+" "+first, func(t *testing.T) {
				q := core.TimesheetQuery{From: date(t, first), To: date(t, first).AddDays(6), Person: person}
				ts, err := e.Timesheet(cli, q)
				if err != nil {
					t.Fatal(err)
				}
				bank := ts.People[0].Bank
				want := 0
				if bank.From.Before(q.From) {
					before, err := e.Timesheet(cli, core.TimesheetQuery{From: bank.From, To: q.From.AddDays(-1), Person: person})
					if err != nil {
						t.Fatal(err)
					}
					want = before.People[0].Totals.Balance
				}
				adjs, err := e.BalanceAdjustments(cli, person, bank.From, q.From.AddDays(-1))
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range adjs {
					want += a.Minutes
				}
				if bank.Opening != want {
					t.Errorf("opening from %s: got %d, want %d", bank.From, bank.Opening, want)
				}
				if c := bank.Opening + bank.Adjustments + ts.People[0].Totals.Balance; bank.Closing != c {
					t.Errorf("closing: got %d, want %d", bank.Closing, c)
				}
			})
		}
	}
}

// TestAdjustBalanceRefused: bad input is refused with the field and the
// code of each problem, and stores nothing; so does an actor without
// attendance.edit, and nothing is audited then.
func TestAdjustBalanceRefused(t *testing.T) {
	e := bankEngine(t, core.Date{})
	viewer := staffAccount(t, e, "viewer", "ann", core.PermAttendanceView)
	editor := staffAccount(t, e, "editor", "bob", core.PermAttendanceEdit, core.PermAttendanceView)
	good := core.BalanceAdjustment{Person: "ann", Date: date(t, "2026-11-30"), Minutes: -120, Reason: "paid out"}
	tests := []struct {
		name   string
		change func(*core.BalanceAdjustment)
		is     error
		field  string
		code   string
	}{
		{"no person", func(a *core.BalanceAdjustment) { a.Person = " " }, core.ErrInvalid, "person", "required"},
		{"unknown person", func(a *core.BalanceAdjustment) { a.Person = "nobody" }, core.ErrNotFound, "person", "no_person"},
		{"no date", func(a *core.BalanceAdjustment) { a.Date = core.Date{} }, core.ErrInvalid, "date", "required"},
		{"bad date", func(a *core.BalanceAdjustment) { a.Date = core.Date{Year: 2026, Month: 2, Day: 30} }, core.ErrInvalid, "date", "bad_time"},
		{"zero minutes", func(a *core.BalanceAdjustment) { a.Minutes = 0 }, core.ErrInvalid, "minutes", "not_zero"},
		{"more than 1000 h", func(a *core.BalanceAdjustment) { a.Minutes = 1000*60 + 1 }, core.ErrInvalid, "minutes", "too_large"},
		{"less than -1000 h", func(a *core.BalanceAdjustment) { a.Minutes = -1000*60 - 1 }, core.ErrInvalid, "minutes", "too_large"},
		{"blank reason", func(a *core.BalanceAdjustment) { a.Reason = " \n\t" }, core.ErrInvalid, "reason", "required"},
		{"reason with a control character", func(a *core.BalanceAdjustment) { a.Reason = "paid\x00out" }, core.ErrInvalid, "reason", "control_char"},
	}
	audited := func() int {
		n := 0
		if err := e.Audit(cli, core.AuditQuery{}, func(core.AuditEntry) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := audited()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := good
			tt.change(&a)
			_, err := e.AdjustBalance(editor, a)
			if !errors.Is(err, tt.is) {
				t.Fatalf("got %v, want %v", err, tt.is)
			}
			ps := core.ProblemsOf(err)
			if len(ps) != 1 || ps[0].Field != tt.field || ps[0].Code != tt.code {
				t.Errorf("problems: got %v, want %s: %s", ps, tt.field, tt.code)
			}
		})
	}
	if _, err := e.AdjustBalance(viewer, good); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("without attendance.edit: got %v, want forbidden", err)
	}
	if got, err := e.BalanceAdjustments(cli, "", core.Date{}, core.Date{}); err != nil || len(got) != 0 {
		t.Errorf("stored: got %v, %v, want nothing", got, err)
	}
	if n := audited(); n != before {
		t.Errorf("audit entries: got %d, want %d (nothing audited)", n, before)
	}
}

// TestAdjustBalanceAudited: a correction and its deletion are audited on
// the person's bank with the minutes and the reason; the list filters by
// person and date; deleting needs attendance.edit.
func TestAdjustBalanceAudited(t *testing.T) {
	e := bankEngine(t, core.Date{})
	viewer := staffAccount(t, e, "viewer", "ann", core.PermAttendanceView)
	editor := staffAccount(t, e, "editor", "bob", core.PermAttendanceEdit, core.PermAttendanceView)
	a1, err := e.AdjustBalance(editor, core.BalanceAdjustment{Person: "ann", Date: date(t, "2026-11-30"), Minutes: -120, Reason: " paid out\r\nin November "})
	if err != nil {
		t.Fatal(err)
	}
	if a1.ID != "b1" || a1.By != "editor" || a1.Reason != "paid out\nin November" || a1.At.IsZero() {
		t.Errorf("stored: got %+v", a1)
	}
	if _, err := e.AdjustBalance(editor, core.BalanceAdjustment{Person: "leo", Date: date(t, "2026-11-03"), Minutes: 30, Reason: "carried over"}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		person, from, to string
		want             string
	}{{"", "", "", "b2,b1"}, {"ann", "", "", "b1"}, {"", "2026-11-04", "", "b1"}, {"", "", "2026-11-29", "b2"}, {"bob", "", "", ""}} {
		var from, to core.Date
		if tt.from != "" {
			from = date(t, tt.from)
		}
		if tt.to != "" {
			to = date(t, tt.to)
		}
		got, err := e.BalanceAdjustments(viewer, tt.person, from, to)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range got {
			ids = append(ids, a.ID)
		}
		if strings.Join(ids, ",") != tt.want {
			t.Errorf("list %q %s..%s: got %v, want %s", tt.person, tt.from, tt.to, ids, tt.want)
		}
	}
	if _, err := e.DeleteBalanceAdjustment(viewer, "b1"); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("delete without attendance.edit: got %v, want forbidden", err)
	}
	if _, err := e.DeleteBalanceAdjustment(editor, "b9"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("delete b9: got %v, want not found", err)
	}
	old, err := e.DeleteBalanceAdjustment(editor, "b1")
	if err != nil || old.Minutes != -120 {
		t.Fatalf("delete b1: got %+v, %v", old, err)
	}
	var trail []string
	err = e.Audit(cli, core.AuditQuery{}, func(en core.AuditEntry) error {
		if strings.HasPrefix(en.Action, "balance.") {
			trail = append(trail, fmt.Sprintf("%s %s %s %s %s", en.Actor, en.Action, en.Object, en.Before, en.After))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) != 3 {
		t.Fatalf("audit: got %q, want 3 entries", trail)
	}
	for i, w := range []string{`editor balance.adjust people/ann/balance  {"id":"b1","person":"ann","date":"2026-11-30","minutes":-120,"reason":"paid out\nin November"`,
		`editor balance.adjust people/leo/balance  {"id":"b2"`,
		`editor balance.delete people/ann/balance {"id":"b1","person":"ann","date":"2026-11-30","minutes":-120`} {
		if !strings.HasPrefix(trail[i], w) {
			t.Errorf("audit %d: got %s, want it to start with %s", i, trail[i], w)
		}
	}
	// A person with corrections is not deleted: they name the person.
	if _, err := e.DeletePerson(cli, "leo"); !errors.Is(err, core.ErrConflict) {
		t.Errorf("delete leo with a correction: got %v, want conflict", err)
	}
}
