package sheet

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"frontdesk/core"
	"frontdesk/core/i18n"
)

// WriteXLSX writes the timesheet as a workbook: a sheet of the days, one
// row per person and day, and a sheet of the totals, one row per person
// with their time bank; sheet names, headers and statuses in l's
// language. Durations are numbers of hours (450 minutes are 7.5),
// shown with two decimals, so that they sum and multiply by an hourly
// rate as they are; dates are dates shown ISO.
func WriteXLSX(w io.Writer, ts core.Timesheet, l Locale) error {
	return writeXLSX(w, l, []namedGrid{{"Days", days(ts)}, {"Totals", totals(ts)}})
}

// WriteMetricsXLSX writes the metrics as a workbook of one sheet.
func WriteMetricsXLSX(w io.Writer, m core.Metrics, l Locale) error {
	return writeXLSX(w, l, []namedGrid{{"Metrics", metrics(m)}})
}

// namedGrid is a sheet to write: its English name and its grid.
type namedGrid struct {
	name string
	g    grid
}

// xlsxStyles are the workbook's cell styles, by use.
type xlsxStyles struct {
	header, hours, date int
}

func writeXLSX(w io.Writer, l Locale, sheets []namedGrid) error {
	f := excelize.NewFile()
	defer f.Close()
	tr := i18n.New(l.Language)
	var st xlsxStyles
	var err error
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return err
	}
	hoursFormat := "0.00"
	if st.hours, err = f.NewStyle(&excelize.Style{CustomNumFmt: &hoursFormat}); err != nil {
		return err
	}
	dateFormat := "yyyy-mm-dd"
	if st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat}); err != nil {
		return err
	}
	for i, s := range sheets {
		name := tr.T(s.name)
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err == nil {
			err = writeSheet(f, name, s.g, tr, st)
		}
		if err != nil {
			return fmt.Errorf("sheet %s: %w", s.name, err)
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// writeSheet fills sheet with g: a bold header row, frozen, with an
// autofilter; columns as wide as their header or their kind needs.
func writeSheet(f *excelize.File, sheet string, g grid, tr *i18n.Translator, st xlsxStyles) error {
	last := len(g.cols)
	for i, c := range g.cols {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, width(tr.T(c.header), c.kind)); err != nil {
			return err
		}
		style := 0
		switch c.kind {
		case Minutes, Hours:
			style = st.hours
		case Day:
			style = st.date
		}
		if style != 0 {
			if err := f.SetColStyle(sheet, col, style); err != nil {
				return err
			}
		}
	}
	header := make([]any, last)
	for i, c := range g.cols {
		header[i] = tr.T(c.header)
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(last)
	if err := f.SetCellStyle(sheet, "A1", lastCol+"1", st.header); err != nil {
		return err
	}
	row := make([]any, last)
	for r, values := range g.rows {
		for i, c := range g.cols {
			row[i] = cellValue(tr, c.kind, values[i])
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.AutoFilter(sheet, fmt.Sprintf("A1:%s%d", lastCol, len(g.rows)+1), nil)
}

// cellValue is v as a workbook cell holds it.
func cellValue(tr *i18n.Translator, kind Kind, v any) any {
	switch kind {
	case Text:
		return core.EscapeText(v.(string))
	case Day:
		if d := v.(core.Date); d != (core.Date{}) {
			return excelDate(d)
		}
		return nil
	case Status:
		return statusText(tr, v.(core.DayStatus))
	case Word:
		return tr.T(v.(string))
	case Minutes:
		return hours(v.(int))
	}
	return v // Flag, Count, Hours
}

// width is a column's width in characters: its header's, or what its
// kind's values need when wider.
func width(header string, kind Kind) float64 {
	need := map[Kind]int{Text: 14, Day: 11, Status: 12, Minutes: 8, Flag: 8, Count: 7, Hours: 8, Word: 12}[kind]
	return float64(max(need, utf8.RuneCountInString(header)) + 2)
}
