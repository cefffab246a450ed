package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// staffPage is the administration of staff accounts and roles.
func staffPage() page {
	return page{id: "staff", title: lang.L("Staff accounts and roles"),
		needs: []core.Permission{core.PermAccountsEdit, core.PermRolesEdit},
		build: func(s *session) fyne.CanvasObject { return newStaffScreen(s).build() }}
}

// staffScreen lists the staff accounts (accounts.edit) and shows the roles
// as a matrix of permissions (roles.edit).
type staffScreen struct {
	s *session

	accounts []core.AccountInfo
	roles    []core.Role

	tabs *container.AppTabs

	accCat    *catalog
	username  *formEntry
	person    *searchPick
	accRoles  *widget.CheckGroup
	accState  *widget.Label
	enable    *widget.Button
	password  *formEntry
	password2 *formEntry
	pwRule    *widget.Label
	resetPw   *widget.Button
	roleIDs   []string // the accounts' role choices, in accRoles' order

	// checks holds the matrix's boxes by role and permission; they hold
	// the changes until Save.
	checks     map[string]map[core.Permission]*widget.Check
	matrixHead *fyne.Container // the roles' names, above the rows
	matrix     *fyne.Container
	saveRoles  *widget.Button
	undoRoles  *widget.Button
	rolesMsg   *widget.Label
	newRoleID  *formEntry
	newRoleNm  *formEntry
	addRoleBtn *widget.Button
	delRole    *picker
	delRoleBtn *widget.Button
}

func newStaffScreen(s *session) *staffScreen { return &staffScreen{s: s} }

func (x *staffScreen) build() fyne.CanvasObject {
	x.tabs = container.NewAppTabs()
	x.readRoles()
	if x.s.can(core.PermAccountsEdit) {
		x.tabs.Append(container.NewTabItem(lang.L("Accounts"), x.buildAccounts()))
	}
	if x.s.can(core.PermRolesEdit) {
		x.tabs.Append(container.NewTabItem(lang.L("Roles and permissions"), x.buildRoles()))
	}
	if x.accCat != nil {
		x.accCat.start()
	}
	return x.s.withCentralNote(core.KindAccount, x.tabs)
}

func (x *staffScreen) readRoles() {
	roles, err := x.s.engine.Roles(x.s.actor)
	if err != nil {
		x.s.fail(lang.L("Read roles"), err)
	}
	x.roles = roles
}

// --- accounts ---

func (x *staffScreen) buildAccounts() fyne.CanvasObject {
	x.username = newFormEntry()
	x.username.SetPlaceHolder("ann")
	x.person = newPeoplePick(peopleFinder(x.s))
	x.person.SetPlaceHolder(lang.L("the person's name, for a boss's doors (optional)"))
	x.accRoles = widget.NewCheckGroup(nil, nil)
	x.accState = widget.NewLabel("")
	x.accState.Wrapping = fyne.TextWrapWord
	x.enable = widget.NewButton("", x.toggleEnabled)
	x.password = newPasswordFormEntry()
	x.password2 = newPasswordFormEntry()
	x.pwRule = widget.NewLabel(fmt.Sprintf(lang.L("A password has at least %d characters."), core.MinPasswordLen))
	x.pwRule.Importance = widget.LowImportance
	x.pwRule.Wrapping = fyne.TextWrapWord
	x.resetPw = widget.NewButtonWithIcon(lang.L("Set this password"), theme.AccountIcon(), x.resetPassword)
	x.password.OnChanged = func(string) { x.checkPassword(false) }
	x.password2.OnChanged = func(string) { x.checkPassword(false) }
	x.setRoleChoices()

	form := newFormGrid()
	form.add(lang.L("Username"), x.username)
	form.add(lang.L("Person"), x.person.box)
	form.add(lang.L("Roles"), x.accRoles)
	form.add(lang.L("State"), container.NewBorder(nil, nil, nil, x.enable, x.accState))
	form.add(lang.L("Password"), x.password)
	form.add(lang.L("Repeat password"), x.password2)
	form.add("", container.NewVBox(x.pwRule, container.NewHBox(x.resetPw)))
	form.field(x.username, "username")
	form.field(x.person, "person")
	form.field(x.accRoles, "roles")
	form.field(x.password, "password", "password_hash")

	x.accCat = &catalog{s: x.s, noun: lang.L("account"), editable: x.s.mayChange(core.KindAccount), form: form,
		count: func() int { return len(x.accounts) },
		row: func(i int) (string, string, widget.Importance) {
			a := x.accounts[i]
			detail := strings.Join(a.Roles, ", ")
			if a.Person != "" {
				detail = a.Person + " · " + detail
			}
			imp := widget.MediumImportance
			switch {
			case !a.Enabled:
				detail += " · " + lang.L("disabled")
				imp = widget.LowImportance
			case x.locked(a):
				detail += " · " + lang.L("locked")
				imp = widget.WarningImportance
			}
			return a.Username, detail, imp
		},
		show: x.showAccount, save: x.saveAccount,
		name: func(i int) string { return x.accounts[i].Username },
		index: func(id string) int {
			return slices.IndexFunc(x.accounts, func(a core.AccountInfo) bool { return a.Username == id })
		},
		reload: func() {
			x.readRoles()
			x.setRoleChoices()
			x.readAccounts()
		},
	}
	x.readAccounts()
	return x.accCat.build(nil, form.box)
}

func (x *staffScreen) readAccounts() {
	accs, err := x.s.engine.Accounts(x.s.actor)
	if err != nil {
		x.s.fail(lang.L("Read accounts"), err)
	}
	x.accounts = accs
}

func (x *staffScreen) locked(a core.AccountInfo) bool {
	return x.s.engine.Now().Before(a.LockedUntil)
}

// setRoleChoices offers the roles in the account form.
func (x *staffScreen) setRoleChoices() {
	if x.accRoles == nil {
		return
	}
	x.roleIDs = nil
	var labels []string
	for _, r := range x.roles {
		x.roleIDs = append(x.roleIDs, r.ID)
		labels = append(labels, roleLabel(r))
	}
	x.accRoles.Options = labels
	x.accRoles.Refresh()
}

func roleLabel(r core.Role) string {
	if r.Name == "" || r.Name == r.ID {
		return r.ID
	}
	return fmt.Sprintf("%s (%s)", roleName(r), r.ID)
}

// roleName is a role's name in the window's language: a built-in role
// that kept its name has it translated; a name someone gave is theirs.
func roleName(r core.Role) string {
	for _, b := range core.BuiltinRoles() {
		if b.ID == r.ID && b.Name == r.Name {
			return lang.L(r.Name)
		}
	}
	return r.Name
}

// chosenRoles returns the ids of the roles ticked.
func (x *staffScreen) chosenRoles() []string {
	var out []string
	for i, id := range x.roleIDs {
		if slices.Contains(x.accRoles.Selected, x.accRoles.Options[i]) {
			out = append(out, id)
		}
	}
	return out
}

func (x *staffScreen) showAccount(i int) {
	a := core.AccountInfo{Enabled: true}
	if i >= 0 {
		a = x.accounts[i]
	}
	x.username.SetText(a.Username)
	x.person.setPicked(choice{id: a.Person, name: nameOf(x.person.find, a.Person)})
	var sel []string
	for j, id := range x.roleIDs {
		if slices.Contains(a.Roles, id) {
			sel = append(sel, x.accRoles.Options[j])
		}
	}
	x.accRoles.SetSelected(sel)
	x.password.SetText("")
	x.password2.SetText("")
	x.pwRule.Importance = widget.LowImportance
	x.pwRule.Refresh()
	setEnabled(i < 0, x.username)
	if i < 0 {
		x.accState.SetText(lang.L("New accounts are enabled."))
		x.enable.Hide()
		x.resetPw.Hide()
		return
	}
	x.enable.Show()
	x.resetPw.Show()
	switch {
	case !a.Enabled:
		x.accState.SetText(lang.L("Disabled: this account cannot log in."))
		x.enable.SetText(lang.L("Enable"))
	case x.locked(a):
		x.accState.SetText(fmt.Sprintf(lang.L("Locked until %s after wrong passwords."),
			a.LockedUntil.In(x.s.engine.Location()).Format("15:04:05")))
		x.enable.SetText(lang.L("Disable"))
	default:
		x.accState.SetText(lang.L("Enabled"))
		x.enable.SetText(lang.L("Disable"))
	}
}

// checkPassword shows the rule in red while the password breaks it, and
// whether the two entries differ; with final it also asks for one.
func (x *staffScreen) checkPassword(final bool) error {
	pw, pw2 := x.password.Text, x.password2.Text
	var err error
	switch {
	case pw == "" && pw2 == "" && !final:
	case core.CheckPasswordRules(pw) != nil:
		err = core.ProblemAt("password", core.CheckPasswordRules(pw))
	case pw != pw2 && (final || pw2 != ""):
		err = fieldError("password", lang.L("the two passwords differ"))
	}
	imp := widget.LowImportance
	if err != nil && (final || len([]rune(pw)) >= core.MinPasswordLen || pw2 != "") {
		imp = widget.DangerImportance
	}
	if x.pwRule.Importance != imp {
		x.pwRule.Importance = imp
		x.pwRule.Refresh()
	}
	return err
}

func (x *staffScreen) saveAccount(isNew bool) (string, error) {
	name := strings.TrimSpace(x.username.Text)
	roles := x.chosenRoles()
	var ps core.Problems
	if len(roles) == 0 {
		ps = append(ps, fieldError("roles", lang.L("tick at least one")))
	}
	person, err := x.person.value(lang.L("person"))
	if err != nil {
		return "", err
	}
	if isNew {
		if name == "" {
			ps = append(ps, fieldError("username", lang.L("required")))
		}
		if err := x.checkPassword(true); err != nil {
			ps = append(ps, err)
		}
		if len(ps) > 0 {
			return "", ps
		}
		_, err := x.s.engine.AddAccount(x.s.actor,
			core.AccountInfo{Username: name, Person: person, Roles: roles}, x.password.Text)
		return name, err
	}
	if len(ps) > 0 {
		return "", ps
	}
	i := x.accCat.index(name)
	if i < 0 {
		return "", fmt.Errorf("%w: no account %q", core.ErrNotFound, name)
	}
	// Import keeps the password of an account given none; enabled is
	// given as it is, since left out it would enable the account.
	enabled := x.accounts[i].Enabled
	f := &core.SiteFile{Accounts: []core.AccountFile{{Username: name, Person: person,
		Roles: roles, Enabled: &enabled}}}
	return name, x.s.engine.PutObject(x.s.actor, f)
}

func (x *staffScreen) toggleEnabled() {
	i := x.accCat.current
	if i < 0 {
		return
	}
	a := x.accounts[i]
	if _, err := x.s.engine.SetAccountEnabled(x.s.actor, a.Username, !a.Enabled); err != nil {
		x.accCat.showProblem(lang.L("Change the account"), err)
		return
	}
	x.accCat.refresh(a.Username)
}

func (x *staffScreen) resetPassword() {
	i := x.accCat.current
	if i < 0 {
		return
	}
	name := x.accounts[i].Username
	if err := x.checkPassword(true); err != nil {
		x.accCat.showProblem(lang.L("Set the password"), err)
		return
	}
	if err := x.s.engine.SetPassword(x.s.actor, name, x.password.Text); err != nil {
		x.accCat.showProblem(lang.L("Set the password"), err)
		return
	}
	x.accCat.refresh(name)
	x.accState.SetText(fmt.Sprintf(lang.L("The password of %s is set; a lockout is lifted."), name))
}

// --- roles ---

// matrixFirst and matrixColumn are the widths of the matrix's permission
// column and of each role's column.
const (
	matrixFirst  = 360
	matrixColumn = 130
)

func (x *staffScreen) buildRoles() fyne.CanvasObject {
	x.matrix = container.NewVBox()
	x.matrixHead = container.NewVBox()
	x.saveRoles = widget.NewButtonWithIcon(lang.L("Save roles"), theme.DocumentSaveIcon(), x.saveMatrix)
	x.saveRoles.Importance = widget.HighImportance
	x.undoRoles = widget.NewButtonWithIcon(lang.L("Discard changes"), theme.ContentUndoIcon(), x.fillMatrix)
	x.rolesMsg = widget.NewLabel("")
	x.rolesMsg.Wrapping = fyne.TextWrapWord
	x.rolesMsg.Hide()
	x.newRoleID = newFormEntry()
	x.newRoleID.SetPlaceHolder(lang.L("id: guard"))
	x.newRoleNm = newFormEntry()
	x.newRoleNm.SetPlaceHolder(lang.L("name: Security guard"))
	x.addRoleBtn = widget.NewButtonWithIcon(lang.L("Add role"), theme.ContentAddIcon(), x.addRole)
	x.delRole = newPicker("")
	x.delRole.PlaceHolder = lang.L("Choose a role")
	x.delRoleBtn = widget.NewButtonWithIcon(lang.L("Delete role"), theme.DeleteIcon(), x.deleteRole)
	x.fillMatrix()

	fixed := func(w float32, o fyne.CanvasObject) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
	}
	// Two rows, to fit a small screen in every language.
	add := container.NewHBox(fixed(140, x.newRoleID), fixed(200, x.newRoleNm), x.addRoleBtn)
	del := container.NewHBox(fixed(180, x.delRole.Select), x.delRoleBtn)
	bottom := container.NewVBox(x.rolesMsg, add, container.NewHBox(del, layout.NewSpacer(), x.undoRoles, x.saveRoles))
	if !x.s.mayChange(core.KindRole) {
		// The roles are the central site's: shown, not changed.
		bottom = container.NewVBox(x.rolesMsg)
	}
	// The names of the roles stay above the rows, and follow them
	// sideways when there are more roles than the window is wide.
	head := container.NewHScroll(x.matrixHead)
	rows := container.NewScroll(x.matrix)
	rows.OnScrolled = func(p fyne.Position) {
		head.Offset.X = p.X
		head.Refresh()
	}
	return container.NewBorder(head, bottom, nil, nil, rows)
}

// fillMatrix shows the roles as the engine has them, dropping changes
// not saved.
func (x *staffScreen) fillMatrix() {
	x.checks = map[string]map[core.Permission]*widget.Check{}
	head := []fyne.CanvasObject{widget.NewLabelWithStyle(lang.L("Permission"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	var ids, names []string
	for _, r := range x.roles {
		l := widget.NewLabelWithStyle(roleName(r), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		head = append(head, l)
		x.checks[r.ID] = map[core.Permission]*widget.Check{}
		ids, names = append(ids, r.ID), append(names, roleName(r))
	}
	x.delRole.setItems(ids, names)
	x.matrixHead.Objects = []fyne.CanvasObject{container.New(matrixLayout{}, head...), widget.NewSeparator()}
	x.matrixHead.Refresh()
	var rows []fyne.CanvasObject
	mayChange := x.s.mayChange(core.KindRole)
	for _, p := range core.Permissions() {
		name := widget.NewLabelWithStyle(string(p.Name), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		about := widget.NewLabel(lang.L(p.About))
		about.SizeName = theme.SizeNameCaptionText
		about.Wrapping = fyne.TextWrapWord
		cells := []fyne.CanvasObject{container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), name, about)}
		for _, r := range x.roles {
			c := widget.NewCheck("", func(bool) { x.matrixChanged() })
			c.Checked = slices.Contains(r.Permissions, p.Name)
			// Nobody gives a role a permission they lack, nor changes a
			// role holding one (the engine refuses it); at a branch the
			// roles are the central site's.
			if !x.s.can(p.Name) || !x.holdsAll(r) || !mayChange {
				c.Disable()
			}
			x.checks[r.ID][p.Name] = c
			cells = append(cells, container.NewCenter(c))
		}
		rows = append(rows, container.New(matrixLayout{}, cells...))
	}
	x.matrix.Objects = rows
	x.matrix.Refresh()
	x.matrixChanged()
}

// holdsAll reports whether the actor holds every permission of r: only
// then may it change r.
func (x *staffScreen) holdsAll(r core.Role) bool {
	for _, p := range r.Permissions {
		if !x.s.can(p) {
			return false
		}
	}
	return true
}

// matrixRole returns the role as the matrix has it.
func (x *staffScreen) matrixRole(r core.Role) core.Role {
	out := core.Role{ID: r.ID, Name: r.Name, Permissions: []core.Permission{}}
	for _, p := range core.Permissions() {
		if c := x.checks[r.ID][p.Name]; c != nil && c.Checked {
			out.Permissions = append(out.Permissions, p.Name)
		}
	}
	return out
}

// changedRoles lists the roles whose boxes differ from the engine's.
func (x *staffScreen) changedRoles() []core.Role {
	var out []core.Role
	for _, r := range x.roles {
		m := x.matrixRole(r)
		have := slices.Clone(r.Permissions)
		want := slices.Clone(m.Permissions)
		slices.Sort(have)
		slices.Sort(want)
		if !slices.Equal(have, want) {
			out = append(out, m)
		}
	}
	return out
}

func (x *staffScreen) matrixChanged() {
	on := len(x.changedRoles()) > 0
	setEnabled(on, x.saveRoles, x.undoRoles)
}

// saveMatrix stores each role changed.
func (x *staffScreen) saveMatrix() {
	var done []string
	var problems []string
	for _, r := range x.changedRoles() {
		if _, err := x.s.engine.PutRole(x.s.actor, r); err != nil {
			if errors.Is(err, core.ErrForbidden) {
				x.s.fail(fmt.Sprintf(lang.L("Save role %s"), r.Name), err)
				return
			}
			if msg, ok := inputProblem(err); ok {
				problems = append(problems, fmt.Sprintf("%s: %s", roleName(r), msg))
				continue
			}
			x.s.fail(fmt.Sprintf(lang.L("Save role %s"), roleName(r)), err)
			return
		}
		done = append(done, r.Name)
	}
	x.readRoles()
	x.fillMatrix()
	x.setRoleChoices()
	switch {
	case len(problems) > 0:
		x.showRolesMsg(widget.DangerImportance, strings.Join(problems, "\n"))
	case len(done) > 0:
		x.showRolesMsg(widget.SuccessImportance, fmt.Sprintf(lang.L("Saved: %s."), strings.Join(done, ", ")))
	}
}

func (x *staffScreen) showRolesMsg(imp widget.Importance, text string) {
	x.rolesMsg.Importance = imp
	x.rolesMsg.SetText(text)
	x.rolesMsg.Show()
}

func (x *staffScreen) addRole() {
	r := core.Role{ID: strings.TrimSpace(x.newRoleID.Text), Name: strings.TrimSpace(x.newRoleNm.Text), Permissions: []core.Permission{}}
	if slices.ContainsFunc(x.roles, func(o core.Role) bool { return o.ID == r.ID }) {
		x.showRolesMsg(widget.DangerImportance, fmt.Sprintf(lang.L("A role %q exists already."), r.ID))
		return
	}
	if len(x.changedRoles()) > 0 {
		x.showRolesMsg(widget.DangerImportance, lang.L("Save or discard the changes to the roles first."))
		return
	}
	if _, err := x.s.engine.PutRole(x.s.actor, r); err != nil {
		if msg, ok := inputProblem(err); ok {
			x.showRolesMsg(widget.DangerImportance, msg)
			return
		}
		x.s.fail(lang.L("Add role"), err)
		return
	}
	x.newRoleID.SetText("")
	x.newRoleNm.SetText("")
	x.readRoles()
	x.fillMatrix()
	x.setRoleChoices()
	x.showRolesMsg(widget.SuccessImportance, fmt.Sprintf(lang.L("Role %s added: tick its permissions and save."), r.Name))
}

func (x *staffScreen) deleteRole() {
	id := x.delRole.id()
	if id == "" {
		return
	}
	if len(x.changedRoles()) > 0 {
		x.showRolesMsg(widget.DangerImportance, lang.L("Save or discard the changes to the roles first."))
		return
	}
	confirm(x.s, lang.L("Delete role"), fmt.Sprintf(lang.L("Delete role %s? This cannot be undone."), x.delRole.Selected),
		lang.L("Delete"), func() {
			if err := x.s.engine.DeleteRole(x.s.actor, id); err != nil {
				if msg, ok := inputProblem(err); ok {
					x.showRolesMsg(widget.DangerImportance, msg)
					return
				}
				x.s.fail(lang.L("Delete role"), err)
				return
			}
			x.readRoles()
			x.fillMatrix()
			x.setRoleChoices()
			x.showRolesMsg(widget.SuccessImportance, fmt.Sprintf(lang.L("Role %s deleted."), id))
		})
}

// matrixLayout lays a row of the matrix: the permission, then one column
// per role.
type matrixLayout struct{}

func (matrixLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := float32(matrixColumn)
		if i == 0 {
			w = matrixFirst
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (matrixLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for i, o := range objs {
		w := float32(matrixColumn)
		if i == 0 {
			w = matrixFirst
		}
		// A wrapping label's height depends on its width.
		o.Resize(fyne.NewSize(w, o.MinSize().Height))
		h = fyne.Max(h, o.MinSize().Height)
	}
	return fyne.NewSize(matrixFirst+float32(len(objs)-1)*matrixColumn, h)
}
