package core

import (
	"fmt"
	"slices"
)

// Permission names what an account may do (DESIGN §2.5). Permissions are
// registered here, in code; roles combine them; the engine checks them by
// name at every entry point.
type Permission string

// The permissions of DESIGN §2.5, and taps.replay, which the command line's
// tap needs.
const (
	PermPeopleView      Permission = "people.view"
	PermPeopleEdit      Permission = "people.edit"
	PermCardsEnroll     Permission = "cards.enroll"
	PermDoorsView       Permission = "doors.view"
	PermDoorsEdit       Permission = "doors.edit"
	PermDoorsOpen       Permission = "doors.open"
	PermDoorsLockdown   Permission = "doors.lockdown"
	PermAccessEdit      Permission = "access.edit"
	PermGrantsEditOwn   Permission = "grants.edit.own"
	PermGrantsEditAny   Permission = "grants.edit.any"
	PermLogsViewOwn     Permission = "logs.view.own"
	PermLogsViewAny     Permission = "logs.view.any"
	PermAttendanceView  Permission = "attendance.view"
	PermAttendanceEdit  Permission = "attendance.edit"
	PermJustifView      Permission = "justif.view"
	PermJustifEdit      Permission = "justif.edit"
	PermJustifValidate  Permission = "justif.validate"
	PermReportsPrint    Permission = "reports.print"
	PermAccountsEdit    Permission = "accounts.edit"
	PermRolesEdit       Permission = "roles.edit"
	PermSettingsEdit    Permission = "settings.edit"
	PermBackupRun       Permission = "backup.run"
	PermAuditView       Permission = "audit.view"
	PermTapsReplay      Permission = "taps.replay"
	PermAttendanceCheck Permission = "attendance.checkin"
)

// PermissionInfo describes a permission for the roles screen and `role
// list`.
type PermissionInfo struct {
	Name  Permission `json:"name"`
	About string     `json:"about"`
}

// permissions is the register, in the order the roles screen lists them.
var permissions = []PermissionInfo{
	{PermPeopleView, "see people and departments"},
	{PermPeopleEdit, "change people and departments"},
	{PermCardsEnroll, "issue, block and revoke cards"},
	{PermDoorsView, "see doors, readers, relays, zones and device health"},
	{PermDoorsEdit, "change doors, readers, relays and zones"},
	{PermDoorsOpen, "open a door from the screen"},
	{PermDoorsLockdown, "lock doors down or release them"},
	{PermAccessEdit, "change access levels, schedules, shifts and holidays"},
	{PermGrantsEditOwn, "give and revoke access to the doors one owns"},
	{PermGrantsEditAny, "give and revoke access to every door"},
	{PermLogsViewOwn, "see the event log of the doors one owns"},
	{PermLogsViewAny, "see the whole event log"},
	{PermAttendanceView, "see the attendance sheet and records"},
	{PermAttendanceEdit, "change attendance records"},
	{PermAttendanceCheck, "check people in by mobile number at the desk"},
	{PermJustifView, "see the reasons and files of justifications"},
	{PermJustifEdit, "create and edit justifications"},
	{PermJustifValidate, "change the state of justifications"},
	{PermReportsPrint, "print PDF reports and exports"},
	{PermAccountsEdit, "create and change staff accounts"},
	{PermRolesEdit, "create and change roles"},
	{PermSettingsEdit, "change site settings and devices"},
	{PermBackupRun, "export the site, back up and verify the database"},
	{PermAuditView, "see the audit trail of changes"},
	{PermTapsReplay, "record taps by hand: tap and tap --from-file (tests, migrating punches)"},
}

// Permissions returns every registered permission, in register order.
func Permissions() []PermissionInfo { return slices.Clone(permissions) }

// KnownPermission reports whether p is registered.
func KnownPermission(p Permission) bool {
	return slices.ContainsFunc(permissions, func(i PermissionInfo) bool { return i.Name == p })
}

// allPermissions lists every registered permission name.
func allPermissions() []Permission {
	out := make([]Permission, len(permissions))
	for i, p := range permissions {
		out[i] = p.Name
	}
	return out
}

// Role is a named set of permissions; an account has one or more roles.
type Role struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Permissions []Permission `json:"permissions"`
}

// Built-in role ids (DESIGN §2.5). They are created with the database and
// may be edited like any role.
const (
	RoleAdmin        = "admin"
	RoleManager      = "manager"
	RoleBoss         = "boss"
	RoleReceptionist = "receptionist"
)

// BuiltinRoles returns the roles a new database starts with.
func BuiltinRoles() []Role {
	return []Role{
		{ID: RoleAdmin, Name: "Administrator", Permissions: allPermissions()},
		{ID: RoleManager, Name: "Manager", Permissions: []Permission{
			PermPeopleView, PermDoorsView, PermLogsViewAny,
			PermAttendanceView, PermAttendanceEdit,
			PermJustifView, PermJustifEdit, PermJustifValidate, PermReportsPrint}},
		{ID: RoleBoss, Name: "Door owner", Permissions: []Permission{
			PermDoorsView, PermGrantsEditOwn, PermLogsViewOwn}},
		// Seed 000: the receptionist checks in by phone those who forgot
		// their badge; managers may not (their number is known). At the
		// desk they also follow the live feed and the devices, and open a
		// door for a visitor; lockdown, grants and access levels are
		// others'.
		{ID: RoleReceptionist, Name: "Receptionist", Permissions: ReceptionistPermissions()},
	}
}

// ReceptionistPermissions are the built-in receptionist role's.
func ReceptionistPermissions() []Permission {
	return []Permission{PermPeopleView, PermPeopleEdit, PermCardsEnroll, PermAttendanceView,
		PermAttendanceCheck, PermJustifEdit, PermLogsViewAny, PermDoorsView, PermDoorsOpen}
}

// ReceptionistPermissionsBefore5 are the built-in receptionist role's
// before schema 5 of the database file: a file whose role still has
// exactly these is given ReceptionistPermissions when it is brought up to
// date; one edited on purpose is kept.
func ReceptionistPermissionsBefore5() []Permission {
	return []Permission{PermPeopleView, PermPeopleEdit, PermCardsEnroll, PermAttendanceView,
		PermAttendanceCheck, PermJustifEdit}
}

// checkRole checks a role's id, name and permissions, and returns every
// problem (Problems) after "role ID: ".
func checkRole(r Role) error {
	var ps Problems
	if err := checkSlug("id", r.ID); err != nil {
		ps = append(ps, asField(err))
	}
	if r.Name == "" {
		ps = append(ps, problemOf("name", "required", "required"))
	} else if err := CheckName(r.Name); err != nil {
		ps = append(ps, fieldFrom("name", err))
	}
	for i, p := range r.Permissions {
		if !KnownPermission(p) {
			ps = append(ps, problemOf(fmt.Sprintf("permissions[%d]", i), "bad_choice",
				fmt.Sprintf("unknown permission %q (see frontdesk role list --permissions)", p), "value", string(p)))
		}
	}
	if err := ps.Err(); err != nil {
		return fmt.Errorf("role %s: %w", r.ID, err)
	}
	return nil
}

// checkSlug checks a user-chosen id the way the site file does.
func checkSlug(what, s string) error { return checkID(what, s) }
