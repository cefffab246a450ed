package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"frontdesk/core"
	"frontdesk/core/sheet"
	"frontdesk/ui/locale"
)

// date parses a DATE flag; a TIME is refused.
func (c *command) date(flagName, s string) (core.Date, error) {
	if s == "" {
		return core.Date{}, usagef("--%s is required", flagName)
	}
	d, err := core.ParseDate(s)
	if err != nil {
		return core.Date{}, usagef("--%s: %v", flagName, badDate(s, err))
	}
	return d, nil
}

// periodFlags declares --from, --to, --person and --department and
// returns a function that reads them into a query once parsed.
func (c *command) periodFlags(fs *flag.FlagSet, what string) func() (core.TimesheetQuery, error) {
	from := fs.String("from", "", "first `DATE` (2026-11-01)")
	to := fs.String("to", "", "last `DATE`, included")
	person := fs.String("person", "", "one person's `ID`")
	dept := fs.String("department", "", "the people of department `ID`")
	site := fs.String("site", "", "at the central site of a company, the events of site `ID`, or all for every site's (default this site's)")
	return func() (core.TimesheetQuery, error) {
		q := core.TimesheetQuery{Person: *person, Department: *dept, Site: *site}
		var err error
		if q.From, err = c.date("from", *from); err != nil {
			return q, err
		}
		if q.To, err = c.date("to", *to); err != nil {
			return q, err
		}
		if *person != "" && *dept != "" {
			return q, usagef("%s: --person or --department, not both", what)
		}
		return q, nil
	}
}

// payrollFlags are the file flags of timesheet and metrics (the
// payroll files, core/sheet).
type payrollFlags struct {
	csv, excel *bool
	xlsx       *string
}

// payrollFlags declares --csv-excel and --xlsx, and --csv when csv.
func (c *command) payrollFlags(fs *flag.FlagSet, csv bool) *payrollFlags {
	f := &payrollFlags{csv: new(bool)}
	if csv {
		f.csv = fs.Bool("csv", false, "print CSV for programs: one row per person and day, minutes as integers")
	}
	f.excel = fs.Bool("csv-excel", false, "print CSV for a spreadsheet in the locale's language, separator and decimal mark")
	f.xlsx = fs.String("xlsx", "", "write an Excel workbook to `FILE.xlsx` (replaced if it exists)")
	return f
}

// check refuses two outputs at once and a workbook not named .xlsx.
func (f *payrollFlags) check(c *command, what string) error {
	n := 0
	for _, on := range []bool{c.json, *f.csv, *f.excel, *f.xlsx != ""} {
		if on {
			n++
		}
	}
	if n > 1 {
		names := words("--json, --csv-excel or --xlsx")
		if what == "timesheet" {
			names = words("--json, --csv, --csv-excel or --xlsx")
		}
		return usagef("%s: %s, only one", what, names)
	}
	if *f.xlsx != "" && !strings.HasSuffix(strings.ToLower(*f.xlsx), ".xlsx") {
		return usagef("%s: --xlsx %s: the file name must end in .xlsx", what, *f.xlsx)
	}
	return nil
}

// sheetLocale is how the command's files for people write: its language,
// and the separator and decimal mark of its locale.
func (c *command) sheetLocale() sheet.Locale {
	getenv := c.getenv
	if getenv == nil {
		getenv = locale.Getenv
	}
	return sheet.Of(getenv, c.language())
}

// writeWorkbook writes a workbook to path, readable by all (0644) as
// report and export write theirs, replacing it whole or not at all.
func (c *command) writeWorkbook(path string, write func(io.Writer) error) error {
	if err := writeFileAtomicMode(path, 0o644, write); err != nil {
		return fmt.Errorf("write %s: %w", printable(path), err)
	}
	fmt.Fprintf(c.stdout, "wrote %s\n", printable(path))
	return nil
}

func (c *command) timesheet(args []string) error {
	fs := c.flags("timesheet", "--from DATE --to DATE [--person ID] [--department ID] [--json | --csv | --csv-excel | --xlsx FILE.xlsx]")
	query := c.periodFlags(fs, "timesheet")
	files := c.payrollFlags(fs, true)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	q, err := query()
	if err != nil {
		return err
	}
	if err := files.check(c, "timesheet"); err != nil {
		return err
	}
	c.readOnly = true
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	ts, err := c.api.Timesheet(c.actor(), q)
	if err != nil {
		return err
	}
	switch {
	case c.json:
		return c.printJSON(ts)
	case *files.csv:
		return sheet.WriteCSV(c.stdout, ts)
	case *files.excel:
		return sheet.WriteSpreadsheetCSV(c.stdout, ts, c.sheetLocale())
	case *files.xlsx != "":
		l := c.sheetLocale()
		return c.writeWorkbook(*files.xlsx, func(w io.Writer) error { return sheet.WriteXLSX(w, ts, l) })
	}
	cols := tableColumns(ts.Uses)
	tab := newTable(c.stdout, 2, 8, 2, tabwriter.AlignRight)
	titles := []string{"person", "date", "status"}
	for _, col := range cols {
		titles = append(titles, col.title)
	}
	c.header(tab, append(titles, "in", "out", "")...)
	tr := c.tr()
	cells := func(person, date, status any, m core.Minutes, in, out string) []any {
		row := []any{person, date, status}
		for _, col := range cols {
			row = append(row, signedHM(col.of(m)))
		}
		return append(row, in, out, "")
	}
	for _, p := range ts.People {
		for _, d := range p.Days {
			status := tr.T(string(d.Status))
			if d.Justified {
				status += " (" + tr.T("justified") + ")"
			}
			if d.AutoClosed {
				status += " (" + tr.T("auto-closed") + ")"
			}
			tab.row(cells(p.Person, d.Date, status, d.Minutes, d.FirstIn, d.LastOut)...)
		}
		tab.row(cells(p.Person, tr.T("total"), "", p.Totals, "", "")...)
		if ts.Uses.Balance {
			c.bankRow(tab, p, len(titles)+2)
		}
	}
	return tab.flush()
}

// tableColumn is a minute column of the timesheet table.
type tableColumn struct {
	title string
	of    func(core.Minutes) int
}

// tableColumns are the timesheet table's minute columns: the payroll
// ones only when the site uses them, as in the window and the PDF.
func tableColumns(u core.TimesheetUses) []tableColumn {
	cols := []tableColumn{
		{"scheduled", func(m core.Minutes) int { return m.Scheduled }},
		{"worked", func(m core.Minutes) int { return m.Worked }},
		{"presence", func(m core.Minutes) int { return m.Presence }},
	}
	if u.Paid {
		cols = append(cols, tableColumn{"paid", func(m core.Minutes) int { return m.Paid }},
			tableColumn{"break", func(m core.Minutes) int { return m.Break }})
	}
	cols = append(cols, tableColumn{"overtime", func(m core.Minutes) int { return m.Overtime }})
	if u.Night {
		cols = append(cols, tableColumn{"night", func(m core.Minutes) int { return m.Night }})
	}
	if u.Balance {
		cols = append(cols, tableColumn{"balance", func(m core.Minutes) int { return m.Balance }})
	}
	return append(cols, tableColumn{"late", func(m core.Minutes) int { return m.Late }},
		tableColumn{"early leave", func(m core.Minutes) int { return m.EarlyLeave }})
}

// metrics prints DESIGN §2.4's figures for a person or a department.
func (c *command) metrics(args []string) error {
	fs := c.flags("metrics", "--from DATE --to DATE [--person ID | --department ID] [--json | --csv-excel | --xlsx FILE.xlsx]")
	query := c.periodFlags(fs, "metrics")
	files := c.payrollFlags(fs, false)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	q, err := query()
	if err != nil {
		return err
	}
	if err := files.check(c, "metrics"); err != nil {
		return err
	}
	c.readOnly = true
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	m, err := c.api.Metrics(c.actor(), q)
	if err != nil {
		return err
	}
	switch {
	case c.json:
		return c.printJSON(m)
	case *files.excel:
		return sheet.WriteMetricsCSV(c.stdout, m, c.sheetLocale())
	case *files.xlsx != "":
		l := c.sheetLocale()
		return c.writeWorkbook(*files.xlsx, func(w io.Writer) error { return sheet.WriteMetricsXLSX(w, m, l) })
	}
	tab := newTable(c.stdout, 2, 8, 2, tabwriter.AlignRight)
	c.header(tab, "state", "", "count", "days", "half-days", "hours", "")
	tr := c.tr()
	for _, s := range []struct {
		name string
		v    core.StateMetrics
	}{{"present", m.Present}, {"late", m.Late}, {"absent", m.Absent}, {"half_day", m.HalfDay}} {
		for _, part := range []struct {
			name string
			v    core.MetricValues
		}{{"all", s.v.MetricValues}, {"justified", s.v.Justified}, {"unjustified", s.v.Unjustified}} {
			tab.row(tr.T(s.name), tr.T(part.name), part.v.Count, part.v.Days, part.v.HalfDays, fmt.Sprintf("%.2f", part.v.Hours), "")
		}
	}
	return tab.flush()
}
