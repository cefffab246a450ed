package httpapi

import (
	"errors"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
)

// attendanceAPI is the part of core.API that the routes of doors, the
// log and attendance serve: the engine implements it in process, the
// client through the service.
type attendanceAPI interface {
	DeskReader(id string) bool
	Tap(tap core.Tap) (core.Event, error)
	CheckinPhone(a core.Actor, phone string, at time.Time) (core.Event, error)
	CloseDay(a core.Actor, at time.Time) ([]core.Event, error)
	OpenDoor(a core.Actor, id string) (core.Event, error)
	SetDoorMode(a core.Actor, id string, mode core.DoorMode) (core.Door, error)
	Door(a core.Actor, id string) (core.Door, bool)
	Doors(a core.Actor) []core.Door
	GrantableDoors(a core.Actor) []core.Door
	GrantablePeople(a core.Actor, text string, limit int) ([]core.PersonRef, int, error)
	Zones(a core.Actor) ([]core.Zone, error)
	Devices(a core.Actor) []core.Device
	Health(a core.Actor) []core.DeviceHealth
	CaptureDesk(a core.Actor) (release func(), err error)
	Events(a core.Actor, q core.EventQuery, fn func(core.Event) error) error
	SelfView(a core.Actor, ev core.Event) (core.SelfView, error)
	Audit(a core.Actor, q core.AuditQuery, fn func(core.AuditEntry) error) error
	Timesheet(a core.Actor, q core.TimesheetQuery) (core.Timesheet, error)
	Metrics(a core.Actor, q core.TimesheetQuery) (core.Metrics, error)
	Attendance(a core.Actor, q core.TimesheetQuery) (map[string][]core.AttendanceEntry, error)
	AttendanceSheet(a core.Actor, at time.Time, department string) (*core.SheetReport, error)
	AttendanceDepartments(a core.Actor) ([]core.Department, error)
	AttendanceNames(a core.Actor, ids []string) (map[string]string, error)
	AttendancePeople(a core.Actor, text string, limit int) ([]core.PersonRef, int, error)
	AttendanceRecords(a core.Actor, person string, from, to time.Time) ([]core.AttendanceRecord, error)
	AddAttendance(a core.Actor, rec core.AttendanceRecord) (core.AttendanceRecord, error)
	UpdateAttendance(a core.Actor, rec core.AttendanceRecord) (core.AttendanceRecord, error)
	DeleteAttendance(a core.Actor, id string) (core.AttendanceRecord, error)
	Justifications(a core.Actor, person string, from, to time.Time) ([]core.Justification, error)
	AddJustification(a core.Actor, j core.Justification) (core.Justification, error)
	UpdateJustification(a core.Actor, j core.Justification) (core.Justification, error)
	SetJustificationState(a core.Actor, id string, state core.JustifState) (core.Justification, error)
	DeleteJustification(a core.Actor, id string) (core.Justification, error)
	AttachFile(a core.Actor, id, name string, data []byte) (core.JustifFile, error)
	FileContent(a core.Actor, jid, fid string) ([]byte, core.JustifFile, error)
	DeleteFile(a core.Actor, jid, fid string) (core.JustifFile, error)
	BalanceAdjustments(a core.Actor, person string, from, to core.Date) ([]core.BalanceAdjustment, error)
	AdjustBalance(a core.Actor, adj core.BalanceAdjustment) (core.BalanceAdjustment, error)
	DeleteBalanceAdjustment(a core.Actor, id string) (core.BalanceAdjustment, error)
	Report(a core.Actor, q core.ReportQuery) (core.Report, error)
}

var (
	_ attendanceAPI = (*core.Engine)(nil)
	_ attendanceAPI = (*Client)(nil)
)

// attendanceMethods are the methods of attendanceAPI, each of which the
// scenario calls.
var attendanceMethods = []string{
	"DeskReader", "Tap", "CheckinPhone", "CloseDay", "OpenDoor", "SetDoorMode", "Door", "Doors",
	"GrantableDoors", "GrantablePeople", "Zones", "Devices", "Health", "CaptureDesk", "Events", "SelfView", "Audit",
	"Timesheet", "Metrics", "Attendance", "AttendanceSheet", "AttendanceDepartments", "AttendanceNames",
	"AttendancePeople", "AttendanceRecords", "AddAttendance", "UpdateAttendance", "DeleteAttendance",
	"Justifications", "AddJustification", "UpdateJustification", "SetJustificationState",
	"DeleteJustification", "AttachFile", "FileContent", "DeleteFile", "Report",
	"BalanceAdjustments", "AdjustBalance", "DeleteBalanceAdjustment",
}

// scenarioStep is one call of a scenario and what it returned.
type scenarioStep struct {
	name  string // "Method/case"
	value any
	err   error
}

// scenario calls every method of an attendanceAPI as one actor, in an
// order that makes sense at a reception, and records what each call
// returned. Run on two twin sites (same file, same clock), one in
// process and one through the service, it must record the same.
type scenario struct {
	api   attendanceAPI
	a     core.Actor
	clock *testClock
	// taps: the actor records taps by hand (the command line).
	taps bool
	// desk is the desk check-in whose self-view is read: the command
	// line's run makes it, the others reuse it.
	desk  core.Event
	steps []scenarioStep
}

func (s *scenario) add(name string, v any, err error) {
	s.steps = append(s.steps, scenarioStep{name: name, value: v, err: err})
}

func (s *scenario) events(name string, q core.EventQuery) {
	var out []core.Event
	err := s.api.Events(s.a, q, func(ev core.Event) error {
		out = append(out, ev)
		return nil
	})
	s.add(name, out, err)
}

// idOr is the id v has, or fallback when the call that made it failed
// (a refused actor goes on with the command line's objects).
func idOr(v string, err error, fallback string) string {
	if err != nil || v == "" {
		return fallback
	}
	return v
}

func (s *scenario) run() {
	api, a := s.api, s.a
	s.clock.set(t0)
	s.add("DeskReader/desk", api.DeskReader("desk"), nil)
	s.add("DeskReader/door", api.DeskReader("main-in"), nil)
	s.add("DeskReader/none", api.DeskReader("nope"), nil)
	zones, err := api.Zones(a)
	s.add("Zones", zones, err)
	s.add("Doors", api.Doors(a), nil)
	d, ok := api.Door(a, "lab")
	s.add("Door/lab", []any{d, ok}, nil)
	d, ok = api.Door(a, "nope")
	s.add("Door/none", []any{d, ok}, nil)
	s.add("GrantableDoors", api.GrantableDoors(a), nil)
	s.add("Devices", api.Devices(a), nil)
	s.add("Health", api.Health(a), nil)

	if s.taps {
		ev, err := api.Tap(core.Tap{Reader: "desk", Code: annCard})
		s.add("Tap/desk", ev, err)
		s.desk = ev
		s.clock.set(t0.Add(time.Minute))
		ev, err = api.Tap(core.Tap{Reader: "main-in", Code: carolCard})
		s.add("Tap/door", ev, err)
		ev, err = api.Tap(core.Tap{Reader: "main-in", Code: carolCard, At: t0.Add(62 * time.Second)})
		s.add("Tap/duplicate", ev, err)
		ev, err = api.Tap(core.Tap{Reader: "nope", Code: annCard})
		s.add("Tap/unknown-reader", ev, err)
		ev, err = api.Tap(core.Tap{Reader: "desk", Code: ""})
		s.add("Tap/bad-code", ev, err)
	}
	s.clock.set(s.desk.At.Add(30 * time.Second))
	view, err := api.SelfView(a, s.desk)
	s.add("SelfView", view, err)
	forged := s.desk
	forged.Card = carolCard
	view, err = api.SelfView(a, forged)
	s.add("SelfView/forged", view, err)

	s.clock.set(t0.Add(2 * time.Minute))
	ev, err := api.CheckinPhone(a, "+33 6 12 34 56 78", time.Time{})
	s.add("CheckinPhone", ev, err)
	ev, err = api.CheckinPhone(a, "06 12 34 56 78", t0.Add(3*time.Minute))
	s.add("CheckinPhone/national", ev, err)
	ev, err = api.CheckinPhone(a, "not a phone", time.Time{})
	s.add("CheckinPhone/bad", ev, err)

	ev, err = api.OpenDoor(a, "main")
	s.add("OpenDoor", ev, err)
	ev, err = api.OpenDoor(a, "back")
	s.add("OpenDoor/lockdown", ev, err)
	ev, err = api.OpenDoor(a, "nope")
	s.add("OpenDoor/none", ev, err)
	d, err = api.SetDoorMode(a, "lab", core.DoorLockdown)
	s.add("SetDoorMode/lockdown", d, err)
	d, err = api.SetDoorMode(a, "lab", core.DoorNormal)
	s.add("SetDoorMode/normal", d, err)
	d, err = api.SetDoorMode(a, "lab", "ajar")
	s.add("SetDoorMode/bad", d, err)
	d, err = api.SetDoorMode(a, "nope", core.DoorNormal)
	s.add("SetDoorMode/none", d, err)

	s.records()
	s.justifications()
	s.balance()

	// The close of Monday's work day has passed: ann, still in, is
	// checked out.
	s.clock.set(t0.Add(14 * time.Hour))
	evs, err := api.CloseDay(a, time.Time{})
	s.add("CloseDay", evs, err)
	evs, err = api.CloseDay(a, t0.Add(15*time.Hour))
	s.add("CloseDay/again", evs, err)

	s.sheets()
	s.reports()

	s.events("Events", core.EventQuery{})
	s.events("Events/door", core.EventQuery{Door: "main", Limit: 2, Reverse: true})
	s.events("Events/person", core.EventQuery{Person: "ann"})
	s.events("Events/not-own", core.EventQuery{Door: "back"})
	s.events("Events/period", core.EventQuery{From: t0.Add(time.Minute), To: t0.Add(3 * time.Minute)})
	for _, q := range []core.AuditQuery{{}, {Limit: 3}, {From: t0, To: t0.Add(time.Hour)}} {
		var out []core.AuditEntry
		err := api.Audit(a, q, func(e core.AuditEntry) error {
			out = append(out, e)
			return nil
		})
		s.add("Audit", out, err)
	}

	release, err := api.CaptureDesk(a)
	if err == nil {
		release()
	}
	s.add("CaptureDesk", nil, err)
}

// records enters, changes, lists and deletes attendance records.
func (s *scenario) records() {
	api, a := s.api, s.a
	day := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, paris) }
	r1, err := api.AddAttendance(a, core.AttendanceRecord{Person: "carol", From: day(20, 9, 0), Until: day(20, 12, 0),
		State: core.AttendanceAbsent, Description: "doctor"})
	s.add("AddAttendance", r1, err)
	r2, err := api.AddAttendance(a, core.AttendanceRecord{Person: "ann", From: day(19, 9, 0), Until: day(19, 10, 0),
		State: core.AttendanceLate})
	s.add("AddAttendance/late", r2, err)
	r, err := api.AddAttendance(a, core.AttendanceRecord{Person: "ann", From: day(19, 10, 0), Until: day(19, 9, 0),
		State: core.AttendanceLate})
	s.add("AddAttendance/bad", r, err)
	r, err = api.AddAttendance(a, core.AttendanceRecord{Person: "nobody", From: day(19, 9, 0), Until: day(19, 10, 0),
		State: core.AttendanceLate})
	s.add("AddAttendance/nobody", r, err)
	upd := r1
	upd.ID = idOr(r1.ID, nil, "a1")
	upd.Person, upd.From, upd.Until, upd.State = "carol", day(20, 9, 0), day(20, 12, 30), core.AttendanceAbsent
	upd.Description = "doctor, then pharmacy"
	r, err = api.UpdateAttendance(a, upd)
	s.add("UpdateAttendance", r, err)
	upd.ID = "a99"
	r, err = api.UpdateAttendance(a, upd)
	s.add("UpdateAttendance/none", r, err)
	recs, err := api.AttendanceRecords(a, "", time.Time{}, time.Time{})
	s.add("AttendanceRecords", recs, err)
	recs, err = api.AttendanceRecords(a, "carol", day(20, 0, 0), day(21, 0, 0))
	s.add("AttendanceRecords/carol", recs, err)
	r, err = api.DeleteAttendance(a, idOr(r2.ID, nil, "a2"))
	s.add("DeleteAttendance", r, err)
	r, err = api.DeleteAttendance(a, "a99")
	s.add("DeleteAttendance/none", r, err)
}

// justifications deposits, documents, changes, validates and deletes
// justifications.
func (s *scenario) justifications() {
	api, a := s.api, s.a
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, paris) }
	j, err := api.AddJustification(a, core.Justification{Person: "carol", From: day(20), Until: day(21), Reason: "flu"})
	s.add("AddJustification", j, err)
	jid := idOr(j.ID, err, "j1")
	j2, err := api.AddJustification(a, core.Justification{Person: "ann", From: day(19), Until: day(20), State: core.JustifValid})
	s.add("AddJustification/valid", j2, err)
	j, err = api.AddJustification(a, core.Justification{Person: "carol", From: day(21), Until: day(20)})
	s.add("AddJustification/bad", j, err)

	f1, err := api.AttachFile(a, jid, "certificat médical.pdf", []byte("%PDF-1.4 a doctor's note"))
	s.add("AttachFile", f1, err)
	fid1 := idOr(f1.ID, err, "f1")
	f2, err := api.AttachFile(a, jid, "scan.png", []byte{0x89, 'P', 'N', 'G', 0, 1, 2, 3})
	s.add("AttachFile/second", f2, err)
	fid2 := idOr(f2.ID, err, "f2")
	f, err := api.AttachFile(a, jid, "empty.txt", nil)
	s.add("AttachFile/empty", f, err)
	f, err = api.AttachFile(a, "j99", "note.txt", []byte("x"))
	s.add("AttachFile/none", f, err)

	js, err := api.Justifications(a, "", time.Time{}, time.Time{})
	s.add("Justifications", js, err)
	js, err = api.Justifications(a, "carol", day(20), day(21))
	s.add("Justifications/carol", js, err)

	data, f, err := api.FileContent(a, jid, fid1)
	s.add("FileContent", []any{data, f}, err)
	data, f, err = api.FileContent(a, "j1", "f1")
	s.add("FileContent/first", []any{data, f}, err)
	f, err = api.DeleteFile(a, jid, fid2)
	s.add("DeleteFile", f, err)
	f, err = api.DeleteFile(a, jid, fid2)
	s.add("DeleteFile/again", f, err)
	data, f, err = api.FileContent(a, jid, fid2)
	s.add("FileContent/deleted", []any{data, f}, err)

	j, err = api.UpdateJustification(a, core.Justification{ID: jid, From: day(20), Until: day(22), Reason: "flu, two days"})
	s.add("UpdateJustification", j, err)
	j, err = api.SetJustificationState(a, jid, core.JustifValid)
	s.add("SetJustificationState", j, err)
	j, err = api.SetJustificationState(a, jid, "maybe")
	s.add("SetJustificationState/bad", j, err)
	j, err = api.DeleteJustification(a, idOr(j2.ID, nil, "j2"))
	s.add("DeleteJustification", j, err)
	j, err = api.DeleteJustification(a, "j99")
	s.add("DeleteJustification/none", j, err)
}

// balance corrects time banks, lists and deletes corrections: the
// timesheets read after it carry the banks.
func (s *scenario) balance() {
	api, a := s.api, s.a
	day := func(d int) core.Date { return core.Date{Year: 2026, Month: 11, Day: d} }
	b1, err := api.AdjustBalance(a, core.BalanceAdjustment{Person: "carol", Date: day(16), Minutes: -120, Reason: "paid out"})
	s.add("AdjustBalance", b1, err)
	b2, err := api.AdjustBalance(a, core.BalanceAdjustment{Person: "ann", Date: day(2), Minutes: 90, Reason: "carried over"})
	s.add("AdjustBalance/before", b2, err)
	b, err := api.AdjustBalance(a, core.BalanceAdjustment{Person: "ann", Date: day(2), Minutes: 0, Reason: " "})
	s.add("AdjustBalance/bad", b, err)
	b, err = api.AdjustBalance(a, core.BalanceAdjustment{Person: "nobody", Date: day(2), Minutes: 10, Reason: "x"})
	s.add("AdjustBalance/nobody", b, err)
	bs, err := api.BalanceAdjustments(a, "", core.Date{}, core.Date{})
	s.add("BalanceAdjustments", bs, err)
	bs, err = api.BalanceAdjustments(a, "carol", day(10), day(20))
	s.add("BalanceAdjustments/carol", bs, err)
	b3, err := api.AdjustBalance(a, core.BalanceAdjustment{Person: "carol", Date: day(17), Minutes: 15, Reason: "typo"})
	s.add("AdjustBalance/again", b3, err)
	b, err = api.DeleteBalanceAdjustment(a, idOr(b3.ID, err, "b3"))
	s.add("DeleteBalanceAdjustment", b, err)
	b, err = api.DeleteBalanceAdjustment(a, "b99")
	s.add("DeleteBalanceAdjustment/none", b, err)
}

// sheets reads timesheets, metrics, records and the attendance sheet.
func (s *scenario) sheets() {
	api, a := s.api, s.a
	week := core.TimesheetQuery{From: core.Date{Year: 2026, Month: 11, Day: 16}, To: core.Date{Year: 2026, Month: 11, Day: 23}}
	carol, sales := week, week
	carol.Person, sales.Department = "carol", "sales"
	backwards := core.TimesheetQuery{From: week.To, To: week.From}
	nobody := week
	nobody.Person = "nobody"
	for _, q := range []struct {
		name string
		q    core.TimesheetQuery
	}{{"", week}, {"/carol", carol}, {"/sales", sales}, {"/backwards", backwards}, {"/nobody", nobody}} {
		ts, err := api.Timesheet(a, q.q)
		s.add("Timesheet"+q.name, ts, err)
		m, err := api.Metrics(a, q.q)
		s.add("Metrics"+q.name, m, err)
		att, err := api.Attendance(a, q.q)
		s.add("Attendance"+q.name, att, err)
	}
	sheet, err := api.AttendanceSheet(a, t0.Add(time.Hour), "")
	s.add("AttendanceSheet", sheet, err)
	sheet, err = api.AttendanceSheet(a, time.Time{}, "sales")
	s.add("AttendanceSheet/now", sheet, err)
	sheet, err = api.AttendanceSheet(a, time.Time{}, "nope")
	s.add("AttendanceSheet/none", sheet, err)
	deps, err := api.AttendanceDepartments(a)
	s.add("AttendanceDepartments", deps, err)
	names, err := api.AttendanceNames(a, []string{"ann", "nobody", "carol", "", "ann"})
	s.add("AttendanceNames", names, err)
	for _, q := range []struct {
		text  string
		limit int
	}{{"", 0}, {"an", 2}, {"zzz", 1}} {
		people, total, err := api.AttendancePeople(a, q.text, q.limit)
		s.add("AttendancePeople", []any{people, total}, err)
		people, total, err = api.GrantablePeople(a, q.text, q.limit)
		s.add("GrantablePeople", []any{people, total}, err)
	}
}

// reportQueries are a query of each kind of report, and one refused.
var reportQueries = []core.ReportQuery{
	{Kind: core.ReportAttendance, At: t0.Add(time.Hour)},
	{Kind: core.ReportAttendance, Department: "sales"},
	{Kind: core.ReportTimesheet, From: core.Date{Year: 2026, Month: 11, Day: 16}, To: core.Date{Year: 2026, Month: 11, Day: 23}},
	{Kind: core.ReportAbsences, From: core.Date{Year: 2026, Month: 11, Day: 16}, To: core.Date{Year: 2026, Month: 11, Day: 23}, Department: "sales"},
	{Kind: core.ReportDoorLog, From: core.Date{Year: 2026, Month: 11, Day: 23}, To: core.Date{Year: 2026, Month: 11, Day: 23}, Door: "main"},
	{Kind: core.ReportMuster},
	{Kind: core.ReportAccess},
	{Kind: core.ReportAccess, Door: "lab", Department: "sales"},
	{Kind: core.ReportMuster, Door: "main"},
	{Kind: "payroll"},
}

func (s *scenario) reports() {
	for _, q := range reportQueries {
		r, err := s.api.Report(s.a, q)
		s.add("Report/"+string(q.Kind), r, err)
	}
}

// twins are two sites made alike, one used in process and one served,
// with a client of each kind on the served one.
type twins struct {
	clock         *testClock
	local, served *site
	// cli is the command line's client, on a trusted socket; open is a
	// socket where callers must log in.
	cli  *Client
	open string
}

func newTwins(t *testing.T) *twins {
	t.Helper()
	// The people start at the site three weeks before t0: the records
	// and timesheets of the week before it count.
	tw := &twins{clock: &testClock{t: t0.AddDate(0, 0, -21)}}
	tw.local = newSite(t, tw.clock.now, siteOptions{})
	tw.served = newSite(t, tw.clock.now, siteOptions{})
	for _, s := range []*site{tw.local, tw.served} {
		s.engine.ReportHealth(core.DeviceHealth{Device: "main-in", Kind: "serial-rdm6300", Connected: true,
			Since: t0.Add(-time.Hour), LastFrame: t0.Add(-time.Minute), Frames: 12, Rejected: 1})
		s.engine.ReportHealth(core.DeviceHealth{Device: "relay1", Kind: "usb-dcttech-relay", LastError: "relay did not switch off",
			ErrorAt: t0.Add(-2 * time.Minute), Faulty: []string{"main"}})
	}
	srv := NewServer(tw.served.engine, Options{})
	tw.cli = dial(t, serve(t, srv, trusted()))
	tw.open = serve(t, srv, stranger())
	return tw
}

// TestAttendanceThroughTheService runs the scenario in process and
// through the service, as the command line and as two staff accounts of
// limited rights, and checks that every call returns the same: values
// equal (instants compared with Equal), errors with the same message
// matching the same core sentinels.
func TestAttendanceThroughTheService(t *testing.T) {
	tw := newTwins(t)
	cliActor := commandLine(t, tw.cli)
	var desk core.Event
	for _, who := range []struct {
		name, password string
	}{{"", ""}, {"rita", ritaPassword}, {"bob", bobPassword}} {
		local := &scenario{api: tw.local.engine, clock: tw.clock, desk: desk}
		remote := &scenario{api: tw.cli, clock: tw.clock, desk: desk}
		name := "command line"
		if who.name == "" {
			local.a, remote.a = cliActor, cliActor
			local.taps, remote.taps = true, true
		} else {
			name = who.name
			local.a = core.Actor{Kind: core.ActorAccount, Name: who.name}
			if _, err := tw.local.engine.Login(who.name, who.password); err != nil {
				t.Fatal(err)
			}
			remote.api, remote.a = login(t, tw.open, who.name, who.password)
		}
		t.Run(name, func(t *testing.T) {
			local.run()
			remote.run()
			if len(local.steps) != len(remote.steps) {
				t.Fatalf("got %d steps through the service, want %d", len(remote.steps), len(local.steps))
			}
			refused := 0
			for i, want := range local.steps {
				got := remote.steps[i]
				if got.name != want.name {
					t.Fatalf("scenarioStep %d: got %s, want %s", i, got.name, want.name)
				}
				if d := sameError(got.err, want.err); d != "" {
					t.Errorf("%s: %s", want.name, d)
				}
				if d := sameValue(got.value, want.value); d != "" {
					t.Errorf("%s: %s", want.name, d)
				}
				// A forged self-view is refused to everyone.
				if errors.Is(want.err, core.ErrForbidden) && want.name != "SelfView/forged" {
					refused++
				}
				if testing.Verbose() {
					t.Logf("%-28s err=%v", want.name, want.err)
				}
			}
			t.Logf("%d calls, %d refused", len(local.steps), refused)
			if who.name != "" && refused == 0 {
				t.Errorf("%s was refused nothing: the scenario does not test a limited account", who.name)
			}
			if who.name == "" {
				if refused != 0 {
					t.Errorf("the command line was refused %d calls, want none", refused)
				}
				covered := map[string]bool{}
				for _, s := range local.steps {
					covered[strings.SplitN(s.name, "/", 2)[0]] = true
				}
				for _, m := range attendanceMethods {
					if !covered[m] {
						t.Errorf("the scenario does not call %s", m)
					}
				}
			}
		})
		if who.name == "" {
			desk = local.desk
		}
	}
}

// TestTapNeedsTapsReplay: the engine's Tap takes no actor (a reader is
// its own credential); through the service it is a tap by hand, which
// needs taps.replay as the command line's tap does.
func TestTapNeedsTapsReplay(t *testing.T) {
	tw := newTwins(t)
	c, a := login(t, tw.open, "rita", ritaPassword)
	_, err := c.Tap(core.Tap{Reader: "desk", Code: annCard})
	want := tw.served.engine.Authorize(a, core.PermTapsReplay)
	if want == nil {
		t.Fatal("rita holds taps.replay: choose an account that does not")
	}
	if d := sameError(err, want); d != "" {
		t.Error(d)
	}
	var n int
	tw.served.engine.Events(core.CommandLine("test"), core.EventQuery{}, func(core.Event) error { n++; return nil })
	if n != 0 {
		t.Errorf("got %d events, want none: the refused tap was recorded", n)
	}
}

// TestTimesheetNeedsBothDays: the service refuses a timesheet, metrics
// or attendance query without its days, which the engine would count as
// a day whose JSON cannot be written.
func TestTimesheetNeedsBothDays(t *testing.T) {
	tw := newTwins(t)
	a := commandLine(t, tw.cli)
	day := core.Date{Year: 2026, Month: 11, Day: 23}
	for _, tt := range []struct {
		q     core.TimesheetQuery
		field string
	}{
		{core.TimesheetQuery{To: day}, "body.from"},
		{core.TimesheetQuery{From: day}, "body.to"},
	} {
		_, err1 := tw.cli.Timesheet(a, tt.q)
		_, err2 := tw.cli.Metrics(a, tt.q)
		_, err3 := tw.cli.Attendance(a, tt.q)
		for _, err := range []error{err1, err2, err3} {
			var we *Error
			if !errors.Is(err, core.ErrInvalid) || !errors.As(err, &we) || we.Field != tt.field {
				t.Errorf("query %+v: got %v, want ErrInvalid naming %s", tt.q, err, tt.field)
			}
		}
	}
}
