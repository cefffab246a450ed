package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestVersion: `frontdesk version` and `frontdesk --version` print the
// build's version, with --json before or after as an object.
func TestVersion(t *testing.T) {
	if v := buildVersion(); !strings.HasPrefix(v, "dev") {
		t.Errorf("a test build's version: %q, want dev...", v)
	}
	old := version
	version = "1.4.0-3-gabc1234"
	t.Cleanup(func() { version = old })
	for _, args := range [][]string{{"version"}, {"--version"}, {"version", "--db", "/nowhere/x.db"}, {"--db", "/nowhere/x.db", "--version"}} {
		code, out, errs := runArgs(args...)
		if code != 0 || out != "frontdesk 1.4.0-3-gabc1234\n" || errs != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	for _, args := range [][]string{{"version", "--json"}, {"--json", "version"}, {"--version", "--json"}, {"--json", "--version"}} {
		code, out, errs := runArgs(args...)
		var got map[string]string
		if code != 0 || errs != "" || json.Unmarshal([]byte(out), &got) != nil || len(got) != 1 || got["version"] != "1.4.0-3-gabc1234" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want {\"version\": ...}", args, code, out, errs)
		}
	}
}

// TestVersionOfABuild builds the program as the Makefile does, with the
// version given, then without: a plain go build in a git work tree says
// "dev-" and the commit.
func TestVersionOfABuild(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: it builds the program twice")
	}
	// The tests run under the go tool: it must be there to build with.
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool that builds the program: %v", err)
	}
	dir := t.TempDir()
	build := func(name string, flags ...string) string {
		t.Helper()
		exe := filepath.Join(dir, name)
		cmd := exec.Command(gobin, slices.Concat([]string{"build", "-tags", "migrated_fynedo"}, flags, []string{"-o", exe, "."})...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %q: %v\n%s", flags, err, out)
		}
		out, err := exec.Command(exe, "--version").Output()
		if err != nil {
			t.Fatalf("%s --version: %v", name, err)
		}
		return string(out)
	}
	if got := build("given", "-ldflags", "-X main.version=9.9.9-test"); got != "frontdesk 9.9.9-test\n" {
		t.Errorf("built with -X main.version=9.9.9-test: %q", got)
	}
	// Without the version, the commit Go recorded if it did: not in a
	// git worktree, nor with -buildvcs=false in GOFLAGS.
	got := build("plain")
	info, err := exec.Command(gobin, "version", "-m", filepath.Join(dir, "plain")).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := `^frontdesk dev\n$`
	if m := regexp.MustCompile(`\tvcs\.revision=([0-9a-f]{12})`).FindSubmatch(info); m != nil {
		want = `^frontdesk dev-` + string(m[1]) + `(-dirty)?\n$`
	}
	if !regexp.MustCompile(want).MatchString(got) {
		t.Errorf("built without a version: %q, want %s", got, want)
	}
}

// TestReportFooterVersion: the PDF a report command writes carries the
// build's version in every page's footer.
func TestReportFooterVersion(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (poppler-utils; make deps installs it): cannot read the PDF back")
	}
	old := version
	version = "1.4.0-3-gabc1234"
	t.Cleanup(func() { version = old })
	db := newSite(t)
	pdf := filepath.Join(t.TempDir(), "muster.pdf")
	mustCLI(t, db, "report", "muster", "--out", pdf)
	out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "Page 1 of 1 — Frontdesk 1.4.0-3-gabc1234") {
		t.Errorf("the footer lacks the version:\n%s", out)
	}
}
