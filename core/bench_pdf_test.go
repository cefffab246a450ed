package core_test

import (
	"bytes"
	"runtime"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/report"
)

// BenchmarkTimesheetPDF1000 is DESIGN §7's budget for the timesheet's
// PDF: the month of monthSite for 1,000 people, from the store to the
// printed file (the report's data, then its pages). Budget: 5 s. It
// reports the pages and the heap the process peaked at beyond what it
// held before, so a change that keeps the whole month twice shows.
func BenchmarkTimesheetPDF1000(b *testing.B) {
	const people = 1000
	e, _ := monthSite(b, people)
	q := core.ReportQuery{Kind: core.ReportTimesheet, From: core.Date{Year: 2026, Month: time.November, Day: 1},
		To: core.Date{Year: 2026, Month: time.November, Day: 30}}
	var size int
	var peak uint64
	b.ResetTimer()
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		done := make(chan uint64)
		go func() { done <- watchHeap(before.HeapAlloc) }()
		r, err := e.Report(core.CommandLine("bench"), q)
		if err != nil {
			b.Fatal(err)
		}
		var out bytes.Buffer
		if err := report.Write(&out, r, report.Options{}); err != nil {
			b.Fatal(err)
		}
		heapStop <- struct{}{}
		peak = max(peak, <-done)
		size = out.Len()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/pdf")
	b.ReportMetric(float64(size)/(1<<20), "MB-file")
	b.ReportMetric(float64(peak)/(1<<20), "MB-heap-peak")
}

// heapStop ends watchHeap.
var heapStop = make(chan struct{})

// watchHeap samples the heap every 10 ms until heapStop and returns the
// most it grew past base.
func watchHeap(base uint64) uint64 {
	var peak uint64
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapAlloc > base {
			peak = max(peak, m.HeapAlloc-base)
		}
		select {
		case <-heapStop:
			return peak
		case <-tick.C:
		}
	}
}
