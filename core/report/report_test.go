package report

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/i18n"
)

// needPoppler skips the test when poppler's tools are not installed.
func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not on PATH (install poppler-utils): %v", tool, err)
		}
	}
}

// render writes r to a temporary file and returns its path.
func render(t *testing.T, r core.Report, o Options) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), string(r.Kind)+".pdf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := Write(f, r, o); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// pdfText is the text of pages first to last (0: all) as pdftotext
// -layout reads it.
func pdfText(t *testing.T, path string, first, last int) string {
	t.Helper()
	args := []string{"-layout", "-enc", "UTF-8"}
	if first > 0 {
		args = append(args, "-f", strconv.Itoa(first), "-l", strconv.Itoa(last))
	}
	out, err := exec.Command("pdftotext", append(args, path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// pdfInfo returns the number of pages and the page size line of pdfinfo.
func pdfInfo(t *testing.T, path string) (pages int, size string) {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "Pages":
			pages, err = strconv.Atoi(v)
			if err != nil {
				t.Fatalf("pdfinfo pages %q: %v", v, err)
			}
		case "Page size":
			size = v
		}
	}
	return pages, size
}

// contains fails the test for each want missing from text.
func contains(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s: %q not found in:\n%s", what, w, text)
		}
	}
}

// checkPages checks "Page X of N" on the first and last page, and the
// whole fingerprint on the last, and returns N.
func checkPages(t *testing.T, path string) int {
	t.Helper()
	n, _ := pdfInfo(t, path)
	contains(t, "first page", pdfText(t, path, 1, 1), fmt.Sprintf("Page 1 of %d", n))
	last := pdfText(t, path, n, n)
	contains(t, "last page", last, fmt.Sprintf("Page %d of %d", n, n), "Data fingerprint: "+fingerprint)
	return n
}

func TestPaper(t *testing.T) {
	needPoppler(t)
	tests := []struct {
		paper, want string
	}{
		{"", "595.28 x 841.89 pts (A4)"},
		{"A4", "595.28 x 841.89 pts (A4)"},
		{"letter", "612 x 792 pts (letter)"},
		{"Letter", "612 x 792 pts (letter)"},
	}
	for _, tt := range tests {
		t.Run(tt.paper, func(t *testing.T) {
			_, got := pdfInfo(t, render(t, musterReport(), Options{Paper: tt.paper}))
			if got != tt.want {
				t.Errorf("page size: got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("landscape doorlog", func(t *testing.T) {
		_, got := pdfInfo(t, render(t, doorLogReport(3), Options{Paper: "Letter"}))
		if want := "792 x 612 pts (letter)"; got != want {
			t.Errorf("page size: got %q, want %q", got, want)
		}
	})
}

func TestWriteErrors(t *testing.T) {
	missing := timesheetReport(1, 1, 1)
	missing.Timesheet = nil
	unknown := musterReport()
	unknown.Kind = "payroll"
	tests := []struct {
		name string
		r    core.Report
		o    Options
	}{
		{"unknown paper", musterReport(), Options{Paper: "A5"}},
		{"no data", missing, Options{}},
		{"unknown kind", unknown, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Write(&buf, tt.r, tt.o)
			if !errors.Is(err, core.ErrInvalid) {
				t.Errorf("got %v, want an ErrInvalid error", err)
			}
			if buf.Len() != 0 {
				t.Errorf("got %d bytes written, want none", buf.Len())
			}
		})
	}
}

func TestAttendance(t *testing.T) {
	needPoppler(t)
	path := render(t, attendanceReport(3, 4), Options{})
	checkPages(t, path)
	text := pdfText(t, path, 0, 0)
	contains(t, "attendance", text,
		"HQ Paris", "Attendance sheet", "at 2026-11-24 09:30",
		"Generated 2026-11-24 09:31 Europe/Paris by Maëlle Dupré",
		"In now (3)", "Expected, not in (4)",
		nameFR, nameDE, nameRU, "08:51", "+33 6 12 34 56 78",
		"09:00–17:30", "not arrived", "left 09:12",
		"This report covers 3 people in, 4 expected and not in.")

	t.Run("empty", func(t *testing.T) {
		text := pdfText(t, render(t, attendanceReport(0, 0), Options{}), 0, 0)
		contains(t, "empty sheet", text, "In now (0)", "Expected, not in (0)")
		if n := strings.Count(text, "Nobody."); n != 2 {
			t.Errorf("got %d \"Nobody.\", want 2", n)
		}
	})
}

// smallTimesheet is one person over three days with known totals, one
// with no events, and one with no days at all.
func smallTimesheet() core.Report {
	r := timesheetReport(0, 1, 0)
	ts := r.Timesheet
	ts.From, ts.To = date("2026-11-23"), date("2026-11-25")
	r.Period = "2026-11-23 to 2026-11-25"
	zoe := core.PersonTimesheet{Person: "zoe", Name: nameFR, Department: "eng", Days: []core.TimesheetDay{
		{Date: date("2026-11-23"), Status: core.DayPresent, Minutes: core.Minutes{Scheduled: 480, Worked: 425, Presence: 470, Overtime: 45, EarlyLeave: 55}, FirstIn: "08:15", LastOut: "16:05"},
		{Date: date("2026-11-24"), Status: core.DayLate, Minutes: core.Minutes{Scheduled: 480, Worked: 455, Presence: 455, Late: 25}, FirstIn: "09:25", LastOut: "21:00", Justified: true, AutoClosed: true},
		{Date: date("2026-11-25"), Status: core.DayAbsent, Minutes: core.Minutes{Scheduled: 480}},
	}}
	zoe.Totals = core.Minutes{Scheduled: 1440, Worked: 880, Presence: 925, Overtime: 45, Late: 25, EarlyLeave: 55}
	idle := core.PersonTimesheet{Person: "jurgen", Name: nameDE, Department: "eng", Days: []core.TimesheetDay{
		{Date: date("2026-11-23"), Status: core.DayOff},
		{Date: date("2026-11-24"), Status: core.DayOff},
		{Date: date("2026-11-25"), Status: core.DayOff},
	}}
	none := core.PersonTimesheet{Person: "anna", Name: nameRU}
	ts.Groups = []core.TimesheetGroup{
		{Department: "eng", Name: "Engineering", People: []core.PersonTimesheet{zoe, idle}, Totals: zoe.Totals},
		{People: []core.PersonTimesheet{none}},
	}
	ts.Totals = zoe.Totals
	return r
}

func TestTimesheet(t *testing.T) {
	needPoppler(t)
	path := render(t, smallTimesheet(), Options{})
	checkPages(t, path)
	text := pdfText(t, path, 0, 0)
	contains(t, "timesheet", text,
		"Timesheet", "2026-11-23 to 2026-11-25",
		"Engineering — 2 people", "No department — 1 person",
		nameFR, nameDE, nameRU,
		"Mon 2026-11-23", "Tue 2026-11-24", "Wed 2026-11-25",
		"7:05", "7:35", "0:45", "0:25", "0:55", "8:00",
		"justified, auto-closed", "absent", "off",
		"worked 14:40 of 24:00 scheduled", // totals as h:mm
		"No days in this period.",
		"worked 0:00 of 0:00 scheduled", // a person with no events
		"Totals", "All",
		"scheduled", "worked", "overtime", // the chart's legend
		"This report covers 3 people in 2 departments, 6 person-days.")
	if !regexp.MustCompile(`Total\s+24:00\s+14:40\s+15:25\s+0:45\s+0:25\s+0:55`).MatchString(text) {
		t.Errorf("totals row 24:00 14:40 15:25 0:45 0:25 0:55 not found in:\n%s", text)
	}
}

func TestTimesheetBreaks(t *testing.T) {
	needPoppler(t)
	// One person over 90 days: the table continues on the next pages,
	// with its header repeated.
	path := render(t, timesheetReport(1, 1, 90), Options{})
	n := checkPages(t, path)
	if n < 3 {
		t.Fatalf("got %d pages, want the table to run over at least 3", n)
	}
	page2 := pdfText(t, path, 2, 2)
	contains(t, "page 2", page2, nameFR+" (continued)", "Scheduled", "Early", "Notes", "Timesheet", "HQ Paris")

	// Ten people over a month: one block per page, never split, on
	// either paper.
	for _, paper := range []string{"A4", "Letter"} {
		path = render(t, timesheetReport(10, 5, 30), Options{Paper: paper})
		n = checkPages(t, path)
		if want := 11; n != want {
			t.Errorf("%s: got %d pages, want %d: a page per person and the totals", paper, n, want)
		}
		for p := 1; p <= n; p++ {
			text := pdfText(t, path, p, p)
			if strings.Contains(text, "(continued)") {
				t.Errorf("%s page %d: a person's block was split:\n%s", paper, p, text)
			}
		}
	}
}

func TestAbsences(t *testing.T) {
	needPoppler(t)
	path := render(t, absencesReport(true, false), Options{})
	checkPages(t, path)
	text := pdfText(t, path, 0, 0)
	contains(t, "absences", text,
		"Absences and lateness", "Summary", "By person", "Records and justifications",
		"Count", "Half-days", "Hours", "unjust.",
		nameFR, nameDE, nameRU,
		"derived from taps", "by hand: Training course in Lyon", "manager:alice",
		"2026-11-05 00:00–24:00", "valid", "pending",
		"Médecin", "причина отсутствия", "1 (1 deleted)",
		"72:00", "0:25", // hours as h:mm
		"This report covers 4 people, 9 records, 6 justifications.")
	if strings.Contains(text, "withheld") {
		t.Errorf("reasons shown, want no \"withheld\":\n%s", text)
	}

	t.Run("withheld", func(t *testing.T) {
		text := pdfText(t, render(t, absencesReport(true, true), Options{}), 0, 0)
		contains(t, "withheld", text, "withheld")
		if strings.Contains(text, "Médecin") {
			t.Errorf("reason printed although withheld:\n%s", text)
		}
	})
	t.Run("empty period", func(t *testing.T) {
		path := render(t, absencesReport(false, false), Options{})
		checkPages(t, path)
		contains(t, "empty", pdfText(t, path, 0, 0), "No late or absent records in this period.", nameRU)
	})
}

func TestDoorLog(t *testing.T) {
	needPoppler(t)
	path := render(t, doorLogReport(200), Options{})
	n := checkPages(t, path)
	if n < 3 {
		t.Fatalf("got %d pages, want the log to run over several", n)
	}
	text := pdfText(t, path, 0, 0)
	contains(t, "doorlog", text,
		"Door log", "door Main entrance", "Events (200)",
		"2026-11-02 07:00", "Main entrance", nameFR, nameDE, nameRU,
		"granted", "denied: outside schedule", "denied: unknown card", "ignored: duplicate",
		"em:00DEADBEEF", "level Staff, schedule Office hours",
		"Events by result", "100%",
		"This report covers 200 events.")
	// The header row is repeated on the next page.
	contains(t, "page 2", pdfText(t, path, 2, 2), "Events (200) (continued)", "Time", "Door", "Person", "Result", "Explanation")

	t.Run("empty", func(t *testing.T) {
		path := render(t, doorLogReport(0), Options{})
		checkPages(t, path)
		contains(t, "empty", pdfText(t, path, 0, 0), "No events in this period.", "0 events")
	})
}

func TestMuster(t *testing.T) {
	needPoppler(t)
	path := render(t, musterReport(), Options{})
	if n := checkPages(t, path); n != 1 {
		t.Errorf("got %d pages, want 1", n)
	}
	contains(t, "muster", pdfText(t, path, 0, 0),
		"Muster list", "5 people inside", "Office — 4", "Laboratory — 1",
		nameFR, nameDE, nameRU, "08:41", "+33 6 12 34 56 71",
		"(?) not checked out", "2026-11-23")
}

func TestAccess(t *testing.T) {
	needPoppler(t)
	path := render(t, accessReport(), Options{})
	checkPages(t, path)
	contains(t, "access", pdfText(t, path, 0, 0),
		"Who may open which door", "Main entrance (main)", "owners: Bob Stone", "Mode lockdown",
		nameFR, nameDE, nameRU,
		"level Staff (department)", "Office hours", "any time",
		"grant g12 once", "2026-11-30", "no active card", "master",
		"grant g13 temporary", "from 2026-11-25 08:00", "2026-11-30 18:00",
		"Nobody may open this door.",
		"This report covers 3 doors, 5 ways to open.")
}

func TestHM(t *testing.T) {
	tests := []struct {
		min  int
		want string
	}{{0, "0:00"}, {5, "0:05"}, {425, "7:05"}, {-30, "-0:30"}, {600, "10:00"}, {74040, "1234:00"}}
	for _, tt := range tests {
		if got := hm(tt.min); got != tt.want {
			t.Errorf("hm(%d): got %q, want %q", tt.min, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Zoë Lefèvre", "Zoë Lefèvre"},
		{"Анна", "Анна"},
		{"a\tb\nc", "a b c"},
		{"ok 😀 ok", "ok ? ok"},
		{"\U00010000", "?"},
		{"bad\xffbyte", "bad?byte"},
		{"cut \xe2\x82", "cut ??"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	r := musterReport()
	d := newDoc(&r, "A4", false, "", i18n.New("en"))
	d.newPage()
	d.setFont(familySans, "", 8)
	tests := []string{
		"short",
		"level Staff covers Main entrance with schedule Office hours, but not at this instant: the next window opens Monday",
		"Это причина отсутствия, длинная строка, которая должна переноситься",
		"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	}
	for _, s := range tests {
		lines := wrap(d, nil, s, 30)
		for _, l := range lines {
			if w := d.measure(l); w > 30 {
				t.Errorf("wrap(%q): line %q is %.1f mm wide, want at most 30", s, l, w)
			}
		}
		if got, want := strings.Join(lines, ""), strings.ReplaceAll(s, " ", ""); strings.ReplaceAll(got, " ", "") != want {
			t.Errorf("wrap(%q): got %q, lost text", s, lines)
		}
	}
}

// TestWriteSamples writes every kind, in realistic sizes, to
// report-KIND.pdf files: in $FRONTDESK_REPORT_SAMPLES when set, to look at
// them, else in a temporary folder, checking each is a whole PDF.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("FRONTDESK_REPORT_SAMPLES")
	if dir == "" {
		dir = t.TempDir()
	}
	samples := map[string]core.Report{
		"attendance": attendanceReport(12, 7),
		"timesheet":  timesheetReport(4, 2, 30),
		"absences":   absencesReport(true, false),
		"doorlog":    doorLogReport(80),
		"muster":     musterReport(),
		"access":     accessReport(),
		"small":      smallTimesheet(),
		"payroll":    payrollTimesheet(),
		"large":      timesheetReport(1000, 50, 30),
	}
	for name, r := range samples {
		f, err := os.Create(filepath.Join(dir, "report-"+name+".pdf"))
		if err != nil {
			t.Fatal(err)
		}
		if err := Write(f, r, Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[max(0, len(b)-1024):], []byte("%%EOF")) {
			t.Errorf("%s: not a whole PDF (%d bytes)", name, len(b))
		}
	}
}

// BenchmarkTimesheetPDF1000 renders the timesheet of 1,000 people over
// 30 days (DESIGN §7: its PDF in at most 5 s).
func BenchmarkTimesheetPDF1000(b *testing.B) {
	r := timesheetReport(1000, 50, 30)
	peak := heapPeak(b)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var size int
	for b.Loop() {
		var w countWriter
		if err := Write(&w, r, Options{}); err != nil {
			b.Fatal(err)
		}
		size = int(w)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(elapsed.Milliseconds())/float64(b.N), "ms/op")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MB-alloc/op")
	b.ReportMetric(float64(peak())/(1<<20), "MB-peak-heap")
	b.ReportMetric(float64(size)/(1<<20), "MB-pdf")
}

// countWriter counts the bytes written to it.
type countWriter int

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

var _ io.Writer = (*countWriter)(nil)

// heapPeak samples the live heap every few milliseconds until the
// benchmark ends; the function it returns stops sampling and reports the
// highest value seen.
func heapPeak(b *testing.B) func() uint64 {
	const name = "/memory/classes/heap/objects:bytes"
	stop := make(chan struct{})
	var (
		wg   sync.WaitGroup
		peak uint64
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: name}}
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	var once sync.Once
	done := func() uint64 {
		once.Do(func() { close(stop); wg.Wait() })
		return peak
	}
	b.Cleanup(func() { done() })
	return done
}

// TestUnprintable checks that text the fonts cannot draw prints as '?'
// instead of failing: CJK, emoji, a rune past the Basic Multilingual
// Plane, control characters.
func TestUnprintable(t *testing.T) {
	needPoppler(t)
	r := attendanceReport(1, 0)
	r.Attendance.In[0].Name = "李小龙 😀\tBruce"
	r.Attendance.In[0].Zone = "Office\n2"
	r.Attendance.In[0].Phone = "+33 \xe2\x82"
	text := pdfText(t, render(t, r, Options{}), 0, 0)
	contains(t, "unprintable", text, "??? ? Bruce", "Office 2")
}

// TestHugeCell checks that a text longer than a page is cut to fit one
// row on one page instead of running off the paper.
func TestHugeCell(t *testing.T) {
	needPoppler(t)
	r := doorLogReport(2)
	r.DoorLog.Events[1].Explanation = strings.Repeat("a very long explanation ", 800) + "END"
	path := render(t, r, Options{})
	n := checkPages(t, path)
	text := pdfText(t, path, 0, 0)
	contains(t, "huge cell", text, "level Staff, schedule Office hours")
	if !regexp.MustCompile(`a very long explanation.*…`).MatchString(text) {
		t.Errorf("the cut text does not end with an ellipsis:\n%s", text)
	}
	if strings.Contains(text, "END") {
		t.Errorf("the end of a text longer than a page was printed, want it cut")
	}
	if n > 4 {
		t.Errorf("got %d pages, want at most 4", n)
	}
}

func TestThousands(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {123456, "123,456"}, {1234567, "1,234,567"}, {-1234, "-1,234"}, {-123456, "-123,456"}}
	for _, tt := range tests {
		if got := i18n.New("en").Number(tt.n); got != tt.want {
			t.Errorf("thousands(%d): got %q, want %q", tt.n, got, tt.want)
		}
	}
}

// footerCheckpoint is a checkpoint line as a caller passes it: about 380
// characters in fields separated by spaces.
const footerCheckpoint = "frontdesk-checkpoint v1 site=0e36c5916ecd817b " +
	"events=123456:0d15599f96da4fefc41e983a51afbfe587a8b62966b34cc1c4b4d6d518146f95 " +
	"audit=4321:5745231506af5069e6c84c5c87c9ab9368ba40ac2d4484ff8d3dacef2208c9c9 at=2026-12-02T03:20:00Z key=42f9759f982cf4ab " +
	"sig=5bb884881657b8d76108f81f954df16c5d028be5ae49c2da57d02254a5df6c6b7a01fef921a397f53dd26cd9e419e7aaaa6ce170993b3e0e8bdbc1f0bdf89204"

// bboxWord is a word of pdftotext -bbox: its box in points and its text.
var bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// TestCheckpointInEveryFooter: the checkpoint the caller gives is on every
// page, whole, in the footer: inside the page's margins, below "Page X of
// Y", with nothing of the content in the footer, portrait and landscape,
// on both papers.
func TestCheckpointInEveryFooter(t *testing.T) {
	needPoppler(t)
	tokens := strings.Fields(footerCheckpoint)
	tests := []struct {
		name  string
		r     core.Report
		paper string
	}{
		{"timesheet A4", timesheetReport(3, 2, 40), "A4"},
		{"timesheet Letter", timesheetReport(3, 2, 40), "Letter"},
		{"door log, landscape", doorLogReport(300), "A4"},
		{"muster", musterReport(), "Letter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := render(t, tt.r, Options{Paper: tt.paper, Checkpoint: footerCheckpoint})
			n := checkPages(t, path)
			out, err := exec.Command("pdftotext", "-bbox", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(string(out), "<page ")[1:]
			if len(pages) != n {
				t.Fatalf("pdftotext -bbox: %d pages, pdfinfo %d", len(pages), n)
			}
			for i, page := range pages {
				width, _ := strconv.ParseFloat(regexp.MustCompile(`width="([\d.]+)"`).FindStringSubmatch(page)[1], 64)
				type word struct {
					x0, y0, x1, y1 float64
					s              string
				}
				var words []word
				pageLine := -1.0
				for _, m := range bboxWord.FindAllStringSubmatch(page, -1) {
					f := func(i int) float64 { v, _ := strconv.ParseFloat(m[i], 64); return v }
					w := word{f(1), f(2), f(3), f(4), html.UnescapeString(m[5])}
					words = append(words, w)
					if w.s == "Page" && w.y0 > pageLine {
						pageLine = w.y0
					}
				}
				var footer, cp []string
				for _, w := range words {
					if w.y0 < pageLine-1 {
						// The content ends above the footer's rule, 4 mm
						// over the page number's baseline.
						if w.y1 > pageLine-3 {
							t.Errorf("page %d: %q reaches %.1f pt, into the footer (page number at %.1f pt)", i+1, w.s, w.y1, pageLine)
						}
						continue
					}
					footer = append(footer, w.s)
					if w.y0 > pageLine+1 {
						cp = append(cp, w.s)
						if w.x0 < marginX/ptMM-1 || w.x1 > width-marginX/ptMM+1 {
							t.Errorf("page %d: %q from %.1f to %.1f pt, outside the margins of a %.1f pt page", i+1, w.s, w.x0, w.x1, width)
						}
					}
				}
				if !slices.Equal(cp, tokens) {
					t.Fatalf("page %d: below the page number %q, want the checkpoint %q", i+1, cp, tokens)
				}
				// The title, "Page X of N", the fingerprint's start, the
				// checkpoint: nothing of the content.
				if want := len(strings.Fields(tt.r.Kind.Title())) + 4 + 1 + len(tokens); len(footer) != want {
					t.Errorf("page %d: the footer holds %d words %q, want %d", i+1, len(footer), footer, want)
				}
			}
		})
	}
	// Without a checkpoint the footer is as before.
	path := render(t, musterReport(), Options{})
	if strings.Contains(pdfText(t, path, 0, 0), "frontdesk-checkpoint") {
		t.Error("a checkpoint printed that nobody gave")
	}
}

// TestVersionInEveryFooter: the version given is on every page's footer
// line, after the page number, clear of the title and the fingerprint,
// portrait and landscape, and in the PDF's creator; a long one is cut.
func TestVersionInEveryFooter(t *testing.T) {
	needPoppler(t)
	const long = "1.4.0-123-gabcdef0-dirty+a-very-long-build-name-nobody-reads"
	tests := []struct {
		name    string
		r       core.Report
		version string
		want    string
	}{
		{"timesheet", timesheetReport(3, 2, 40), "1.4.0-3-gabc1234-dirty", "1.4.0-3-gabc1234-dirty"},
		{"door log, landscape", doorLogReport(300), "dev", "dev"},
		{"long", musterReport(), long, long[:maxVersion]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := render(t, tt.r, Options{Version: tt.version, Checkpoint: footerCheckpoint})
			n := checkPages(t, path)
			for i := 1; i <= n; i++ {
				contains(t, fmt.Sprintf("page %d", i), pdfText(t, path, i, i),
					fmt.Sprintf("Page %d of %d — Frontdesk %s ", i, n, tt.want))
			}
			out, err := exec.Command("pdftotext", "-bbox", "-f", "1", "-l", "1", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			// The footer line's words, left to right, do not overlap.
			var line []float64
			pageY := -1.0
			words := bboxWord.FindAllStringSubmatch(string(out), -1)
			for _, m := range words {
				if m[5] == "Page" {
					pageY, _ = strconv.ParseFloat(m[2], 64)
				}
			}
			for _, m := range words {
				y, _ := strconv.ParseFloat(m[2], 64)
				if y < pageY-1 || y > pageY+1 {
					continue
				}
				x0, _ := strconv.ParseFloat(m[1], 64)
				x1, _ := strconv.ParseFloat(m[3], 64)
				if len(line) > 0 && x0 < line[len(line)-1] {
					t.Errorf("the footer's %q starts at %.1f pt, before the word before it ends (%.1f pt)", m[5], x0, line[len(line)-1])
				}
				line = append(line, x1)
			}
			info, err := exec.Command("pdfinfo", path).Output()
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(`(?m)^Creator:\s+Frontdesk ` + regexp.QuoteMeta(tt.want) + `$`).Match(info) {
				t.Errorf("pdfinfo says:\n%s\nwant Creator: Frontdesk %s", info, tt.want)
			}
		})
	}
	if strings.Contains(pdfText(t, render(t, musterReport(), Options{}), 0, 0), "Frontdesk") {
		t.Error("a version printed that nobody gave")
	}
}

// TestTimesheetPayrollColumns: the paid, break, night and balance columns
// and the time bank appear when the site uses them, on a landscape page,
// and not otherwise.
func TestTimesheetPayrollColumns(t *testing.T) {
	needPoppler(t)
	withPayroll := func(u core.TimesheetUses) core.Report {
		r := smallTimesheet()
		ts := r.Timesheet
		ts.Uses = u
		zoe := &ts.Groups[0].People[0]
		zoe.Days[0].Paid, zoe.Days[0].Break, zoe.Days[0].Night, zoe.Days[0].Balance = 410, 60, 35, -70
		zoe.Days[1].Paid, zoe.Days[1].Balance = 575, 95
		zoe.Totals.Paid, zoe.Totals.Break, zoe.Totals.Night, zoe.Totals.Balance = 985, 60, 35, 25
		zoe.Bank = core.TimeBank{Opening: 120, Closing: 145}
		ts.Groups[0].Totals = zoe.Totals
		ts.Totals = zoe.Totals
		return r
	}
	tests := []struct {
		name      string
		uses      core.TimesheetUses
		want, not []string
		landscape bool
	}{
		{"none", core.TimesheetUses{}, nil, []string{"Paid", "Break", "Night", "Balance", "time bank"}, false},
		{"paid", core.TimesheetUses{Paid: true}, []string{"Paid", "Break", "6:50", "9:35", "16:25", "paid 16:25 · break 1:00"},
			[]string{"Night", "Balance", "time bank"}, true},
		{"all", core.TimesheetUses{Paid: true, Night: true, Balance: true},
			[]string{"Paid", "Break", "Night", "Balance", "-1:10", "+1:35", "+0:25", "time bank +2:25", "night 0:35", "balance +0:25"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := render(t, withPayroll(tt.uses), Options{})
			text := pdfText(t, path, 0, 0)
			contains(t, tt.name, text, tt.want...)
			for _, w := range tt.not {
				if strings.Contains(text, w) {
					t.Errorf("%q shown though the site does not use it", w)
				}
			}
			_, size := pdfInfo(t, path)
			var w, h float64
			fmt.Sscanf(size, "%f x %f", &w, &h)
			if landscape := w > h; landscape != tt.landscape {
				t.Errorf("page %s: landscape %v, want %v", size, landscape, tt.landscape)
			}
		})
	}
}

// payrollTimesheet is timesheetReport(4, 2, 30) at a site that uses
// every payroll column: paid time less a 45-minute break on days over
// six hours, night time after 21:00, the balance and a time bank.
func payrollTimesheet() core.Report {
	r := timesheetReport(4, 2, 30)
	ts := r.Timesheet
	ts.Uses = core.TimesheetUses{Paid: true, Night: true, Balance: true}
	ts.Totals = core.Minutes{}
	for gi := range ts.Groups {
		g := &ts.Groups[gi]
		g.Totals = core.Minutes{}
		for pi := range g.People {
			p := &g.People[pi]
			p.Totals = core.Minutes{}
			for di := range p.Days {
				m := &p.Days[di].Minutes
				m.Paid = m.Presence
				if m.Presence > 6*60 {
					m.Break, m.Paid = 45, m.Presence-45
				}
				m.Night = max(0, m.Presence-13*60)
				m.Balance = m.Paid - m.Scheduled
				p.Totals.Scheduled += m.Scheduled
				p.Totals.Worked += m.Worked
				p.Totals.Presence += m.Presence
				p.Totals.Overtime += m.Overtime
				p.Totals.Late += m.Late
				p.Totals.EarlyLeave += m.EarlyLeave
				p.Totals.Paid += m.Paid
				p.Totals.Break += m.Break
				p.Totals.Night += m.Night
				p.Totals.Balance += m.Balance
			}
			p.Bank = core.TimeBank{Opening: 90, Closing: 90 + p.Totals.Balance}
			g.Totals = sumMinutes(g.Totals, p.Totals)
		}
		ts.Totals = sumMinutes(ts.Totals, g.Totals)
	}
	return r
}

func sumMinutes(a, b core.Minutes) core.Minutes {
	return core.Minutes{Scheduled: a.Scheduled + b.Scheduled, Worked: a.Worked + b.Worked, Presence: a.Presence + b.Presence,
		Overtime: a.Overtime + b.Overtime, Late: a.Late + b.Late, EarlyLeave: a.EarlyLeave + b.EarlyLeave,
		Paid: a.Paid + b.Paid, Break: a.Break + b.Break, Night: a.Night + b.Night, Balance: a.Balance + b.Balance}
}
