package core_test

import (
	"slices"
	"testing"
	"time"

	"frontdesk/core"
)

// TestEveryProblemAtOnce: a form that names nobody, or roles that do not
// exist, hears of those with its other problems in one answer, each
// coded for its field, and nothing is stored.
func TestEveryProblemAtOnce(t *testing.T) {
	e := newEngine(t, decideSite, at("2026-11-24T10:00:00"))
	from, until := at("2026-11-24T09:00:00"), at("2026-11-24T08:00:00")
	tests := []struct {
		name string
		do   func() error
		want []string // field:code
	}{
		{"justification", func() error {
			_, err := e.AddJustification(cli, core.Justification{Person: "paul", From: from, Until: until, Reason: "x"})
			return err
		}, []string{"person:no_person", "until:not_after"}},
		{"attendance record", func() error {
			_, err := e.AddAttendance(cli, core.AttendanceRecord{Person: "paul", From: from, Until: until, State: core.AttendanceAbsent})
			return err
		}, []string{"person:no_person", "until:not_after"}},
		{"account", func() error {
			_, err := e.AddAccount(cli, core.AccountInfo{Username: "zed", Person: "paul", Roles: []string{"chef", "boss", "cook"}}, "short")
			return err
		}, []string{"password:password_short", "roles:no_role", "roles:no_role", "person:no_person"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			var got []string
			for _, p := range core.ProblemsOf(err) {
				got = append(got, p.Field+":"+p.Code)
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got %v (%v), want %v", got, err, want)
			}
		})
	}
	if accs, _ := e.Accounts(cli); len(accs) != 0 {
		t.Errorf("accounts stored: %v", accs)
	}
	if js, _ := e.Justifications(cli, "", time.Time{}, time.Time{}); len(js) != 0 {
		t.Errorf("justifications stored: %v", js)
	}
}
