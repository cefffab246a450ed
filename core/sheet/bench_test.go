package sheet

import (
	"fmt"
	"io"
	"testing"

	"frontdesk/core"
)

// BenchmarkXLSXMonth writes the workbook of 1,000 people for a month
// (31,000 rows of days).
func BenchmarkXLSXMonth(b *testing.B) {
	ts := core.Timesheet{People: make([]core.PersonTimesheet, 1000)}
	for i := range ts.People {
		p := &ts.People[i]
		p.Person, p.Name = fmt.Sprintf("p%04d", i), fmt.Sprintf("Person %d", i)
		for d := 1; d <= 31; d++ {
			p.Days = append(p.Days, core.TimesheetDay{Date: core.Date{Year: 2026, Month: 12, Day: d}, Status: core.DayPresent,
				Minutes: core.Minutes{Scheduled: 480, Worked: 470, Presence: 500, Paid: 470, Break: 30, Balance: -10},
				FirstIn: "08:55", LastOut: "17:20"})
		}
	}
	for b.Loop() {
		if err := WriteXLSX(io.Discard, ts, ForLanguage("fr")); err != nil {
			b.Fatal(err)
		}
	}
}
