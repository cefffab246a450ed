package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"

	"frontdesk/core"
)

// date parses a DATE flag; a TIME is refused.
func (c *command) date(flagName, s string) (core.Date, error) {
	if s == "" {
		return core.Date{}, usagef("--%s is required", flagName)
	}
	d, err := core.ParseDate(s)
	if err != nil {
		return core.Date{}, usagef("--%s: %v", flagName, err)
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
	return func() (core.TimesheetQuery, error) {
		q := core.TimesheetQuery{Person: *person, Department: *dept}
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

func (c *command) timesheet(args []string) error {
	fs := c.flags("timesheet", "--from DATE --to DATE [--person ID] [--department ID] [--json | --csv]")
	query := c.periodFlags(fs, "timesheet")
	asCSV := fs.Bool("csv", false, "print CSV for payroll: one row per person and day")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	q, err := query()
	if err != nil {
		return err
	}
	if *asCSV && c.json {
		return usagef("timesheet: --json or --csv, not both")
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
	case *asCSV:
		return writeTimesheetCSV(c, ts)
	}
	tab := newTable(c.stdout, 2, 8, 2, tabwriter.AlignRight)
	c.header(tab, "person", "date", "status", "scheduled", "worked", "presence", "overtime", "late", "early leave", "in", "out", "")
	tr := c.tr()
	hm := func(m int) string { return fmt.Sprintf("%d:%02d", m/60, m%60) }
	for _, p := range ts.People {
		for _, d := range p.Days {
			status := tr.T(string(d.Status))
			if d.Justified {
				status += " (" + tr.T("justified") + ")"
			}
			if d.AutoClosed {
				status += " (" + tr.T("auto-closed") + ")"
			}
			tab.row(p.Person, d.Date, status, hm(d.Scheduled), hm(d.Worked), hm(d.Presence), hm(d.Overtime),
				hm(d.Late), hm(d.EarlyLeave), d.FirstIn, d.LastOut, "")
		}
		t := p.Totals
		tab.row(p.Person, tr.T("total"), "", hm(t.Scheduled), hm(t.Worked), hm(t.Presence), hm(t.Overtime), hm(t.Late),
			hm(t.EarlyLeave), "", "", "")
		if ts.Uses.Balance {
			c.bankRow(tab, p)
		}
	}
	return tab.flush()
}

// writeTimesheetCSV writes one row per person and day, minutes as
// numbers, for a payroll spreadsheet.
func writeTimesheetCSV(c *command, ts core.Timesheet) error {
	w := csv.NewWriter(c.stdout)
	w.Write([]string{"person", "name", "date", "status", "scheduled_minutes", "worked_minutes", "presence_minutes",
		"overtime_minutes", "late_minutes", "early_leave_minutes", "first_in", "last_out", "justified", "auto_closed"})
	for _, p := range ts.People {
		for _, d := range p.Days {
			// Text is escaped here too: a payroll file is also read on a
			// terminal, with cat or less.
			w.Write([]string{printable(p.Person), printable(p.Name), d.Date.String(), string(d.Status),
				strconv.Itoa(d.Scheduled), strconv.Itoa(d.Worked), strconv.Itoa(d.Presence), strconv.Itoa(d.Overtime),
				strconv.Itoa(d.Late), strconv.Itoa(d.EarlyLeave), d.FirstIn, d.LastOut,
				strconv.FormatBool(d.Justified), strconv.FormatBool(d.AutoClosed)})
		}
	}
	w.Flush()
	return w.Error()
}

// metrics prints DESIGN §2.4's figures for a person or a department.
func (c *command) metrics(args []string) error {
	fs := c.flags("metrics", "--from DATE --to DATE [--person ID | --department ID] [--json]")
	query := c.periodFlags(fs, "metrics")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	q, err := query()
	if err != nil {
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
	if c.json {
		return c.printJSON(m)
	}
	tab := newTable(c.stdout, 2, 8, 2, tabwriter.AlignRight)
	c.header(tab, "state", "", "count", "days", "half-days", "hours", "")
	tr := c.tr()
	for _, s := range []struct {
		name string
		v    core.StateMetrics
	}{{"present", m.Present}, {"late", m.Late}, {"absent", m.Absent}} {
		for _, part := range []struct {
			name string
			v    core.MetricValues
		}{{"all", s.v.MetricValues}, {"justified", s.v.Justified}, {"unjustified", s.v.Unjustified}} {
			tab.row(tr.T(s.name), tr.T(part.name), part.v.Count, part.v.Days, part.v.HalfDays, fmt.Sprintf("%.2f", part.v.Hours), "")
		}
	}
	return tab.flush()
}
