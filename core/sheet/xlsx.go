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
	return writeXLSX(w, l, []namedGrid{{"Days", days(ts), true}, {"Totals", totals(ts), false}})
}

// WriteMetricsXLSX writes the metrics as a workbook of one sheet.
func WriteMetricsXLSX(w io.Writer, m core.Metrics, l Locale) error {
	return writeXLSX(w, l, []namedGrid{{"Metrics", metrics(m), false}})
}

// namedGrid is a sheet to write: its English name and its grid. A
// streamed sheet is written row by row, which a month of a thousand
// people needs (eight times faster); a workbook has one at most, as
// excelize writes streamed sheets in random order and the file's bytes
// are to be the same from one run to the next.
type namedGrid struct {
	name   string
	g      grid
	stream bool
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
			err = writeSheet(f, name, s, tr, st)
		}
		if err != nil {
			return fmt.Errorf("sheet %s: %w", s.name, err)
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// writeSheet fills sheet with s's grid: a bold header row, frozen, with
// an autofilter; columns as wide as their header or their kind needs.
func writeSheet(f *excelize.File, sheet string, s namedGrid, tr *i18n.Translator, st xlsxStyles) error {
	g := s.g
	header := make([]any, len(g.cols))
	widths := make([]float64, len(g.cols))
	styles := make([]int, len(g.cols))
	for i, c := range g.cols {
		header[i] = tr.T(c.header)
		widths[i] = width(header[i].(string), c.kind)
		switch c.kind {
		case Minutes, Hours:
			styles[i] = st.hours
		case Day:
			styles[i] = st.date
		}
	}
	lastCol, err := excelize.ColumnNumberToName(len(g.cols))
	if err != nil {
		return err
	}
	filter := fmt.Sprintf("A1:%s%d", lastCol, len(g.rows)+1)
	panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
	if s.stream {
		return streamSheet(f, sheet, g, tr, header, widths, styles, st, panes, filter)
	}
	for i := range g.cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, widths[i]); err != nil {
			return err
		}
		if styles[i] != 0 {
			if err := f.SetColStyle(sheet, col, styles[i]); err != nil {
				return err
			}
		}
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", lastCol+"1", st.header); err != nil {
		return err
	}
	row := make([]any, len(g.cols))
	for r, values := range g.rows {
		for i, c := range g.cols {
			row[i] = cellValue(tr, c.kind, values[i])
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, panes); err != nil {
		return err
	}
	return f.AutoFilter(sheet, filter, nil)
}

// streamSheet is writeSheet's streamed way: each cell carries its style.
func streamSheet(f *excelize.File, sheet string, g grid, tr *i18n.Translator, header []any, widths []float64, styles []int,
	st xlsxStyles, panes *excelize.Panes, filter string) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// Each width goes before those set already: set from the last
	// column, as a spreadsheet wants them in order.
	for i := len(widths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(panes); err != nil {
		return err
	}
	row := make([]any, len(g.cols))
	for i, h := range header {
		row[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	for r, values := range g.rows {
		for i, c := range g.cols {
			row[i] = excelize.Cell{StyleID: styles[i], Value: cellValue(tr, c.kind, values[i])}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	// The filter is the worksheet's, which Flush writes out.
	if err := f.AutoFilter(sheet, filter, nil); err != nil {
		return err
	}
	return sw.Flush()
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
