package main

import (
	"strings"
	"testing"
)

// TestBranchAccountAddRefused: at a branch the staff accounts come from
// the central site: account add exits 1 naming it, and adds nothing.
func TestBranchAccountAddRefused(t *testing.T) {
	db := newSite(t)
	mustCLI(t, db, "import", writeFile(t, "branch.json", `{"site": {"federation": {"hub": "nats://127.0.0.1:4222",
		"site_id": "lyon", "central_site": "hq", "creds": "/etc/frontdesk/lyon.creds"}}}`))
	code, _, errs := cliIn(t, "correct horse battery\ncorrect horse battery\n", db, "account", "add", "--username", "mia", "--roles", "manager")
	if code != 1 || !strings.Contains(errs, "central site hq") {
		t.Errorf("account add at a branch: exit %d, %q; want 1 naming the central site hq", code, errs)
	}
	if out := mustCLI(t, db, "account", "list"); strings.Contains(out, "mia") {
		t.Errorf("account list after the refusal:\n%s", out)
	}
}
