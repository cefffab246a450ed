package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// reportNames are the people of reportSite, cycled: Latin, accented and
// Cyrillic script.
var reportNames = []string{"Ann Martin", "Zoë Lefèvre", "Jürgen Groß", "Анна Кузнецова", "Дмитрий Орлов", "François Dupré"}

// reportSite writes a site of n people in 10 departments with a day
// shift, owners on the lab, and returns its path.
func reportSite(t *testing.T, dir string, n int) string {
	t.Helper()
	type person struct {
		ID         string   `json:"id"`
		Name       string   `json:"name"`
		Phone      string   `json:"phone"`
		Department string   `json:"department"`
		Cards      []string `json:"cards"`
		Started    string   `json:"started"`
	}
	site := map[string]any{
		"site":  map[string]any{"name": "Société Générale d'Essai", "timezone": "Europe/Paris", "desk_zone": "office"},
		"zones": []map[string]any{{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Bureau", "work": true}, {"id": "lab", "name": "Лаборатория", "work": true}},
		"shifts": []map[string]any{{"id": "day", "name": "Day", "week": map[string]any{
			"mon": []string{"09:00-17:00"}, "tue": []string{"09:00-17:00"}, "wed": []string{"09:00-17:00"}, "thu": []string{"09:00-17:00"}, "fri": []string{"09:00-17:00"}}}},
		"doors": []map[string]any{{"id": "main", "name": "Main entrance", "from": "outside", "to": "office"},
			{"id": "lab", "name": "Lab door", "from": "office", "to": "lab", "owners": []string{"p0000"}}},
		"devices": []map[string]any{{"id": "in", "kind": "sim", "door": "main", "direction": "in"}, {"id": "out", "kind": "sim", "door": "main", "direction": "out"},
			{"id": "lab-in", "kind": "sim", "door": "lab", "direction": "in"}},
		"access_levels": []map[string]any{{"id": "all", "name": "Everyone", "rules": []map[string]any{{"doors": []string{"main", "lab"}}}}},
	}
	var depts []map[string]any
	for d := range 10 {
		depts = append(depts, map[string]any{"id": fmt.Sprintf("d%d", d), "name": []string{"Ventes", "Вычисления", "Qualität"}[d%3] + fmt.Sprintf(" %d", d),
			"access_level": "all", "shift": "day"})
	}
	site["departments"] = depts
	var people []person
	for i := range n {
		people = append(people, person{ID: fmt.Sprintf("p%04d", i), Name: fmt.Sprintf("%s %d", reportNames[i%len(reportNames)], i),
			Phone: fmt.Sprintf("+33 6 12 34 %02d %02d", i/100, i%100), Department: fmt.Sprintf("d%d", i%10),
			Cards: []string{fmt.Sprintf("em:01%08X", i+1)}, Started: "2026-01-01"})
	}
	site["people"] = people
	b, err := json.Marshal(site)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "site.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pdfText is the text of a PDF, laid out, read back with pdftotext.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// pdfPages is a PDF's page count, from pdfinfo.
func pdfPages(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count in %s", path, out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// TestReportsOfAThousandPeople prints the six reports of a 1,000-person
// site with names in three scripts through the command line, and reads
// each back as a user would see it.
func TestReportsOfAThousandPeople(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (poppler-utils; make deps installs it): cannot read the PDFs back", tool)
		}
	}
	const n = 1000
	dir := t.TempDir()
	// FRONTDESK_REPORT_KEEP=DIR keeps the site, database and PDFs there,
	// to look at the pages (pdftoppm -png).
	if keep := os.Getenv("FRONTDESK_REPORT_KEEP"); keep != "" {
		dir = keep
		os.Remove(filepath.Join(dir, "r.db"))
		t.Logf("keeping the PDFs in %s", dir)
	}
	db := filepath.Join(dir, "r.db")
	mustCLI(t, db, "import", reportSite(t, dir, n))

	// Monday 16 November 2026: everyone comes in at 09:00 (every seventh
	// late at 09:20) and leaves at 17:00, except p0003, absent, and every
	// hundredth, who is still in. p0001 goes into the lab on Tuesday.
	var taps strings.Builder
	for i := range n {
		if i == 3 {
			continue
		}
		card := fmt.Sprintf("em:01%08X", i+1)
		in := "2026-11-16T09:00"
		if i%7 == 0 {
			in = "2026-11-16T09:20"
		}
		fmt.Fprintf(&taps, "in,%s,%s\n", card, in)
		if i%100 != 50 {
			fmt.Fprintf(&taps, "out,%s,2026-11-16T17:00\n", card)
		}
	}
	fmt.Fprintf(&taps, "in,em:0100000002,2026-11-17T09:00\nlab-in,em:0100000002,2026-11-17T10:00\nin,em:0DEADBEEF0,2026-11-17T10:05\n")
	tapFile := filepath.Join(dir, "taps.csv")
	os.WriteFile(tapFile, []byte(taps.String()), 0o600)
	mustCLI(t, db, "tap", "--from-file", tapFile)
	mustCLI(t, db, "justif", "add", "--person", "p0003", "--from", "2026-11-16", "--to", "2026-11-17", "--reason", "Arrêt maladie", "--state", "valid")

	pdf := func(kind string, args ...string) (string, string) {
		t.Helper()
		out := filepath.Join(dir, kind+".pdf")
		msg := mustCLI(t, db, append([]string{"report", kind, "--out", out}, args...)...)
		if !strings.Contains(msg, "wrote "+out) || !strings.Contains(msg, "sha256:") {
			t.Errorf("report %s said %q", kind, msg)
		}
		text := pdfText(t, out)
		pages := pdfPages(t, out)
		for _, want := range []string{"Société Générale d'Essai", fmt.Sprintf("Page 1 of %d", pages), fmt.Sprintf("Page %d of %d", pages, pages)} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: no %q in its text", kind, want)
			}
		}
		fp := regexp.MustCompile(`sha256:[0-9a-f]{64}`).FindString(msg)
		if compact := strings.Join(strings.Fields(text), ""); fp == "" || !strings.Contains(compact, fp) {
			t.Errorf("%s: the fingerprint %s is not on its last page", kind, fp)
		}
		return text, out
	}

	text, path := pdf("timesheet", "--from", "2026-11-16", "--to", "2026-11-20")
	if pages := pdfPages(t, path); pages < 100 {
		t.Errorf("timesheet of 1,000 people on %d pages", pages)
	}
	for _, want := range []string{"Анна Кузнецова 3", "Zoë Lefèvre 1", "Jürgen Groß 2", "Вычисления 1", "8:00"} {
		if !strings.Contains(text, want) {
			t.Errorf("timesheet: no %q", want)
		}
	}

	text, _ = pdf("attendance", "--at", "2026-11-16T10:00")
	if !strings.Contains(text, "Анна Кузнецова 3") || !strings.Contains(text, "+33 6 12 34 00 01") {
		t.Errorf("attendance sheet at 10:00: Anna 3 (absent, expected) or Zoë's phone missing")
	}

	text, _ = pdf("absences", "--from", "2026-11-16", "--to", "2026-11-16", "--department", "d3")
	if !strings.Contains(text, "Анна Кузнецова 3") || !strings.Contains(text, "Arrêt maladie") {
		t.Errorf("absences: no justified absence of Anna 3 with its reason")
	}
	if strings.Contains(text, "Zoë Lefèvre 1 ") {
		t.Errorf("absences of department d3 list someone of d1")
	}

	text, _ = pdf("doorlog", "--from", "2026-11-17", "--to", "2026-11-17", "--door", "main")
	if !strings.Contains(text, "Zoë Lefèvre 1") || !strings.Contains(text, "em:0DEADBEEF0") {
		t.Errorf("door log: Zoë 1's entry or the unknown card missing:\n%s", text)
	}

	text, _ = pdf("muster")
	if !strings.Contains(text, "Лаборатория") || !strings.Contains(text, "Zoë Lefèvre 1") {
		t.Errorf("muster: Zoë 1 in the lab missing")
	}

	text, _ = pdf("access", "--door", "main", "--paper", "letter")
	if !strings.Contains(text, "Дмитрий Орлов 4") || !strings.Contains(text, "Everyone") {
		t.Errorf("access: Dmitri 4 through level Everyone missing")
	}
	if out, _ := exec.Command("pdfinfo", filepath.Join(dir, "access.pdf")).Output(); !strings.Contains(string(out), "612 x 792") {
		t.Errorf("--paper letter: %s", out)
	}
}

func TestReportCommandErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	mustCLI(t, db, "import", reportSite(t, dir, 3))
	out := filepath.Join(dir, "x.pdf")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report"}, 2, "wrong number of arguments"},
		{[]string{"report", "payroll", "--out", out}, 2, `no kind "payroll"`},
		{[]string{"report", "muster"}, 2, "--out FILE.pdf is required"},
		{[]string{"report", "muster", "--out", filepath.Join(dir, "x.txt")}, 2, "must end in .pdf"},
		{[]string{"report", "muster", "--out", out, "--paper", "A3"}, 2, "want A4 or Letter"},
		{[]string{"report", "timesheet", "--out", out, "--from", "2026-11-01"}, 1, "needs --from and --to"},
		{[]string{"report", "timesheet", "--out", out, "--from", "01/11/2026", "--to", "2026-11-30"}, 2, "--from"},
		{[]string{"report", "muster", "--out", out, "--door", "main"}, 1, "does not take --door"},
		{[]string{"report", "doorlog", "--out", out, "--from", "2026-11-01", "--to", "2026-11-30", "--door", "nope"}, 1, `no door "nope"`},
	} {
		code, _, errs := cli(t, db, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d %q, want %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused report left %s behind: %v", out, err)
	}
	// --json prints the data and its fingerprint, and writes no file.
	j := mustCLI(t, db, "report", "muster", "--json")
	var got struct {
		Kind        string
		Fingerprint string
		Muster      struct{ Total int }
	}
	if err := json.Unmarshal([]byte(j), &got); err != nil || got.Kind != "muster" || !strings.HasPrefix(got.Fingerprint, "sha256:") {
		t.Errorf("--json: %v %+v", err, got)
	}
}
