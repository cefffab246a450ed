package ui

import (
	"bytes"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// newReports builds the reports screen of actor in a test window.
func newReports(t *testing.T, e *core.Engine, actor core.Actor) (*reportsScreen, fyne.Window, uiThread) {
	t.Helper()
	ui := make(uiThread, 64)
	r := newReportsScreen(testSession(t, e, actor))
	r.do = ui.do
	w := testWindow(t, r.build())
	return r, w, ui
}

// buildReport taps "Build PDF" and waits for the outcome.
func buildReport(t *testing.T, r *reportsScreen, ui uiThread) {
	t.Helper()
	test.Tap(r.buildButton)
	if !r.building {
		return // refused by the form
	}
	if r.progress.Hidden {
		t.Error("no progress bar while the report builds")
	}
	ui.until(t, "the report", func() bool { return !r.building })
	if !r.progress.Hidden {
		t.Error("progress bar still shown after the build")
	}
}

func TestReportsTimesheetPDF(t *testing.T) {
	test.NewTempApp(t)
	e, c := newEngine(t)
	tap(t, e, "main-in", "em:0102B0A5FD")
	c.now = c.now.Add(8 * time.Hour)
	tap(t, e, "main-out", "em:0102B0A5FD")

	r, _, ui := newReports(t, e, core.CommandLine("test"))
	if got, want := r.kindSelect.Options, []string{"Attendance sheet", "Timesheet", "Absences and lateness", "Door log", "Muster list", "Who may open which door"}; !slices.Equal(got, want) {
		t.Fatalf("kinds %q, want %q", got, want)
	}
	r.kindSelect.SetSelected("Timesheet")
	if got := formLabels(r); !slices.Equal(got, []string{"From", "To", "Person", "Department", "Paper"}) {
		t.Errorf("timesheet form has %q", got)
	}
	r.from.SetText("2026-11-01")
	r.to.SetText("2026-11-30")
	if r.saveButton.Disabled() == false || r.openButton.Disabled() == false {
		t.Error("Save and Open enabled before any report")
	}
	buildReport(t, r, ui)
	if r.built == nil {
		t.Fatalf("no report built; problem %q", r.problem.Text)
	}
	pdf := r.built.pdf
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("the report starts with %q, want %%PDF", pdf[:min(len(pdf), 8)])
	}
	if !strings.Contains(r.fingerprint.Text, r.built.report.Fingerprint) || !strings.HasPrefix(r.built.report.Fingerprint, "sha256:") {
		t.Errorf("fingerprint shown %q, report's %q", r.fingerprint.Text, r.built.report.Fingerprint)
	}
	if !strings.Contains(r.summary.Text, "Timesheet, 2026-11-01 to 2026-11-30: ") || !strings.Contains(r.summary.Text, strconv.Itoa(r.built.pages)+" pages") {
		t.Errorf("summary %q, want the kind, period and page count", r.summary.Text)
	}
	if r.saveButton.Disabled() || r.openButton.Disabled() {
		t.Error("Save or Open disabled after the build")
	}

	// Open writes the PDF to the cache folder and opens it.
	cache := t.TempDir()
	var opened *url.URL
	r.cacheDir = func() (string, error) { return cache, nil }
	r.openURL = func(u *url.URL) error { opened = u; return nil }
	test.Tap(r.openButton)
	path := filepath.Join(cache, "frontdesk", "reports", "timesheet-2026-11-01-2026-11-30.pdf")
	onDisk, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("Open wrote no file: %v", err)
	}
	if !bytes.Equal(onDisk, pdf) {
		t.Error("the file opened is not the report built")
	}
	if opened == nil || opened.Scheme != "file" || opened.Path != path {
		t.Errorf("opened %v, want file://%s", opened, path)
	}

	// Print sends the same file to the printer of the preferences.
	fake := &fakeCUPS{printers: []string{"Front", "Back"}, def: "Front"}
	r.printer = fake.cups()
	fyne.CurrentApp().Preferences().SetString(prefPrinter, "Back")
	test.Tap(r.printButton)
	ui.until(t, "the print", func() bool { return strings.Contains(r.status.Text, "printer") })
	if want := "-d Back -- " + path; !slices.Equal(fake.printed, []string{want}) {
		t.Errorf("lp %v, want [%s]", fake.printed, want)
	}
	if r.status.Text != "Sent to the printer Back (job Back-42)." {
		t.Errorf("status %q after the print", r.status.Text)
	}
	fake.failLP = errors.New("lp: Back is stopped")
	test.Tap(r.printButton)
	ui.until(t, "the failed print", func() bool { return strings.Contains(r.status.Text, "Not printed") })
	if !strings.Contains(r.status.Text, "Back is stopped") || r.printButton.Disabled() {
		t.Errorf("status %q, print button disabled %v", r.status.Text, r.printButton.Disabled())
	}

	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (poppler-utils): cannot read the PDF's text back")
	}
	text, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"Ann Martin", "Timesheet"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	if out, err := exec.Command("pdfinfo", path).Output(); err == nil {
		m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("pdfinfo: no page count in %s", out)
		}
		if n, _ := strconv.Atoi(string(m[1])); n != r.built.pages {
			t.Errorf("pdfinfo counts %d pages, the screen %d", n, r.built.pages)
		}
	}
}

// formLabels are the labels of the report form's fields.
func formLabels(r *reportsScreen) []string {
	var out []string
	for i := 0; i < len(r.form.Objects); i += 2 {
		out = append(out, r.form.Objects[i].(*widget.Label).Text)
	}
	return out
}

func TestReportsOfferedByPermission(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newEngine(t)
	tests := []struct {
		name  string
		perms []core.Permission
		want  []string
	}{
		{"attendance-only", []core.Permission{core.PermAttendanceView}, []string{"Muster list"}},
		{"print-and-logs", []core.Permission{core.PermReportsPrint, core.PermLogsViewAny}, []string{"Door log"}},
		{"manager", []core.Permission{core.PermReportsPrint, core.PermAttendanceView, core.PermLogsViewAny, core.PermDoorsView, core.PermPeopleView},
			[]string{"Attendance sheet", "Timesheet", "Absences and lateness", "Door log", "Muster list", "Who may open which door"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			actor := staffAccount(t, e, tt.name, "", tt.perms...)
			s := testSession(t, e, actor)
			if !s.canAny(reportsPage().needs...) {
				t.Fatalf("%s does not see the reports page", tt.name)
			}
			r, _, ui := newReports(t, e, actor)
			if !slices.Equal(r.kindSelect.Options, tt.want) {
				t.Fatalf("kinds %q, want %q", r.kindSelect.Options, tt.want)
			}
			if tt.name != "attendance-only" {
				return
			}
			// The muster list takes no filter, and the engine builds it.
			if got := formLabels(r); !slices.Equal(got, []string{"Paper"}) {
				t.Errorf("muster form has %q, want only the paper", got)
			}
			buildReport(t, r, ui)
			if r.built == nil || r.built.report.Kind != core.ReportMuster || r.built.pages < 1 {
				t.Fatalf("no muster list built; problem %q", r.problem.Text)
			}
		})
	}
	noReports := staffAccount(t, e, "doors-only", "", core.PermDoorsView)
	if testSession(t, e, noReports).canAny(reportsPage().needs...) {
		t.Error("an account without reports.print nor attendance.view sees the reports page")
	}
}

func TestReportsErrorsInline(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newEngine(t)
	r, _, ui := newReports(t, e, core.CommandLine("test"))
	r.kindSelect.SetSelected("Door log")
	if got := formLabels(r); !slices.Equal(got, []string{"From", "To", "Door", "Person", "Paper"}) {
		t.Errorf("door log form has %q", got)
	}
	if !slices.Contains(r.door.Options, "Main entrance (main)") {
		t.Errorf("door choices %q lack the main entrance", r.door.Options)
	}
	r.door.SetSelectedIndex(0) // no door, and no person
	buildReport(t, r, ui)
	if r.built != nil {
		t.Fatal("a door log of nobody at no door was built")
	}
	want := `The door log report needs "Door" or "Person" (or both).`
	if !r.problem.Visible() || r.problem.Text != want {
		t.Errorf("problem %q (shown %v), want %q", r.problem.Text, r.problem.Visible(), want)
	}

	r.person.SetText("zed")
	buildReport(t, r, ui)
	if want := `Person: Nobody called 'zed'`; r.problem.Text != want {
		t.Errorf("problem %q, want %q", r.problem.Text, want)
	}

	r.person.SetText("ann")
	r.from.SetText("2026-13-01")
	test.Tap(r.buildButton)
	if r.building {
		t.Fatal("a bad date went to the engine")
	}
	if !strings.HasPrefix(r.problem.Text, "From: ") {
		t.Errorf("problem %q, want it to name the field From", r.problem.Text)
	}

	r.from.SetText("2026-11-30")
	r.to.SetText("2026-11-01")
	buildReport(t, r, ui)
	if strings.Contains(r.problem.Text, "--") || !strings.Contains(r.problem.Text, "the end is before the start") {
		t.Errorf("problem %q, want the dates' order in the form's words", r.problem.Text)
	}

	r.to.SetText("2026-11-30")
	buildReport(t, r, ui)
	if r.built == nil || r.problem.Visible() {
		t.Fatalf("Ann's door log not built; problem %q", r.problem.Text)
	}
	if r.built.name != "doorlog-ann-2026-11-30-2026-11-30.pdf" {
		t.Errorf("file name %q", r.built.name)
	}
}

func TestReportProblem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"invalid: the doorlog report needs --door or --person (or both)", `The door log report needs "Door" or "Person" (or both).`},
		{"invalid: the timesheet report takes --person or --department, not both", `The timesheet report takes "Person" or "Department", not both.`},
		{"not found: no department \"salse\"", `No department "salse".`},
		{"invalid: absences report of 400 days: at most 366", "Absences and lateness report of 400 days: at most 366."},
	}
	for _, tt := range tests {
		if got := reportProblem(errString(tt.in)); got != tt.want {
			t.Errorf("reportProblem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
