package httpapi

import (
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/coretest"
)

// BenchmarkTimesheet1000API is a month's timesheet of 1,000 people
// (about 250,000 events), in process and through the Unix socket. Budget:
// through the API within 1.3x of in process.
func BenchmarkTimesheet1000API(b *testing.B) {
	e, _, _ := coretest.MonthSite(b, 1000)
	q := core.TimesheetQuery{From: core.Date{Year: 2026, Month: time.November, Day: 1}, To: core.Date{Year: 2026, Month: time.November, Day: 30}}
	c := dial(b, serve(b, NewServer(e, Options{}), trusted()))
	cli := core.CommandLine("bench")
	for _, via := range []struct {
		name string
		api  core.API
	}{{"in-process", e}, {"unix-socket", c}} {
		b.Run(via.name, func(b *testing.B) {
			for b.Loop() {
				ts, err := via.api.Timesheet(cli, q)
				if err != nil {
					b.Fatal(err)
				}
				if len(ts.People) != 1000 {
					b.Fatalf("%d people", len(ts.People))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/timesheet")
		})
	}
}
