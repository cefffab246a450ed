package ui

import (
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
	"frontdesk/core/sheet"
)

// attExport saves the timesheet shown as a payroll file: a CSV for
// spreadsheets or an XLSX workbook (core/sheet), in the window's
// language, where the user chooses.
type attExport struct {
	t *attSheetTab

	csv, xlsx *widget.Button
	msg       *widget.Label
	// saveFile asks where to write the file named name
	// (dialog.NewFileSave); tests replace it.
	saveFile func(name string, cb func(fyne.URIWriteCloser, error))
}

// payrollFormats are the files the timesheet exports, by extension.
var payrollFormats = map[string]func(w io.Writer, ts core.Timesheet, l sheet.Locale) error{
	".csv":  sheet.WriteSpreadsheetCSV,
	".xlsx": sheet.WriteXLSX,
}

func newAttExport(t *attSheetTab) *attExport {
	e := &attExport{t: t}
	e.saveFile = func(name string, cb func(fyne.URIWriteCloser, error)) {
		d := dialog.NewFileSave(cb, t.x.s.window)
		d.SetFileName(name)
		d.Resize(fyne.NewSize(800, 560))
		d.Show()
	}
	e.csv = widget.NewButtonWithIcon(lang.L("Export CSV"), theme.DocumentSaveIcon(), func() { e.export(".csv") })
	e.xlsx = widget.NewButtonWithIcon(lang.L("Export XLSX"), theme.DocumentSaveIcon(), func() { e.export(".xlsx") })
	e.msg = widget.NewLabel("")
	e.ready(false)
	return e
}

// bar lays the buttons and what the last export said out in a row.
func (e *attExport) bar() fyne.CanvasObject { return container.NewHBox(e.csv, e.xlsx, e.msg) }

// ready offers the export once a timesheet is shown.
func (e *attExport) ready(yes bool) {
	for _, b := range []*widget.Button{e.csv, e.xlsx} {
		if yes {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// export asks where to save the timesheet shown as ext, then writes it
// off the UI thread and says where it went.
func (e *attExport) export(ext string) {
	t := e.t
	ts, write := t.sheet, payrollFormats[ext]
	l := sheet.ForLanguage(windowLanguage())
	name := fmt.Sprintf("timesheet-%04d-%02d%s", t.month.Year, int(t.month.Month), ext)
	e.saveFile(name, func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			t.x.s.fail(lang.L("Export the timesheet"), err)
			return
		}
		if w == nil {
			return // cancelled
		}
		e.ready(false)
		e.msg.SetText(lang.L("Exporting…"))
		t.x.async(func() func() {
			err := write(w, ts, l)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			return func() {
				e.ready(true)
				if err != nil {
					e.msg.SetText("")
					t.x.s.fail(lang.L("Export the timesheet"), err)
					return
				}
				e.msg.SetText(fmt.Sprintf(lang.L("Saved to %s"), w.URI().Path()))
			}
		})
	})
}
