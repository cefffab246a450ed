package ui

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

// testCheckpoint is a checkpoint line as the command gives the window.
const testCheckpoint = "frontdesk-checkpoint v1 site=0e36c5916ecd817b " +
	"events=2:0d15599f96da4fefc41e983a51afbfe587a8b62966b34cc1c4b4d6d518146f95 " +
	"audit=2:5745231506af5069e6c84c5c87c9ab9368ba40ac2d4484ff8d3dacef2208c9c9 at=2026-12-02T03:20:00Z key=42f9759f982cf4ab " +
	"sig=5bb884881657b8d76108f81f954df16c5d028be5ae49c2da57d02254a5df6c6b7a01fef921a397f53dd26cd9e419e7aaaa6ce170993b3e0e8bdbc1f0bdf89204"

// pdfWords is the text of the PDF at path, its blanks made single spaces.
func pdfWords(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (poppler-utils): cannot read the PDF's text back")
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestPrintedReportsCarryTheCheckpoint: the reports page and the
// reception's muster button both ask the command for the checkpoint when
// they print, and it is in the PDF's footer.
func TestPrintedReportsCarryTheCheckpoint(t *testing.T) {
	test.NewTempApp(t)
	e, _ := receptionEngine(t)
	tap(t, e, "main-in", "em:0102B0A5FD")
	var asked atomic.Int32
	checkpoint := func() string {
		asked.Add(1)
		return testCheckpoint
	}

	r, _, ui := newReports(t, e, core.CommandLine("test"))
	r.s.checkpoint = checkpoint
	r.kindSelect.SetSelected("Muster list")
	buildReport(t, r, ui)
	if r.built == nil {
		t.Fatalf("no report built; problem %q", r.problem.Text)
	}
	path := filepath.Join(t.TempDir(), "muster.pdf")
	os.WriteFile(path, r.built.pdf, 0o600)
	if text := pdfWords(t, path); !strings.Contains(text, testCheckpoint) {
		t.Errorf("the reports page's PDF has no checkpoint:\n%s", text)
	}

	rec, _, recUI := newReception(t, e, core.CommandLine("test"))
	rec.s.checkpoint = checkpoint
	rec.openURL = func(*url.URL) error { return nil }
	test.Tap(rec.muster)
	recUI.until(t, "the muster list", func() bool { return rec.musterPath != "" })
	if text := pdfWords(t, rec.musterPath); !strings.Contains(text, testCheckpoint) {
		t.Errorf("the reception's muster list has no checkpoint:\n%s", text)
	}
	if n := asked.Load(); n != 2 {
		t.Errorf("the checkpoint was asked for %d times, want once per print", n)
	}
}

// TestAppPassesTheCheckpointToSessions: what the command gives in Options
// reaches the screens of whoever logs in.
func TestAppPassesTheCheckpointToSessions(t *testing.T) {
	e, _ := newEngine(t)
	a, _, _ := newTestApp(t, e, Options{Actor: core.CommandLine("test"), Checkpoint: func() string { return testCheckpoint }})
	if a.session == nil || a.session.checkpoint == nil || a.session.printOptions("A4").Checkpoint != testCheckpoint {
		t.Fatal("the session does not print reports with the app's checkpoint")
	}
}
