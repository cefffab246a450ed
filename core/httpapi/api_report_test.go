package httpapi

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"frontdesk/core"
	"frontdesk/core/report"
)

// TestReportPrintsTheSameThroughTheService prints each kind of report
// from the engine's Report and from the client's, with the same options,
// and reads both files back with poppler: the same words at the same
// places on the same pages, and the same document information (title,
// period, author, creation date). The report's zone, when it was
// generated and by whom, its fingerprint and the timesheet's names all
// come through. The bytes are not compared: gofpdf does not write the
// same bytes twice even in one process (it walks maps of fonts and
// glyphs).
func TestReportPrintsTheSameThroughTheService(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (poppler-utils)", tool)
		}
	}
	tw := newTwins(t)
	a := commandLine(t, tw.cli)
	// Both sites get the same day at the reception first.
	local := &scenario{api: tw.local.engine, a: a, clock: tw.clock, taps: true}
	remote := &scenario{api: tw.cli, a: a, clock: tw.clock, taps: true}
	local.run()
	remote.run()
	opts := report.Options{Paper: "A4", Checkpoint: "frontdesk-checkpoint v1 site=HQ events=12:abcd audit=7:ef01 sig=AAAA"}
	printed := map[string]bool{}
	for i, q := range reportQueries {
		want, err := tw.local.engine.Report(a, q)
		if err != nil {
			continue // the refused queries of the scenario
		}
		got, err := tw.cli.Report(a, q)
		if err != nil {
			t.Errorf("%s: %v", q.Kind, err)
			continue
		}
		if got.Location.String() != "Europe/Paris" {
			t.Errorf("%s: got location %v, want Europe/Paris", q.Kind, got.Location)
		}
		var gotPDF, wantPDF bytes.Buffer
		if err := report.Write(&wantPDF, want, opts); err != nil {
			t.Fatalf("%s: print the engine's report: %v", q.Kind, err)
		}
		if err := report.Write(&gotPDF, got, opts); err != nil {
			t.Fatalf("%s: print the client's report: %v", q.Kind, err)
		}
		printed[string(q.Kind)] = true
		dir := t.TempDir()
		gotText, wantText := readPDF(t, dir, "got", gotPDF.Bytes()), readPDF(t, dir, "want", wantPDF.Bytes())
		if gotText != wantText {
			t.Errorf("report %d (%s): through the service:\n%s\nin process:\n%s", i, q.Kind, gotText, wantText)
		}
	}
	if len(printed) != len(core.ReportKinds) {
		t.Errorf("printed %v, want every kind", printed)
	}
}

// readPDF is what poppler reads in the PDF b: its information, then
// every word with its box.
func readPDF(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	words, err := exec.Command("pdftotext", "-bbox", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// pdfinfo names the file: only what follows is compared.
	var kept [][]byte
	for _, l := range bytes.Split(info, []byte("\n")) {
		if !bytes.HasPrefix(l, []byte("File size:")) {
			kept = append(kept, l)
		}
	}
	return string(bytes.Join(kept, []byte("\n"))) + string(words)
}
