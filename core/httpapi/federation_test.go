package httpapi

import (
	"testing"

	"frontdesk/core"
)

// TestClientFederation: a client of the service knows the site's place
// among its company's sites as the engine does, from the site settings:
// the window offers no change of the directory at a branch.
func TestClientFederation(t *testing.T) {
	e := newPeopleEngine(t)
	c := dialPeople(t, servePeople(t, e).owner)
	if got := c.Federation(); got != (core.Federation{}) {
		t.Errorf("a site alone: got %+v, want none", got)
	}
	fed := core.FederationSettings{Hub: "nats://127.0.0.1:4222", SiteID: "lyon", CentralSite: "hq", Creds: "/etc/frontdesk/lyon.creds"}
	if err := c.Import(peopleCommandLine(t), &core.SiteFile{Site: &core.SiteSettings{Federation: &fed}}); err != nil {
		t.Fatal(err)
	}
	want := core.Federation{Site: "lyon", Central: "hq"}
	if got := c.Federation(); got != want || !got.Branch() {
		t.Errorf("a branch: got %+v, want %+v", got, want)
	}
	if got := e.Federation(); got != want {
		t.Errorf("the engine: got %+v, want %+v", got, want)
	}
}
