package core_test

import (
	"errors"
	"testing"

	"frontdesk/core"
)

// TestForbiddenError: a refused action is a core.ForbiddenError naming
// the actor, the permission and the action, whose text is the engine's
// sentence as it always read and which matches ErrForbidden.
func TestForbiddenError(t *testing.T) {
	e, _ := staffEngine(t)
	desk := staffAccount(t, e, "desk", "", core.PermDoorsView)
	boss := staffAccount(t, e, "boss", "bob", core.PermDoorsView, core.PermGrantsEditOwn)
	tests := []struct {
		name string
		do   func() error
		want core.ForbiddenError
		text string
	}{
		{"Authorize", func() error { return e.Authorize(desk, core.PermBackupRun) },
			core.ForbiddenError{Actor: "desk", Permission: core.PermBackupRun, What: "do this"},
			"forbidden: desk may not do this (needs backup.run)"},
		{"export", func() error { _, err := e.Export(desk); return err },
			core.ForbiddenError{Actor: "desk", Permission: core.PermBackupRun, What: "export the site"},
			"forbidden: desk may not export the site (needs backup.run)"},
		{"a door not one's own", func() error {
			_, err := e.AddGrant(boss, core.Grant{Person: "ann", Door: "lab", Kind: core.GrantPermanent})
			return err
		}, core.ForbiddenError{Actor: "boss", Permission: core.PermGrantsEditOwn, What: "change access to doors", Door: "lab"},
			"forbidden: boss does not own door lab (grants.edit.own covers only one's own doors)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if !errors.Is(err, core.ErrForbidden) {
				t.Fatalf("got %v, want ErrForbidden", err)
			}
			var fe core.ForbiddenError
			if !errors.As(err, &fe) || fe != tt.want {
				t.Errorf("got %#v, want %#v", err, tt.want)
			}
			if err.Error() != tt.text {
				t.Errorf("got %q, want %q", err.Error(), tt.text)
			}
		})
	}
	if got := (core.ForbiddenError{Permission: core.PermLogsViewAny}).About(); got != "see the whole event log" {
		t.Errorf("About: got %q", got)
	}
	if got := (core.ForbiddenError{Permission: "no.such"}).About(); got != "no.such" {
		t.Errorf("About of an unknown permission: got %q", got)
	}
}
