package ui

import (
	"bytes"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/assets"
	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// centralEngine is attSite as the central site hq of a company, with
// Lyon's zone and door mirrored and the events Lyon and Nice sent up:
// Ann works the morning of Monday 23 November at hq (taps here, 09:00 to
// 12:30) and the afternoon at Lyon (13:30 to 17:30); an unknown card is
// refused at Lyon at 18:00 and Ann enters at Nice on the 20th. The clock
// reads Tuesday 24 November 10:00.
func centralEngine(t *testing.T) (*core.Engine, *clock) {
	t.Helper()
	db := storagetest.MustOpen(t)
	c := &clock{now: time.Date(2026, 11, 24, 10, 0, 0, 0, paris)}
	e, err := core.NewEngine(db, c.read, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.SetFederation(core.Federation{Site: "hq", IsCentral: true, Central: "hq"})
	if err := db.SetFederationSite("hq"); err != nil {
		t.Fatal(err)
	}
	f, err := core.ReadSiteFile(strings.NewReader(attSite))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(testCLI, f); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ApplySiteObjects("lyon", []core.Zone{{ID: "lyon", Name: "Lyon", Work: true}},
		[]core.Door{{ID: "lyon-main", Name: "Lyon main", From: "outside", To: "lyon"}}); err != nil {
		t.Fatal(err)
	}
	attTap(t, e, "ann", "in", "2026-11-23 09:00")
	attTap(t, e, "ann", "out", "2026-11-23 12:30")
	lyon := []core.Event{
		{Seq: 1, At: attAt(t, "2026-11-23 13:30"), Reader: "lyon-in", Door: "lyon-main", Direction: core.In, Person: "ann",
			Card: attCards["ann"], Zone: "lyon", Result: core.Granted},
		{Seq: 2, At: attAt(t, "2026-11-23 17:30"), Reader: "lyon-out", Door: "lyon-main", Direction: core.Out, Person: "ann",
			Card: attCards["ann"], Zone: "outside", Result: core.Granted},
		{Seq: 3, At: attAt(t, "2026-11-23 18:00"), Reader: "lyon-in", Door: "lyon-main", Direction: core.In,
			Card: "em:00DEADBEEF", Result: core.DeniedUnknownCard},
	}
	if err := db.PutSiteEvents("lyon", lyon); err != nil {
		t.Fatal(err)
	}
	nice := []core.Event{{Seq: 1, At: attAt(t, "2026-11-20 08:00"), Reader: "nice-in", Door: "nice-main", Person: "ann",
		Card: attCards["ann"], Result: core.Granted}}
	if err := db.PutSiteEvents("nice", nice); err != nil {
		t.Fatal(err)
	}
	return e, c
}

// logSites lists the rows of the log as site:seq.
func logSites(l *logScreen) string {
	var out []string
	for _, ev := range l.rows {
		out = append(out, fmt.Sprintf("%s:%d", ev.Site, ev.Seq))
	}
	return strings.Join(out, " ")
}

// TestEventLogSitePicker: at the central site the log offers this site,
// each site whose events are here and all sites; a branch's events show
// without a Site column, every site's with it, newest first, and a new
// tap here shows on top of all sites but not of a branch's.
func TestEventLogSitePicker(t *testing.T) {
	test.NewTempApp(t)
	e, c := centralEngine(t)
	l, w, ui := newLog(t, e, testCLI)
	if l.site == nil {
		t.Fatal("no site picker at the central site")
	}
	if got, want := l.site.sel.Options, []string{"This site (hq)", "lyon", "nice", "All sites"}; !slices.Equal(got, want) {
		t.Fatalf("sites %q, want %q", got, want)
	}
	if got := logSites(l); got != "hq:2 hq:1" {
		t.Errorf("this site: rows %s, want hq:2 hq:1", got)
	}

	l.site.sel.SetSelected("lyon")
	ui.until(t, "Lyon's events", func() bool { return !l.loading })
	if got := logSites(l); got != "lyon:3 lyon:2 lyon:1" {
		t.Errorf("lyon: rows %s", got)
	}
	if slices.Contains(l.cols, colSite) || showsText(w, "Site") && slices.Contains(shownTexts(w), "hq") {
		t.Errorf("a site's log shows a Site column: %v", l.cols)
	}
	if got := logRow(l, 1); got[colDoor] != "Lyon main, out" || got[colPerson] != "Ann Martin" {
		t.Errorf("Lyon's row %q, want Lyon main, out by Ann Martin", got)
	}

	l.site.sel.SetSelected("All sites")
	ui.until(t, "every site's events", func() bool { return !l.loading })
	if got, want := logSites(l), "lyon:3 lyon:2 lyon:1 hq:2 hq:1 nice:1"; got != want {
		t.Errorf("all sites: rows %s, want %s", got, want)
	}
	if l.cols[1] != colSite {
		t.Fatalf("every site's log has columns %v, want the site's second", l.cols)
	}
	// "Load more" goes on after the last row shown, across sites.
	page, more, err := readEventPage(e, testCLI, l.filter, &l.rows[1])
	if err != nil || more || len(page) != 4 || page[0].Site != "lyon" || page[0].Seq != 1 || page[3].Site != "nice" {
		t.Errorf("the page after lyon:2: %v %v %v", page, more, err)
	}
	if got, _ := l.cell(5, colSite); got != "nice" {
		t.Errorf("last row's site %q, want nice", got)
	}
	if texts := shownTexts(w); !slices.Contains(texts, "Site") || !slices.Contains(texts, "lyon") {
		t.Errorf("the window shows no Site column: %q", texts)
	}

	c.now = c.now.Add(time.Minute)
	ev := tap(t, e, "in", attCards["bob"])
	ui.until(t, "Bob's tap on top", func() bool { return len(l.rows) == 7 })
	if l.rows[0].Seq != ev.Seq || l.rows[0].Site != "hq" {
		t.Errorf("top row %s:%d, want hq:%d", l.rows[0].Site, l.rows[0].Seq, ev.Seq)
	}

	// A tap here is not Nice's.
	l.site.sel.SetSelected("nice")
	ui.until(t, "Nice's events", func() bool { return !l.loading })
	c.now = c.now.Add(time.Minute)
	if l.insert([]core.Event{tap(t, e, "out", attCards["bob"])}) {
		t.Errorf("a tap here shows in Nice's log: %s", logSites(l))
	}
}

// TestNoSitePickerAloneOrForABoss: a site alone has no site picker, nor
// has a boss, who sees only the log of their doors.
func TestNoSitePickerAloneOrForABoss(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newLogEngine(t)
	if l, _, _ := newLog(t, e, testCLI); l.site != nil {
		t.Error("a site alone shows a site picker")
	}
	central, _ := centralEngine(t)
	addRole(t, central, "owner", "Owner", core.PermLogsViewOwn, core.PermDoorsView)
	boss := roleAccount(t, central, "bob", "owner")
	if l, _, _ := newLog(t, central, boss); l.site != nil {
		t.Error("a boss is offered other sites' events")
	}
	s := testSession(t, central, boss)
	if p := newSitePicker(s, nil); p != nil || p.site() != "" || !p.pick("") || p.pick("lyon") {
		t.Error("a nil picker does not choose this site alone")
	}
}

// TestAttendanceSitePicker: the timesheet and the metrics count the
// presence of the site picked: Ann's Monday is her morning here, her
// afternoon at Lyon, or both with all sites.
func TestAttendanceSitePicker(t *testing.T) {
	test.NewTempApp(t)
	e, _ := centralEngine(t)
	x, _, ui := newAttendanceTest(t, e, testCLI)
	x.tabs.SelectIndex(1)
	ui.until(t, "the timesheet", func() bool { return !x.sheet.busy })
	if x.sheet.site == nil || x.metrics.site == nil {
		t.Fatal("no site picker on the timesheet or the metrics")
	}
	if x.records.site != nil {
		t.Error("the records by hand offer a site: they are no site's")
	}
	presence := func() string {
		i := attSheetRowOf(t, x.sheet, "ann", "Mon 23")
		return x.sheet.cell(i, attColPresence).text
	}
	for _, tt := range []struct{ site, want string }{{"lyon", "4:00"}, {core.AllSites, "7:30"}, {"", "3:30"}} {
		if !x.sheet.site.pick(tt.site) {
			t.Fatalf("the picker offers no %q", tt.site)
		}
		ui.until(t, "the timesheet of "+tt.site, func() bool { return !x.sheet.busy })
		if got := presence(); got != tt.want {
			t.Errorf("site %q: Ann's presence %s, want %s", tt.site, got, tt.want)
		}
	}

	x.tabs.SelectIndex(3)
	ui.until(t, "the metrics", func() bool { return !x.metrics.busy })
	present := func() string { return x.metrics.cells[0][0].Text }
	here := present()
	x.metrics.site.pick("nice")
	ui.until(t, "Nice's metrics", func() bool { return !x.metrics.busy })
	// Ann's one event at Nice moved her nowhere that counts.
	if got := present(); here != "1" || got != "0" {
		t.Errorf("present: %s here, %s at Nice; want 1 and 0", here, got)
	}
}

// TestReportsSitePicker: the timesheet and absences reports take a site
// at the central site, and the report says whose events it counts; the
// muster list does not.
func TestReportsSitePicker(t *testing.T) {
	test.NewTempApp(t)
	e, _ := centralEngine(t)
	r, _, ui := newReports(t, e, testCLI)
	if r.site == nil {
		t.Fatal("no site picker on the reports page")
	}
	for _, tt := range []struct {
		kind string
		site bool
	}{{"Timesheet", true}, {"Absences and lateness", true}, {"Muster list", false}, {"Attendance sheet", false}, {"Door log", false}} {
		r.kindSelect.SetSelected(tt.kind)
		if got := slices.Contains(formLabels(r), "Site"); got != tt.site {
			t.Errorf("%s: site field %v, want %v", tt.kind, got, tt.site)
		}
	}
	r.kindSelect.SetSelected("Timesheet")
	r.from.SetText("2026-11-23")
	r.to.SetText("2026-11-23")
	r.site.sel.SetSelected("lyon")
	buildReport(t, r, ui)
	if r.built == nil {
		t.Fatalf("no report built: %q", r.problem.Text)
	}
	if !strings.Contains(r.built.report.Filter, "lyon") {
		t.Errorf("Lyon's timesheet says it counts %q", r.built.report.Filter)
	}
	lyon := r.built.report.Fingerprint
	r.site.sel.SetSelected("All sites")
	buildReport(t, r, ui)
	if r.built == nil || r.built.report.Fingerprint == lyon || r.built.report.Filter == "" {
		t.Errorf("every site's timesheet: %+v", r.built)
	}

	lone, _ := attEngine(t)
	if r, _, _ := newReports(t, lone, testCLI); r.site != nil {
		t.Error("a site alone offers a site")
	}
}

// TestSitePickersFit: at the central site, the event log (of all sites,
// with its Site column), the attendance page and the reports page with
// their site pickers fit a 1024x600 screen in English, French and
// Russian (see TestEveryScreenFits).
func TestSitePickersFit(t *testing.T) {
	names := map[string]string{}
	for _, code := range []string{"en", "fr", "ru"} {
		t.Run(code, func(t *testing.T) {
			useLanguage(t, code)
			fa := test.NewTempApp(t)
			fa.Settings().SetTheme(theme.DefaultTheme())
			db := storagetest.MustOpen(t)
			c := &clock{now: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)}
			e, err := core.NewEngine(db, c.read, nil)
			if err != nil {
				t.Fatal(err)
			}
			f, err := core.ReadSiteFile(bytes.NewReader(assets.DemoSite))
			if err != nil {
				t.Fatal(err)
			}
			if err := e.Import(testCLI, f); err != nil {
				t.Fatal(err)
			}
			if err := db.SetFederationSite("paris-hq"); err != nil {
				t.Fatal(err)
			}
			e.SetFederation(core.Federation{Site: "paris-hq", IsCentral: true, Central: "paris-hq"})
			feedTaps(t, e)
			for _, site := range []string{"lyon", "marseille-nord"} {
				evs := []core.Event{{Seq: 1, At: c.now.Add(-time.Hour), Reader: site + "-in", Door: site + "-main", Card: "em:00DEADBEEF",
					Result: core.DeniedUnknownCard, Explanation: "unknown card"}}
				if err := db.PutSiteEvents(site, evs); err != nil {
					t.Fatal(err)
				}
			}
			opts := Options{Log: slog.New(slog.DiscardHandler), Owner: core.CommandLine("owner"), Version: "1.0.0"}
			ui := make(uiThread, 4096)
			a := &App{fyne: fa, engine: e, opts: opts, pages: allPages(opts), now: c.read, printer: (&fakeCUPS{}).cups()}
			a.build(ui.do)
			defer a.window.Close()
			defer a.bridge.close()
			ck := &screenCheck{t: t, w: a.window, ui: ui, lang: code, sizes: []fyne.Size{smallScreen, laptop}, names: names}
			actor, err := e.Login("admin", "frontdesk-demo")
			if err != nil {
				t.Fatal(err)
			}
			a.startSession(actor, true)
			ck.nav = a.shell.nav
			for _, id := range []string{"log", "attendance", "reports"} {
				a.shell.show(id)
				root := a.shell.built[id]
				ck.pages = []fyne.CanvasObject{root}
				ck.settle()
				if tabs := findFirst[*container.AppTabs](root); tabs != nil {
					tabs.SelectIndex(1) // the timesheet: Today has no picker
					ck.settle()
				}
				pickers := 0
				for _, sel := range findAll[*widget.Select](root) {
					if n := len(sel.Options); n > 0 && sel.Options[n-1] == lang.L("All sites") {
						pickers++
						sel.SetSelectedIndex(n - 1) // the widest: every site
					}
				}
				if id == "reports" {
					if r := findReportKind(root); r != nil {
						r.SetSelectedIndex(1) // the timesheet, which takes a site
						ck.settle()
					}
				}
				if pickers == 0 && id != "reports" {
					t.Errorf("%s: no site picker shown", id)
				}
				ck.page("sites-"+id, root, true)
			}
		})
	}
}

// findReportKind is the reports page's select of the kind of report.
func findReportKind(root fyne.CanvasObject) *widget.Select {
	for _, sel := range findAll[*widget.Select](root) {
		if slices.Contains(sel.Options, lang.L("Muster list")) {
			return sel
		}
	}
	return nil
}
