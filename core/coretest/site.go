package coretest

import (
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

// SiteEngine is an engine on a new database holding site (a site file),
// imported from the command line, whose clock is now (time.Now for the
// machine's).
func SiteEngine(t testing.TB, site string, now func() time.Time) *core.Engine {
	t.Helper()
	return SiteEngineOn(t, storagetest.MustOpen(t), site, now)
}

// SiteEngineOn is SiteEngine on db, for a test that also writes to the
// store what a site file cannot hold.
func SiteEngineOn(t testing.TB, db *storage.DB, site string, now func() time.Time) *core.Engine {
	t.Helper()
	e, err := core.NewEngine(db, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := core.ReadSiteFile(strings.NewReader(site))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(core.CommandLine("test"), f); err != nil {
		t.Fatal(err)
	}
	return e
}
