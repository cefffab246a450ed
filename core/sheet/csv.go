package sheet

import (
	"encoding/csv"
	"io"

	"frontdesk/core"
	"frontdesk/core/i18n"
)

// WriteCSV writes the timesheet's days for programs: one row per person
// and day, a header of stable English keys, minutes as integers, dates
// ISO, statuses as their keys, RFC 4180 with LF line ends.
func WriteCSV(w io.Writer, ts core.Timesheet) error {
	return writeKeyCSV(w, days(ts))
}

// WriteSpreadsheetCSV writes the timesheet's days as a spreadsheet of
// locale l opens right: a UTF-8 byte order mark, CRLF line ends, l's
// separator, headers and statuses in l's language, durations in hours
// with two decimals and l's decimal mark, dates ISO.
func WriteSpreadsheetCSV(w io.Writer, ts core.Timesheet, l Locale) error {
	return writePeopleCSV(w, days(ts), l)
}

// WriteMetricsCSV writes the metrics as WriteSpreadsheetCSV writes the
// timesheet.
func WriteMetricsCSV(w io.Writer, m core.Metrics, l Locale) error {
	return writePeopleCSV(w, metrics(m), l)
}

func writeKeyCSV(w io.Writer, g grid) error {
	cw := csv.NewWriter(w)
	row := make([]string, len(g.cols))
	for i, c := range g.cols {
		row[i] = c.key
	}
	cw.Write(row)
	for _, values := range g.rows {
		for i, c := range g.cols {
			row[i] = keyText(c.kind, values[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

func writePeopleCSV(w io.Writer, g grid, l Locale) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	tr := i18n.New(l.Language)
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = l.Comma, true
	row := make([]string, len(g.cols))
	for i, c := range g.cols {
		row[i] = tr.T(c.header)
	}
	cw.Write(row)
	for _, values := range g.rows {
		for i, c := range g.cols {
			row[i] = peopleText(tr, l, c.kind, values[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}
