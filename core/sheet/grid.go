package sheet

import (
	"math"
	"strconv"
	"strings"
	"time"

	"frontdesk/core"
	"frontdesk/core/i18n"
)

// grid is a table ready to write: its columns and its rows of values,
// one value per column, of the Go type of the column's Kind.
type grid struct {
	cols []gridColumn
	rows [][]any
}

type gridColumn struct {
	key, header string
	kind        Kind
}

// days is the grid of the timesheet's days: one row per person and day.
func days(ts core.Timesheet) grid {
	cols := dayColumns()
	g := grid{cols: gridColumns(cols)}
	for i := range ts.People {
		p := &ts.People[i]
		for j := range p.Days {
			row := make([]any, len(cols))
			for k, c := range cols {
				row[k] = c.DayValue(p, &p.Days[j])
			}
			g.rows = append(g.rows, row)
		}
	}
	return g
}

// totals is the grid of the timesheet's totals: one row per person.
func totals(ts core.Timesheet) grid {
	cols := totalColumns()
	g := grid{cols: gridColumns(cols)}
	for i := range ts.People {
		row := make([]any, len(cols))
		for k, c := range cols {
			row[k] = c.TotalValue(&ts.People[i])
		}
		g.rows = append(g.rows, row)
	}
	return g
}

func gridColumns(cols []Column) []gridColumn {
	out := make([]gridColumn, len(cols))
	for i, c := range cols {
		out[i] = gridColumn{c.Key, c.Header, c.Kind}
	}
	return out
}

// metrics is the grid of m.
func metrics(m core.Metrics) grid {
	var g grid
	for _, c := range MetricColumns {
		g.cols = append(g.cols, gridColumn{c.Key, c.Header, c.Kind})
	}
	for _, r := range MetricRows(m) {
		row := make([]any, len(MetricColumns))
		for k, c := range MetricColumns {
			row[k] = c.Value(r)
		}
		g.rows = append(g.rows, row)
	}
	return g
}

// keyText is v as the CSV for programs writes it.
func keyText(kind Kind, v any) string {
	switch kind {
	case Day:
		return dateText(v.(core.Date))
	case Status:
		return string(v.(core.DayStatus))
	case Minutes, Count:
		return strconv.Itoa(v.(int))
	case Flag:
		return strconv.FormatBool(v.(bool))
	case Hours:
		return strconv.FormatFloat(v.(float64), 'f', 2, 64)
	}
	// Text is escaped: a payroll file is also read on a terminal, with
	// cat or less.
	return core.EscapeText(v.(string))
}

// peopleText is v as a file for people in locale l writes it, tr being
// l's translator.
func peopleText(tr *i18n.Translator, l Locale, kind Kind, v any) string {
	switch kind {
	case Status:
		return statusText(tr, v.(core.DayStatus))
	case Word:
		return tr.T(v.(string))
	case Minutes:
		return decimalHours(v.(int), l.Decimal)
	case Hours:
		return strings.Replace(strconv.FormatFloat(v.(float64), 'f', 2, 64), ".", string(l.Decimal), 1)
	case Flag:
		if v.(bool) {
			return tr.T("yes")
		}
		return tr.T("no")
	case Text:
		return defused(core.EscapeText(v.(string)))
	}
	return keyText(kind, v)
}

// statusText is a day status in tr's language.
func statusText(tr *i18n.Translator, s core.DayStatus) string {
	if w, ok := statusWords[s]; ok {
		return tr.T(w)
	}
	return string(s)
}

// dateText is d in ISO, or nothing for the zero date (a time bank
// without a start).
func dateText(d core.Date) string {
	if d == (core.Date{}) {
		return ""
	}
	return d.String()
}

// decimalHours writes minutes as hours with two decimals and the
// decimal mark: 450 is "7.50", -125 is "-2.08". Rounded half away from
// zero, in integers, so that no float error shows.
func decimalHours(minutes int, mark byte) string {
	sign := ""
	if minutes < 0 {
		sign, minutes = "-", -minutes
	}
	hundredths := (minutes*100 + 30) / 60
	return sign + strconv.Itoa(hundredths/100) + string(mark) + twoDigits(hundredths%100)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// defused keeps a spreadsheet from reading text as a formula: a name
// that starts with =, +, - or @ gets a leading apostrophe (OWASP's CSV
// injection advice).
func defused(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// hours is minutes in hours, as the XLSX writes them.
func hours(minutes int) float64 { return float64(minutes) / 60 }

// excelDate is d as a spreadsheet's date serial: days since 1899-12-30.
func excelDate(d core.Date) float64 {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return math.Round(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}
