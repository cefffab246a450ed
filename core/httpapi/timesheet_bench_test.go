package httpapi

import (
	"slices"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/coretest"
)

// BenchmarkTimesheet1000API is a month's timesheet of 1,000 people
// (about 250,000 events), in process and through the Unix socket, one
// after the other in each round so that both see the same machine (a
// shared one drifts by a fifth within a minute). Budget: through the API
// within 1.3x of in process, the ratio of the medians.
func BenchmarkTimesheet1000API(b *testing.B) {
	e, _, _ := coretest.MonthSite(b, 1000)
	q := core.TimesheetQuery{From: core.Date{Year: 2026, Month: time.November, Day: 1}, To: core.Date{Year: 2026, Month: time.November, Day: 30}}
	c := dial(b, serve(b, NewServer(e, Options{}), trusted()))
	cli := core.CommandLine("bench")
	var inProcess, api []time.Duration
	run := func(via core.API, into *[]time.Duration) {
		start := time.Now()
		ts, err := via.Timesheet(cli, q)
		if err != nil {
			b.Fatal(err)
		}
		*into = append(*into, time.Since(start))
		if len(ts.People) != 1000 {
			b.Fatalf("%d people", len(ts.People))
		}
	}
	for b.Loop() {
		run(e, &inProcess)
		run(c, &api)
	}
	median := func(d []time.Duration) time.Duration {
		slices.Sort(d)
		return d[len(d)/2]
	}
	in, out := median(inProcess), median(api)
	b.ReportMetric(float64(in.Milliseconds()), "in-process-ms")
	b.ReportMetric(float64(out.Milliseconds()), "api-ms")
	b.ReportMetric(float64(out)/float64(in), "api/in-process")
}
