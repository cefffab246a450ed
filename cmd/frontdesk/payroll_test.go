package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// payrollSite is shiftSite with Ann's Monday late and auto-closed and
// her Tuesday on time.
func payrollSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "payroll.db")
	os.WriteFile(filepath.Join(dir, "site.json"), []byte(shiftSite), 0o600)
	mustCLI(t, db, "import", filepath.Join(dir, "site.json"))
	mustCLI(t, db, "tap", "--reader", "in", "--card", "em:0102B0A5FD", "--at", "2026-11-23T09:10")
	mustCLI(t, db, "tap", "--reader", "in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T08:55")
	mustCLI(t, db, "tap", "--reader", "out", "--card", "em:0102B0A5FD", "--at", "2026-11-24T17:15")
	return db
}

var payrollPeriod = []string{"--from", "2026-11-23", "--to", "2026-11-24"}

func TestTimesheetCSVHasThePayrollColumns(t *testing.T) {
	db := payrollSite(t)
	out := mustCLI(t, db, append([]string{"timesheet", "--csv"}, payrollPeriod...)...)
	header := strings.SplitN(out, "\n", 2)[0]
	if !strings.HasSuffix(header, ",justified,auto_closed,paid_minutes,break_minutes,night_minutes,balance_minutes,bank_minutes") {
		t.Errorf("header %q, want the payroll columns after today's", header)
	}
}

// TestTimesheetCSVForSpreadsheets runs --csv-excel under each locale:
// its separator, decimal mark, byte order mark and headers.
func TestTimesheetCSVForSpreadsheets(t *testing.T) {
	db := payrollSite(t)
	for _, tc := range []struct {
		lang          string
		comma         rune
		person, sched string // the header's first cell; Monday's scheduled hours
		status        string
	}{
		{"fr_FR.UTF-8", ';', "Personne", "8,00", "retard"},
		{"ru_RU.UTF-8", ';', "Сотрудник", "8,00", "опоздание"},
		{"de_DE.UTF-8", ';', "Person", "8,00", "late"},
		{"en_US.UTF-8", ',', "Person", "8.00", "late"},
		{"C", ',', "Person", "8.00", "late"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			t.Setenv("LC_ALL", "")
			t.Setenv("LC_MESSAGES", "")
			t.Setenv("LANG", tc.lang)
			out := mustCLI(t, db, append([]string{"timesheet", "--csv-excel"}, payrollPeriod...)...)
			if !strings.HasPrefix(out, "\uFEFF") || strings.Count(out, "\r\n") != 3 {
				t.Fatalf("no BOM or CRLF:\n%q", out)
			}
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF")))
			r.Comma = tc.comma
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatalf("%v:\n%s", err, out)
			}
			if len(rows) != 3 || len(rows[0]) != 19 {
				t.Fatalf("%d rows of %d columns, want 3 of 19:\n%s", len(rows), len(rows[0]), out)
			}
			mon := rows[1]
			if rows[0][0] != tc.person || mon[2] != "2026-11-23" || mon[3] != tc.status || mon[4] != tc.sched {
				t.Errorf("header %q, Monday %q", rows[0], mon)
			}
		})
	}
	// The same locales for metrics.
	t.Setenv("LANG", "de_DE.UTF-8")
	out := mustCLI(t, db, append([]string{"metrics", "--csv-excel", "--person", "ann"}, payrollPeriod...)...)
	if !strings.HasPrefix(out, "\uFEFFState;Records;Count;Days;Half-days;Hours\r\n") || !strings.Contains(out, "\r\nlate;all;1;1;1;0,17\r\n") {
		t.Errorf("metrics:\n%q", out)
	}
}

// TestTimesheetXLSX writes the workbook and reads it back: its mode,
// sheets, headers, and totals that are the days' sum.
func TestTimesheetXLSX(t *testing.T) {
	db := payrollSite(t)
	t.Setenv("LC_ALL", "fr_FR.UTF-8")
	file := filepath.Join(t.TempDir(), "novembre.xlsx")
	out := mustCLI(t, db, append([]string{"timesheet", "--xlsx", file}, payrollPeriod...)...)
	if out != "wrote "+file+"\n" {
		t.Errorf("output %q", out)
	}
	fi, err := os.Stat(file)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("file: %v, mode %v, want 0644", err, fi.Mode())
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Jours", "Totaux"}) {
		t.Fatalf("sheets %q", got)
	}
	days, _ := f.GetRows("Jours")
	totals, _ := f.GetRows("Totaux")
	if len(days) != 3 || days[0][4] != "Prévu (h)" || days[1][3] != "retard" || days[1][13] != "VRAI" && days[1][13] != "TRUE" {
		t.Errorf("days %q", days)
	}
	if len(totals) != 2 || totals[1][0] != "ann" {
		t.Fatalf("totals %q", totals)
	}
	number := func(sheet, cell string) float64 {
		v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%s!%s = %q", sheet, cell, v)
		}
		return x
	}
	// Scheduled, worked, presence, overtime, late, early leave: columns
	// E-J of the days, C-H of the totals.
	for i := range 6 {
		dcol, tcol := string(rune('E'+i)), string(rune('C'+i))
		sum := number("Jours", dcol+"2") + number("Jours", dcol+"3")
		if got := number("Totaux", tcol+"2"); math.Abs(got-sum) > 1e-9 {
			t.Errorf("column %s: total %v, days sum to %v", days[0][4+i], got, sum)
		}
	}
	if got := number("Jours", "E2"); got != 8 {
		t.Errorf("Monday scheduled %v hours, want 8", got)
	}

	// Metrics: one sheet.
	mfile := filepath.Join(t.TempDir(), "m.xlsx")
	mustCLI(t, db, append([]string{"metrics", "--xlsx", mfile}, payrollPeriod...)...)
	m, err := excelize.OpenFile(mfile)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if got := m.GetSheetList(); !slices.Equal(got, []string{"Indicateurs"}) {
		t.Errorf("metrics sheets %q", got)
	}
}

// TestPayrollFileErrors: one output at a time, a workbook named .xlsx,
// and a folder that does not exist is said and leaves nothing.
func TestPayrollFileErrors(t *testing.T) {
	db := payrollSite(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"timesheet", "--csv", "--csv-excel"}, 2, "only one"},
		{[]string{"timesheet", "--json", "--xlsx", filepath.Join(dir, "a.xlsx")}, 2, "only one"},
		{[]string{"timesheet", "--csv", "--xlsx", filepath.Join(dir, "a.xlsx")}, 2, "only one"},
		{[]string{"metrics", "--json", "--csv-excel"}, 2, "only one"},
		{[]string{"metrics", "--csv"}, 2, "flag provided but not defined"},
		{[]string{"timesheet", "--xlsx", filepath.Join(dir, "a.csv")}, 2, "must end in .xlsx"},
		{[]string{"timesheet", "--xlsx", filepath.Join(dir, "none", "a.xlsx")}, 1, "none/a.xlsx"},
	} {
		code, _, errs := cli(t, db, append(tc.args, payrollPeriod...)...)
		if code != tc.code || !strings.Contains(errs, tc.says) {
			t.Errorf("%v: exit %d %q, want exit %d saying %q", tc.args, code, errs, tc.code, tc.says)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("files left: %v", left)
	}
}
