package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

// TestTimesheetPayrollColumns: the timesheet page shows the paid, break,
// night and balance columns only when the site uses them, with the day's
// figures and the month's totals.
func TestTimesheetPayrollColumns(t *testing.T) {
	test.NewTempApp(t)
	titles := func(tab *attSheetTab) []string {
		var out []string
		for _, c := range tab.table.columns() {
			out = append(out, c.title)
		}
		return out
	}

	// A site that sets no payroll rule, and nobody in at lunch: no break,
	// no payroll column.
	e, _ := attEngine(t)
	x, _, ui := newAttendanceTest(t, e, roleAccount(t, e, "marie", core.RoleManager))
	x.tabs.SelectIndex(1)
	ui.until(t, "the timesheet", func() bool { return x.sheet.computed && !x.sheet.busy })
	for _, col := range []string{"Paid", "Break", "Night", "Balance"} {
		if slices.Contains(titles(x.sheet), col) {
			t.Errorf("column %s shown at a site that does not use it: %v", col, titles(x.sheet))
		}
	}

	// Night hours from 17:00 and a time bank from Monday; Ann stays in
	// at lunch.
	e, _ = attEngine(t)
	f, err := core.ReadSiteFile(strings.NewReader(`{"site": {"night": "17:00-06:00", "balance_from": "2026-11-23"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(testCLI, f); err != nil {
		t.Fatal(err)
	}
	attTap(t, e, "ann", "in", "2026-11-23 09:20")
	attTap(t, e, "ann", "out", "2026-11-23 17:30")
	x, _, ui = newAttendanceTest(t, e, roleAccount(t, e, "marie", core.RoleManager))
	x.tabs.SelectIndex(1)
	ui.until(t, "the timesheet", func() bool { return x.sheet.computed && !x.sheet.busy })
	got := titles(x.sheet)
	want := []string{"Person", "Date", "Status", "Scheduled", "Worked", "Presence", "Paid", "Break", "Overtime",
		"Night", "Balance", "Late", "Early leave", "In", "Out", "Notes"}
	if !slices.Equal(got, want) {
		t.Fatalf("columns %v, want %v", got, want)
	}
	row := attSheetRowOf(t, x.sheet, "ann", "Mon 23")
	for col, text := range map[int]string{
		attColPresence: "8:10", attColPaid: "7:10", attColBreak: "1:00", attColNight: "0:30", attColBalance: "-0:20",
	} {
		if got := x.sheet.cell(row, col).text; got != text {
			t.Errorf("Ann's Monday, column %s: %q, want %q", want[slices.Index(x.sheet.shown, col)], got, text)
		}
	}
	// The table shows the column where its title is.
	if i := slices.Index(x.sheet.shown, attColBalance); want[i] != "Balance" {
		t.Errorf("the balance's cells under %q", want[i])
	}
}
