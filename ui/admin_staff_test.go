package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

func newStaff(t *testing.T, e *core.Engine, perms ...core.Permission) (*staffScreen, *session) {
	t.Helper()
	s := staffSession(t, e, "chief", "", perms...)
	x := newStaffScreen(s)
	showIn(t, s, x.build())
	return x, s
}

func account(t *testing.T, e *core.Engine, name string) (core.AccountInfo, bool) {
	t.Helper()
	accs, err := e.Accounts(testCLI)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(accs, func(a core.AccountInfo) bool { return a.Username == name })
	if i < 0 {
		return core.AccountInfo{}, false
	}
	return accs[i], true
}

func TestStaffAddAccountPasswordRule(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	// Whoever gives the receptionist and manager roles holds their
	// permissions: nobody hands out more than they hold.
	perms := []core.Permission{core.PermAccountsEdit, core.PermRolesEdit}
	for _, r := range core.BuiltinRoles() {
		if r.ID == core.RoleReceptionist || r.ID == core.RoleManager {
			perms = append(perms, r.Permissions...)
		}
	}
	x, _ := newStaff(t, e, perms...)
	if len(x.tabs.Items) != 2 {
		t.Fatalf("%d tabs, want accounts and roles", len(x.tabs.Items))
	}
	if !strings.Contains(x.pwRule.Text, "at least 10 characters") {
		t.Errorf("rule %q, want the 10-character rule shown", x.pwRule.Text)
	}
	test.Tap(x.accCat.newBtn)
	test.Type(x.username, "dora")
	x.accRoles.SetSelected([]string{"Receptionist (receptionist)"})
	test.Type(x.password, "123456789")
	test.Type(x.password2, "123456789")
	if x.pwRule.Importance != widget.DangerImportance {
		t.Errorf("rule importance %v with 9 characters, want danger", x.pwRule.Importance)
	}
	test.Tap(x.accCat.saveBtn)
	if p := x.accCat.form.spots.shownText("password"); p != "Password: too short: at least 10 characters" {
		t.Errorf("problem %q, want the password rule", p)
	}
	if _, ok := account(t, e, "dora"); ok {
		t.Fatal("an account was created with a 9-character password")
	}

	x.password.SetText("0123456789")
	x.password2.SetText("0123456780")
	test.Tap(x.accCat.saveBtn)
	if p := x.accCat.form.spots.shownText("password"); !strings.Contains(p, "differ") {
		t.Errorf("problem %q, want the passwords differ", p)
	}
	x.password2.SetText("0123456789")
	test.Tap(x.accCat.saveBtn)
	a, ok := account(t, e, "dora")
	if !ok || !slices.Equal(a.Roles, []string{"receptionist"}) || !a.Enabled {
		t.Fatalf("dora %+v (found %v), want an enabled receptionist", a, ok)
	}
	if _, err := e.Login("dora", "0123456789"); err != nil {
		t.Errorf("dora cannot log in: %v", err)
	}
	if x.username.Text != "dora" || !x.username.Disabled() {
		t.Errorf("form shows %q (disabled %v) after adding, want dora", x.username.Text, x.username.Disabled())
	}

	test.Tap(x.enable)
	if a, _ := account(t, e, "dora"); a.Enabled {
		t.Error("Disable left dora enabled")
	}
	if x.enable.Text != "Enable" {
		t.Errorf("button %q for a disabled account, want Enable", x.enable.Text)
	}
	x.accRoles.SetSelected([]string{"Receptionist (receptionist)", "Manager (manager)"})
	test.Tap(x.accCat.saveBtn)
	if a, _ := account(t, e, "dora"); a.Enabled || !slices.Equal(a.Roles, []string{"manager", "receptionist"}) {
		t.Errorf("dora %+v after saving roles, want still disabled, with both roles", a)
	}
}

func TestStaffRoleMatrix(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	if _, err := e.AddAccount(testCLI, core.AccountInfo{Username: "bob", Person: "bob", Roles: []string{core.RoleBoss}}, adminPassword); err != nil {
		t.Fatal(err)
	}
	x, s := newStaff(t, e, core.PermRolesEdit, core.PermDoorsView, core.PermGrantsEditOwn, core.PermLogsViewOwn, core.PermReportsPrint)
	if len(x.tabs.Items) != 1 || x.tabs.Items[0].Text != "Roles and permissions" {
		t.Fatalf("tabs %v, want only roles without accounts.edit", x.tabs.Items)
	}
	// Nobody gives a role a permission they lack, nor changes a role
	// holding one: those boxes are not offered.
	if !x.checks[core.RoleBoss][core.PermAuditView].Disabled() || !x.checks[core.RoleAdmin][core.PermDoorsView].Disabled() {
		t.Error("boxes offered for a permission the chief lacks, or in the admin role")
	}
	box := x.checks[core.RoleBoss][core.PermReportsPrint]
	if box == nil || box.Checked || !x.saveRoles.Disabled() {
		t.Fatal("boss's reports.print box missing or ticked, or Save enabled before a change")
	}
	test.Tap(box)
	if x.saveRoles.Disabled() {
		t.Fatal("Save disabled after a change")
	}
	test.Tap(x.saveRoles)
	boss := role(t, e, core.RoleBoss)
	if !slices.Contains(boss.Permissions, core.PermReportsPrint) || !slices.Contains(boss.Permissions, core.PermGrantsEditOwn) {
		t.Errorf("boss %v, want reports.print added to its permissions", boss.Permissions)
	}
	test.Tap(x.checks[core.RoleBoss][core.PermReportsPrint])
	test.Tap(x.checks[core.RoleBoss][core.PermLogsViewOwn])
	test.Tap(x.saveRoles)
	if boss := role(t, e, core.RoleBoss); slices.Contains(boss.Permissions, core.PermReportsPrint) ||
		slices.Contains(boss.Permissions, core.PermLogsViewOwn) || len(boss.Permissions) != 2 {
		t.Errorf("boss %v, want reports.print and logs.view.own taken away", boss.Permissions)
	}

	// A role in use is not deleted: the engine says who has it.
	x.delRole.setID(core.RoleBoss)
	test.Tap(x.delRoleBtn)
	tapDialog(t, s.window, "Delete")
	if !x.rolesMsg.Visible() || !strings.Contains(x.rolesMsg.Text, "in use by bob") {
		t.Errorf("message %q, want the role in use by bob", x.rolesMsg.Text)
	}
	if _, err := e.Roles(testCLI); err != nil {
		t.Fatal(err)
	}
	role(t, e, core.RoleBoss) // still there

	x.newRoleID.SetText("guard")
	x.newRoleNm.SetText("Security guard")
	test.Tap(x.addRoleBtn)
	if g := role(t, e, "guard"); g.Name != "Security guard" || len(g.Permissions) != 0 {
		t.Errorf("guard %+v, want a new role without permissions", g)
	}
	test.Tap(x.checks["guard"][core.PermDoorsView])
	test.Tap(x.saveRoles)
	if g := role(t, e, "guard"); !slices.Equal(g.Permissions, []core.Permission{core.PermDoorsView}) {
		t.Errorf("guard %v, want doors.view", g.Permissions)
	}
	x.delRole.setID("guard")
	test.Tap(x.delRoleBtn)
	tapDialog(t, s.window, "Delete")
	if roles, _ := e.Roles(testCLI); slices.ContainsFunc(roles, func(r core.Role) bool { return r.ID == "guard" }) {
		t.Errorf("guard not deleted: %s", x.rolesMsg.Text)
	}
	if _, ok := x.checks["guard"]; ok {
		t.Error("the matrix still has guard's column")
	}
}

func role(t *testing.T, e *core.Engine, id string) core.Role {
	t.Helper()
	roles, err := e.Roles(testCLI)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(roles, func(r core.Role) bool { return r.ID == id })
	if i < 0 {
		t.Fatalf("no role %s", id)
	}
	return roles[i]
}
