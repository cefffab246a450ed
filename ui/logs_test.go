package ui

import (
	"encoding/binary"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
	"frontdesk/storage"
)

// logSite has two doors: Bob owns the lab, nobody the main entrance; Ann
// may open both, Bob (a master) every door.
const logSite = `{
  "site": {"name": "Log HQ", "timezone": "Europe/Paris", "desk_zone": "lobby"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lobby", "name": "Lobby", "work": true},
            {"id": "lab", "name": "Lab", "work": true}],
  "doors": [{"id": "main", "name": "Main entrance", "from": "outside", "to": "lobby"},
            {"id": "lab", "name": "Lab", "from": "lobby", "to": "lab", "owners": ["bob"]}],
  "devices": [
    {"id": "main-in", "kind": "sim", "door": "main", "direction": "in"},
    {"id": "main-out", "kind": "sim", "door": "main", "direction": "out"},
    {"id": "lab-in", "kind": "sim", "door": "lab", "direction": "in"},
    {"id": "desk", "kind": "sim", "desk": true}],
  "access_levels": [{"id": "all", "name": "All doors", "rules": [{"doors": ["main", "lab"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "department": "staff", "cards": ["em:0102B0A5FD"]},
    {"id": "bob", "name": "Bob Stone", "master": true, "cards": ["em:0A00000001"]}]
}`

const (
	annCard = "em:0102B0A5FD"
	bobCard = "em:0A00000001"
)

// newLogEngine imports logSite; the clock starts on Tuesday 2026-11-24 at
// 09:00 in Paris.
func newLogEngine(t *testing.T) (*core.Engine, *clock) {
	t.Helper()
	return siteEngine(t, logSite, time.Date(2026, 11, 24, 9, 0, 0, 0, paris))
}

// tapLater moves the clock on a minute, past the debounce, and taps.
func tapLater(t *testing.T, e *core.Engine, c *clock, reader, code string) core.Event {
	t.Helper()
	c.now = c.now.Add(time.Minute)
	return tap(t, e, reader, code)
}

// newLog builds the event log of actor in a test window, with a bridge to
// it through a test UI thread, and waits for its first page.
func newLog(t *testing.T, e *core.Engine, actor core.Actor) (*logScreen, fyne.Window, uiThread) {
	t.Helper()
	ui := make(uiThread, 64)
	s, b := bridgedSession(t, e, actor, ui)
	l := newLogScreen(s)
	l.do = ui.do
	w := testWindow(t, l.build())
	startBridge(t, b)
	ui.until(t, "the first page", func() bool { return !l.loading })
	return l, w, ui
}

// logRow is the text of the log's row i, column by column.
func logRow(l *logScreen, i int) []string {
	out := make([]string, logColumns)
	for col := range logColumns {
		out[col], _ = l.cell(i, col)
	}
	return out
}

func TestEventLogLiveAndFilteredByDoor(t *testing.T) {
	test.NewTempApp(t)
	e, c := newLogEngine(t)
	tapLater(t, e, c, "main-in", annCard)
	tapLater(t, e, c, "main-in", "em:00DEADBEEF")
	l, w, ui := newLog(t, e, core.CommandLine("test"))
	if len(l.rows) != 2 || l.rows[0].Card != "em:00DEADBEEF" {
		t.Fatalf("first page: %d rows, want the unknown card on top of 2", len(l.rows))
	}
	if got := logRow(l, 0); got[colPerson] != "Unknown card" || got[colResult] != "Denied: unknown card" {
		t.Errorf("top row %q", got)
	}

	ev := tapLater(t, e, c, "lab-in", annCard)
	ui.until(t, "the lab tap on top", func() bool { return len(l.rows) == 3 })
	if l.rows[0].Seq != ev.Seq {
		t.Fatalf("top row seq %d, want the new tap %d", l.rows[0].Seq, ev.Seq)
	}
	want := []string{"2026-11-24 09:03:00", "Lab, in", "Ann Martin", annCard, "Granted"}
	if got := logRow(l, 0); !slices.Equal(got[:colWhy], want) || !strings.Contains(got[colWhy], "All doors") {
		t.Errorf("top row %q, want %q and the rule", got, want)
	}
	if _, imp := l.cell(0, colResult); imp != widget.SuccessImportance {
		t.Errorf("granted shown with importance %v", imp)
	}
	if _, imp := l.cell(1, colResult); imp != widget.DangerImportance {
		t.Errorf("denied shown with importance %v", imp)
	}
	texts := shownTexts(w)
	for _, s := range []string{"Lab, in", "Main entrance, in", "Ann Martin", "Explanation"} {
		if !slices.Contains(texts, s) {
			t.Errorf("the window shows no %q: %q", s, texts)
		}
	}

	// Only the lab.
	l.door.SetSelected("Lab (lab)")
	ui.until(t, "the lab's events", func() bool { return !l.loading })
	if len(l.rows) != 1 || l.rows[0].Door != "lab" {
		t.Fatalf("lab filter: %d rows, want the one lab event", len(l.rows))
	}
	tapLater(t, e, c, "main-out", annCard)
	bobs := tapLater(t, e, c, "lab-in", bobCard)
	ui.until(t, "Bob's lab tap", func() bool { return len(l.rows) == 2 })
	if l.rows[0].Seq != bobs.Seq || l.rows[0].Door != "lab" || l.rows[1].Door != "lab" {
		t.Errorf("lab filter rows %v, want Bob's tap on top of Ann's", []string{l.rows[0].Person, l.rows[1].Person})
	}
	if got := logRow(l, 0)[colPerson]; got != "Bob Stone" {
		t.Errorf("person %q, want Bob Stone", got)
	}

	// Denied only, and a person.
	l.door.SetSelectedIndex(0)
	l.results.SetSelected("Denied")
	ui.until(t, "the refusals", func() bool { return !l.loading })
	if len(l.rows) != 1 || l.rows[0].Result != core.DeniedUnknownCard {
		t.Errorf("denied filter: %d rows", len(l.rows))
	}
	l.results.SetSelectedIndex(0)
	l.person.SetText("ann")
	test.Tap(l.show)
	ui.until(t, "Ann's events", func() bool { return !l.loading })
	if len(l.rows) != 3 {
		t.Errorf("Ann's events: %d rows, want 3", len(l.rows))
	}
	l.from.SetText("24/11/2026")
	test.Tap(l.show)
	if !l.problem.Visible() || !strings.HasPrefix(l.problem.Text, "From: ") {
		t.Errorf("bad date: problem %q", l.problem.Text)
	}
}

func TestEventLogBossSeesOwnDoors(t *testing.T) {
	test.NewTempApp(t)
	e, c := newLogEngine(t)
	tapLater(t, e, c, "main-in", annCard)
	lab := tapLater(t, e, c, "lab-in", annCard)
	tapLater(t, e, c, "desk", bobCard)
	boss := staffAccount(t, e, "bob", "bob", core.PermDoorsView, core.PermGrantsEditOwn, core.PermLogsViewOwn)
	s := testSession(t, e, boss)
	if !s.canAny(eventLogPage().needs...) {
		t.Fatal("the boss does not see the event log page")
	}

	l, _, ui := newLog(t, e, boss)
	if want := []string{"All my doors", "Lab (lab)"}; !slices.Equal(l.door.Options, want) {
		t.Errorf("door choices %q, want %q", l.door.Options, want)
	}
	if len(l.rows) != 1 || l.rows[0].Seq != lab.Seq {
		t.Fatalf("the boss sees %d events, want only the lab's", len(l.rows))
	}
	// Without people.view the person is shown by id.
	if got := logRow(l, 0)[colPerson]; got != "ann" {
		t.Errorf("person %q, want the id ann", got)
	}

	tapLater(t, e, c, "main-out", annCard)
	tapLater(t, e, c, "desk", annCard)
	mine := tapLater(t, e, c, "lab-in", bobCard)
	ui.until(t, "the boss's new lab event", func() bool { return len(l.rows) == 2 })
	// The bridge hands the events over in order: the two before were
	// handled and left out.
	if l.rows[0].Seq != mine.Seq {
		t.Errorf("top row seq %d, want %d", l.rows[0].Seq, mine.Seq)
	}
	for _, ev := range l.rows {
		if ev.Door != "lab" {
			t.Errorf("the boss sees an event of door %q", ev.Door)
		}
	}

	noLog := staffAccount(t, e, "clerk", "", core.PermPeopleView)
	if testSession(t, e, noLog).canAny(eventLogPage().needs...) {
		t.Error("an account without logs.view sees the event log page")
	}
}

func TestEventLogPages(t *testing.T) {
	test.NewTempApp(t)
	e, c := newLogEngine(t)
	// 1,100 events, three at each instant, so that pages end inside an
	// instant.
	const n = 1100
	readers := []string{"main-in", "main-out", "lab-in"}
	for i := range n {
		if i%3 == 0 {
			c.now = c.now.Add(time.Minute)
		}
		tap(t, e, readers[i%3], annCard)
	}
	l, _, ui := newLog(t, e, core.CommandLine("test"))
	if len(l.rows) != logPageSize || !l.more || !l.moreBtn.Visible() {
		t.Fatalf("first page: %d rows, more %v", len(l.rows), l.more)
	}
	for l.more {
		before := len(l.rows)
		test.Tap(l.moreBtn)
		ui.until(t, "the next page", func() bool { return !l.paging })
		if len(l.rows) == before {
			t.Fatal("Load more added nothing")
		}
	}
	if len(l.rows) != n || l.moreBtn.Visible() {
		t.Fatalf("after loading all: %d rows, want %d", len(l.rows), n)
	}
	for i := 1; i < len(l.rows); i++ {
		if !l.filter.newer(l.rows[i-1], l.rows[i]) {
			t.Fatalf("row %d (seq %d) is not older than row %d (seq %d)", i, l.rows[i].Seq, i-1, l.rows[i-1].Seq)
		}
	}
	if l.rows[n-1].Seq != 1 {
		t.Errorf("last row seq %d, want 1", l.rows[n-1].Seq)
	}
}

// newAudit builds the audit trail of actor in a test window and waits
// for its first page.
func newAudit(t *testing.T, e *core.Engine, actor core.Actor) (*auditScreen, fyne.Window, uiThread) {
	t.Helper()
	ui := make(uiThread, 64)
	a := newAuditScreen(testSession(t, e, actor))
	a.do = ui.do
	w := testWindow(t, a.build())
	ui.until(t, "the audit trail", func() bool { return !a.busy })
	return a, w, ui
}

func TestAuditShowsGrantChange(t *testing.T) {
	test.NewTempApp(t)
	e, c := newLogEngine(t)
	boss := staffAccount(t, e, "bob", "bob", core.PermDoorsView, core.PermGrantsEditOwn, core.PermLogsViewOwn)
	c.now = c.now.Add(time.Hour)
	g, err := e.AddGrant(boss, core.Grant{Person: "ann", Door: "lab", Kind: core.GrantOnce, Uses: 3})
	if err != nil {
		t.Fatal(err)
	}
	auditor := staffAccount(t, e, "auditor", "", core.PermAuditView)
	if !testSession(t, e, auditor).canAny(auditPage().needs...) || testSession(t, e, boss).canAny(auditPage().needs...) {
		t.Fatal("the audit page is offered by audit.view")
	}

	a, w, ui := newAudit(t, e, auditor)
	if len(a.rows) == 0 {
		t.Fatal("no audit entries")
	}
	// Newest first: the auditor's account, then its role, then Bob's grant.
	var top core.AuditEntry
	for _, r := range a.rows {
		if r.Action == "grant.add" {
			top = r
			break
		}
	}
	if top.Actor != "bob" || !strings.Contains(top.Object, g.ID) {
		t.Fatalf("grant entry %+v, want by bob on %s", top, g.ID)
	}
	for i := 1; i < len(a.rows); i++ {
		if a.rows[i].Seq >= a.rows[i-1].Seq {
			t.Fatalf("entries not newest first: seq %d after %d", a.rows[i].Seq, a.rows[i-1].Seq)
		}
	}
	texts := shownTexts(w)
	for _, s := range []string{"grant.add", "bob", "2026-11-24 10:00:00"} {
		if !slices.Contains(texts, s) {
			t.Errorf("the list shows no %q", s)
		}
	}

	a.list.Select(slices.IndexFunc(a.rows, func(r core.AuditEntry) bool { return r.Seq == top.Seq }))
	after, before := richText(a.after), richText(a.before)
	if !strings.Contains(after, `"person": "ann"`) || !strings.Contains(after, `"door": "lab"`) || !strings.Contains(after, `"uses": 3`) {
		t.Errorf("after JSON %q, want the grant", after)
	}
	if !strings.Contains(before, "created") {
		t.Errorf("before %q, want nothing, created", before)
	}
	if !strings.Contains(a.heading.Text, "grant.add") || !strings.Contains(a.heading.Text, "by bob") {
		t.Errorf("heading %q", a.heading.Text)
	}

	// A period without the change.
	a.fromEntry.SetText("2026-11-25")
	test.Tap(a.show)
	ui.until(t, "the empty period", func() bool { return !a.busy })
	if len(a.rows) != 0 || a.status.Text != "No changes in this period." {
		t.Errorf("from the next day: %d rows, status %q", len(a.rows), a.status.Text)
	}
}

func richText(rt *widget.RichText) string {
	var b strings.Builder
	for _, s := range rt.Segments {
		b.WriteString(s.Textual())
	}
	return b.String()
}

func TestAuditPages(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newLogEngine(t)
	cli := core.CommandLine("test")
	for range logPageSize + 20 {
		if _, err := e.AddGrant(cli, core.Grant{Person: "ann", Door: "lab", Kind: core.GrantPermanent}); err != nil {
			t.Fatal(err)
		}
	}
	var total int
	if err := e.Audit(cli, core.AuditQuery{}, func(core.AuditEntry) error { total++; return nil }); err != nil {
		t.Fatal(err)
	}
	a, _, ui := newAudit(t, e, cli)
	if len(a.rows) != logPageSize || !a.more {
		t.Fatalf("first page: %d rows, more %v", len(a.rows), a.more)
	}
	test.Tap(a.moreBtn)
	ui.until(t, "the second page", func() bool { return !a.busy })
	if len(a.rows) != total || a.more {
		t.Fatalf("after Load more: %d rows, want %d", len(a.rows), total)
	}
	for i := 1; i < len(a.rows); i++ {
		if a.rows[i].Seq >= a.rows[i-1].Seq {
			t.Fatalf("seq %d after %d", a.rows[i].Seq, a.rows[i-1].Seq)
		}
	}
}

// TestShotsReportsLogs renders the three screens to PNGs in
// $FRONTDESK_SHOTS, to look at them.
func TestShotsReportsLogs(t *testing.T) {
	test.NewTempApp(t)
	e, c := newLogEngine(t)
	for i := range 30 {
		tapLater(t, e, c, []string{"main-in", "lab-in", "main-out", "desk"}[i%4], []string{annCard, bobCard, "em:00DEADBEEF"}[i%3])
	}
	boss := staffAccount(t, e, "bob", "bob", core.PermDoorsView, core.PermGrantsEditOwn, core.PermLogsViewOwn)
	if _, err := e.AddGrant(boss, core.Grant{Person: "ann", Door: "lab", Kind: core.GrantOnce, Uses: 3}); err != nil {
		t.Fatal(err)
	}
	cli := core.CommandLine("test")

	r, rw, rui := newReports(t, e, cli)
	r.kindSelect.SetSelected("Timesheet")
	buildReport(t, r, rui)
	shot(t, rw, "reports")
	r.kindSelect.SetSelected("Door log")
	r.door.SetSelectedIndex(0)
	buildReport(t, r, rui)
	shot(t, rw, "reports-error")

	_, lw, _ := newLog(t, e, cli)
	shot(t, lw, "log")

	a, aw, _ := newAudit(t, e, cli)
	a.list.Select(0)
	shot(t, aw, "audit")
}

// TestEventLogNamesUnreadableEvents damages the record of one event of
// five: the log shows the four others and says which one it cannot read,
// instead of showing nothing.
func TestEventLogNamesUnreadableEvents(t *testing.T) {
	test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "frontdesk.db")
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, paris)}
	e, err := core.NewEngine(db, c.read, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := core.ReadSiteFile(strings.NewReader(logSite))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(testCLI, f); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		tapLater(t, e, c, "main-in", annCard)
	}
	db.Close()
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(btx *bolt.Tx) error {
		return btx.Bucket([]byte("events")).Put(binary.BigEndian.AppendUint64(nil, 3), []byte("{broken"))
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if e, err = core.NewEngine(db, c.read, nil); err != nil {
		t.Fatal(err)
	}
	l, _, _ := newLog(t, e, testCLI)
	var seqs []uint64
	for _, ev := range l.rows {
		seqs = append(seqs, ev.Seq)
	}
	if !slices.Equal(seqs, []uint64{5, 4, 2, 1}) {
		t.Errorf("rows: got events %v, want 5, 4, 2, 1", seqs)
	}
	if !l.problem.Visible() || !strings.Contains(l.problem.Text, "event 3 cannot be read") {
		t.Errorf("problem: got %q (shown %v), want it to name event 3", l.problem.Text, l.problem.Visible())
	}
}
