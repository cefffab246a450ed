package ui

import (
	"encoding/csv"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"frontdesk/core"
)

// diskFile is a file the save dialog chose, on disk.
type diskFile struct {
	*os.File
	uri fyne.URI
}

func (f diskFile) URI() fyne.URI { return f.uri }

// saveInto makes the export save into dir under the name it offers,
// recording the names.
func saveInto(t *testing.T, e *attExport, dir string, offered *[]string) {
	e.saveFile = func(name string, cb func(fyne.URIWriteCloser, error)) {
		*offered = append(*offered, name)
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		cb(diskFile{f, storage.NewFileURI(path)}, nil)
	}
}

// TestAttendanceTimesheetExport exports November's timesheet as a
// workbook and, in French, as a spreadsheet's CSV, and reads them back.
func TestAttendanceTimesheetExport(t *testing.T) {
	a := test.NewTempApp(t)
	e, _ := attEngine(t)
	attTap(t, e, "ann", "in", "2026-11-23 09:20")
	attTap(t, e, "ann", "out", "2026-11-23 17:30")
	manager := roleAccount(t, e, "marie", core.RoleManager)
	x, w, ui := newAttendanceTest(t, e, manager)
	ex := x.sheet.export
	if !ex.xlsx.Disabled() || !ex.csv.Disabled() {
		t.Error("export offered before a timesheet is shown")
	}
	x.tabs.SelectIndex(1)
	ui.until(t, "the timesheet", func() bool { return x.sheet.computed && !x.sheet.busy })
	dir := t.TempDir()
	var offered []string
	saveInto(t, ex, dir, &offered)

	test.Tap(ex.xlsx)
	ui.until(t, "the workbook", func() bool { return strings.HasPrefix(ex.msg.Text, "Saved to") })
	path := filepath.Join(dir, "timesheet-2026-11.xlsx")
	if ex.msg.Text != "Saved to "+path || !slices.Equal(offered, []string{"timesheet-2026-11.xlsx"}) {
		t.Errorf("said %q, offered %q", ex.msg.Text, offered)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Days", "Totals"}) {
		t.Fatalf("sheets %q", got)
	}
	days, _ := f.GetRows("Days")
	i := slices.IndexFunc(days, func(r []string) bool { return len(r) > 3 && r[0] == "ann" && r[2] == "2026-11-23" })
	if i < 0 || days[i][3] != "late" || days[i][5] != "7.17" || days[i][10] != "09:20" {
		t.Errorf("Ann's Monday %q", days[max(i, 0)])
	}
	totals, _ := f.GetRows("Totals")
	if len(totals) != 5 || totals[0][0] != "Person" {
		t.Errorf("totals %q, want a header and four people", totals)
	}

	// In French, the CSV a French spreadsheet opens.
	a.Preferences().SetString(prefLanguage, "fr")
	test.Tap(ex.csv)
	ui.until(t, "the CSV", func() bool { return strings.HasSuffix(ex.msg.Text, ".csv") })
	b, err := os.ReadFile(filepath.Join(dir, "timesheet-2026-11.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\uFEFF")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || !strings.HasPrefix(string(b), "\uFEFF") {
		t.Fatalf("%v:\n%s", err, b)
	}
	if rows[0][0] != "Personne" || len(rows) != len(days) {
		t.Errorf("header %q, %d rows, want %d", rows[0], len(rows), len(days))
	}
	if mon := rows[i]; mon[3] != "retard" || mon[5] != "7,17" {
		t.Errorf("Ann's Monday %q", mon)
	}

	// A file that cannot be written is said, and the export stays offered.
	ex.saveFile = func(_ string, cb func(fyne.URIWriteCloser, error)) { cb(nil, errors.New("read-only folder")) }
	x.s.log = slog.New(slog.DiscardHandler)
	test.Tap(ex.xlsx)
	if text := dialogText(w); !strings.Contains(text, "read-only folder") {
		t.Errorf("dialog %q, want the failure", text)
	}
	if ex.xlsx.Disabled() {
		t.Error("export not offered after a failure")
	}
}
