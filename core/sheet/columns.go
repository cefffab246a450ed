// Package sheet writes the timesheet and the attendance metrics as
// tabular files for payroll: CSV for programs (stable English keys,
// minutes as integers), CSV for spreadsheets (the dialect of the run's
// locale, decimal hours) and XLSX workbooks. Every writer takes its
// columns from one table, Columns, so that a column added there appears
// in every file. Core does not import it: the command line and the
// window do.
package sheet

import (
	"frontdesk/core"
)

// Kind is what a column holds, which says how each file writes it.
type Kind int

// Column kinds; the value a column's functions return is of the Go type
// named.
const (
	Text    Kind = iota // string, written as it is
	Day                 // core.Date, ISO (2026-11-23)
	Status              // core.DayStatus: the key, or its words in a language
	Minutes             // int minutes: an integer, or decimal hours
	Flag                // bool
	Count               // int, a count of things
	Hours               // float64 hours
	Word                // string, English words translated for people
)

// Column is one column of the payroll files: Key names it in the CSV
// for programs, Header (English, translated by core/i18n) in the files
// for people. DayValue gives its value on a row of the days; nil leaves
// it out of them. TotalValue gives its value on a person's row of the
// totals (their minutes and their time bank); nil leaves it out there.
type Column struct {
	Key        string
	Header     string
	Kind       Kind
	DayValue   func(p *core.PersonTimesheet, d *core.TimesheetDay) any
	TotalValue func(p *core.PersonTimesheet) any
}

// minutes is a column of a Minutes field, by day and in the totals.
func minutes(key, header string, field func(m core.Minutes) int) Column {
	return Column{Key: key, Header: header, Kind: Minutes,
		DayValue:   func(_ *core.PersonTimesheet, d *core.TimesheetDay) any { return field(d.Minutes) },
		TotalValue: func(p *core.PersonTimesheet) any { return field(p.Totals) },
	}
}

// bank is a column of the time bank, in the totals only.
func bank(key, header string, field func(b core.TimeBank) int) Column {
	return Column{Key: key, Header: header, Kind: Minutes,
		TotalValue: func(p *core.PersonTimesheet) any { return field(p.Bank) }}
}

// Columns are the timesheet's columns, in the order every file writes
// them. The first fourteen are those the CSV for programs always had:
// new columns go at the end so that existing importers keep working.
var Columns = []Column{
	{Key: "person", Header: "Person", Kind: Text,
		DayValue:   func(p *core.PersonTimesheet, _ *core.TimesheetDay) any { return p.Person },
		TotalValue: func(p *core.PersonTimesheet) any { return p.Person }},
	{Key: "name", Header: "Name", Kind: Text,
		DayValue:   func(p *core.PersonTimesheet, _ *core.TimesheetDay) any { return p.Name },
		TotalValue: func(p *core.PersonTimesheet) any { return p.Name }},
	{Key: "date", Header: "Date", Kind: Day,
		DayValue: func(_ *core.PersonTimesheet, d *core.TimesheetDay) any { return d.Date }},
	{Key: "status", Header: "Status", Kind: Status,
		DayValue: func(_ *core.PersonTimesheet, d *core.TimesheetDay) any { return d.Status }},
	minutes("scheduled_minutes", "Scheduled (h)", func(m core.Minutes) int { return m.Scheduled }),
	minutes("worked_minutes", "Worked (h)", func(m core.Minutes) int { return m.Worked }),
	minutes("presence_minutes", "Presence (h)", func(m core.Minutes) int { return m.Presence }),
	minutes("overtime_minutes", "Overtime (h)", func(m core.Minutes) int { return m.Overtime }),
	minutes("late_minutes", "Late (h)", func(m core.Minutes) int { return m.Late }),
	minutes("early_leave_minutes", "Early leave (h)", func(m core.Minutes) int { return m.EarlyLeave }),
	{Key: "first_in", Header: "First in", Kind: Text,
		DayValue: func(_ *core.PersonTimesheet, d *core.TimesheetDay) any { return d.FirstIn }},
	{Key: "last_out", Header: "Last out", Kind: Text,
		DayValue: func(_ *core.PersonTimesheet, d *core.TimesheetDay) any { return d.LastOut }},
	{Key: "justified", Header: "Justified", Kind: Flag,
		DayValue: func(_ *core.PersonTimesheet, d *core.TimesheetDay) any { return d.Justified }},
	{Key: "auto_closed", Header: "Auto-closed", Kind: Flag,
		DayValue: func(_ *core.PersonTimesheet, d *core.TimesheetDay) any { return d.AutoClosed }},
	minutes("paid_minutes", "Paid (h)", func(m core.Minutes) int { return m.Paid }),
	minutes("break_minutes", "Break (h)", func(m core.Minutes) int { return m.Break }),
	minutes("night_minutes", "Night (h)", func(m core.Minutes) int { return m.Night }),
	minutes("balance_minutes", "Balance (h)", func(m core.Minutes) int { return m.Balance }),
	{Key: "bank_minutes", Header: "Time bank (h)", Kind: Minutes,
		DayValue: func(_ *core.PersonTimesheet, d *core.TimesheetDay) any { return d.Bank }},
	{Key: "bank_from", Header: "Time bank from", Kind: Day,
		TotalValue: func(p *core.PersonTimesheet) any { return p.Bank.From }},
	bank("bank_opening_minutes", "Time bank opening (h)", func(b core.TimeBank) int { return b.Opening }),
	bank("bank_adjustments_minutes", "Time bank adjustments (h)", func(b core.TimeBank) int { return b.Adjustments }),
	bank("bank_closing_minutes", "Time bank closing (h)", func(b core.TimeBank) int { return b.Closing }),
}

// dayColumns and totalColumns are the columns of the days and of the
// totals.
func dayColumns() []Column   { return only(func(c Column) bool { return c.DayValue != nil }) }
func totalColumns() []Column { return only(func(c Column) bool { return c.TotalValue != nil }) }

func only(keep func(Column) bool) []Column {
	var out []Column
	for _, c := range Columns {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// statusWords are the day statuses in English words, the keys of their
// translations.
var statusWords = map[core.DayStatus]string{
	core.DayPresent:     "present",
	core.DayLate:        "late",
	core.DayAbsent:      "absent",
	core.DayHalfDay:     "half day",
	core.DayOff:         "off",
	core.DayHoliday:     "holiday",
	core.DayUpcoming:    "upcoming",
	core.DayNotEmployed: "not employed",
}

// MetricRow is one row of the metrics file: a state's figures, in all or
// for its justified or unjustified records.
type MetricRow struct {
	State, Part string // English words: "late", "justified"
	Values      core.MetricValues
}

// MetricColumn is one column of the metrics file.
type MetricColumn struct {
	Key, Header string
	Kind        Kind
	Value       func(r MetricRow) any
}

// MetricColumns are the metrics file's columns.
var MetricColumns = []MetricColumn{
	{"state", "State", Word, func(r MetricRow) any { return r.State }},
	{"part", "Records", Word, func(r MetricRow) any { return r.Part }},
	{"count", "Count", Count, func(r MetricRow) any { return r.Values.Count }},
	{"days", "Days", Count, func(r MetricRow) any { return r.Values.Days }},
	{"half_days", "Half-days", Count, func(r MetricRow) any { return r.Values.HalfDays }},
	{"hours", "Hours", Hours, func(r MetricRow) any { return r.Values.Hours }},
}

// MetricRows are m's rows: each state in all, justified and unjustified.
func MetricRows(m core.Metrics) []MetricRow {
	var rows []MetricRow
	for _, s := range []struct {
		name string
		v    core.StateMetrics
	}{{"present", m.Present}, {"late", m.Late}, {"absent", m.Absent}, {"half_day", m.HalfDay}} {
		rows = append(rows,
			MetricRow{s.name, "all", s.v.MetricValues},
			MetricRow{s.name, "justified", s.v.Justified},
			MetricRow{s.name, "unjustified", s.v.Unjustified})
	}
	return rows
}
