package core

import "time"

// API is everything the window and the command line ask of Frontdesk. The
// Engine implements it in the process that owns the database; a client of
// the service (core/httpapi) implements it over the service's socket or
// TLS, so that no screen and no command knows which one it has.
//
// Every method that takes an Actor is checked as that actor. A remote
// implementation never sends it: the service knows who calls from the
// connection (peer credentials or a login's session) and checks that, so a
// client cannot act as anyone it has not logged in as. Login returns the
// Actor to pass; Logout ends a remote session (in process it does nothing).
type API interface {
	// The site and its clock.
	Site() Site
	// Federation is the site's place among its company's sites: at a
	// branch the window offers no change of the directory.
	Federation() Federation
	Location() *time.Location
	Now() time.Time
	HasAccounts() bool
	DeskReader(id string) bool

	// Who acts.
	Login(username, password string) (Actor, error)
	Logout(a Actor) error
	Authorize(a Actor, p Permission) error
	PermissionsOf(a Actor) ([]Permission, error)

	// Taps, check-ins and doors.
	Tap(tap Tap) (Event, error)
	CheckinPhone(a Actor, phone string, at time.Time) (Event, error)
	CloseDay(a Actor, at time.Time) ([]Event, error)
	OpenDoor(a Actor, id string) (Event, error)
	SetDoorMode(a Actor, id string, mode DoorMode) (Door, error)
	Door(a Actor, id string) (Door, bool)
	Doors(a Actor) []Door
	GrantableDoors(a Actor) []Door
	Zones(a Actor) ([]Zone, error)
	Devices(a Actor) []Device
	Health(a Actor) []DeviceHealth
	CaptureDesk(a Actor) (release func(), err error)

	// The log, live and past.
	Events(a Actor, q EventQuery, fn func(Event) error) error
	Watch(a Actor, fn func(Update)) (cancel func(), err error)
	SelfView(a Actor, ev Event) (SelfView, error)
	Audit(a Actor, q AuditQuery, fn func(AuditEntry) error) error
	Sites(a Actor) ([]SiteInfo, error)

	// People, cards and departments.
	People(a Actor, q PeopleQuery) ([]Person, int, error)
	Person(a Actor, id string) (Person, error)
	PeopleChoices(a Actor) (PeopleChoices, error)
	AddPerson(a Actor, p Person) (Person, error)
	PutPerson(a Actor, p Person) (Person, error)
	DeletePerson(a Actor, id string) (Person, error)
	CardsOf(a Actor, person string) ([]Card, error)
	CardHolder(a Actor, code string) (Card, Person, error)
	EnrollCard(a Actor, person, code string) (Card, error)
	ReplaceCard(a Actor, oldCode, newCode string) (Card, error)
	SetCardState(a Actor, code string, state CardState) (Card, error)
	UsableCards(a Actor, limit int) ([]string, error)
	AmbiguousCards(a Actor) ([]CardPair, error)
	Departments(a Actor) ([]Department, error)
	PutDepartment(a Actor, d Department) (Department, error)
	DeleteDepartment(a Actor, id string) error
	ImportPeople(a Actor, f *PeopleCSV, dryRun bool) (PeopleImport, error)

	// Access: levels, schedules, shifts, holidays, grants.
	AccessLevels(a Actor) ([]AccessLevel, error)
	Schedules(a Actor) ([]Schedule, error)
	Shifts(a Actor) ([]Shift, error)
	Holidays(a Actor) ([]Holiday, error)
	PublicHolidays(a Actor, country string, year int) ([]Holiday, error)
	AddPublicHolidays(a Actor, country string, year int, dryRun bool) (PublicHolidayMerge, error)
	Grants(a Actor, q GrantQuery) ([]Grant, error)
	GrantablePeople(a Actor, text string, limit int) ([]PersonRef, int, error)
	AddGrant(a Actor, g Grant) (Grant, error)
	RevokeGrant(a Actor, id string) (Grant, error)

	// The site file and objects by kind.
	Import(a Actor, f *SiteFile) error
	PutObject(a Actor, f *SiteFile) error
	Export(a Actor) (*SiteFile, error)
	Count(a Actor, kind Kind) (int, error)
	DeleteObject(a Actor, kind Kind, id string) error

	// Staff accounts and roles.
	Accounts(a Actor) ([]AccountInfo, error)
	AddAccount(a Actor, acc AccountInfo, password string) (AccountInfo, error)
	SetAccountRoles(a Actor, username string, roles []string) (AccountInfo, error)
	SetAccountEnabled(a Actor, username string, enabled bool) (AccountInfo, error)
	SetPassword(a Actor, username, password string) error
	Roles(a Actor) ([]Role, error)
	PutRole(a Actor, r Role) (Role, error)
	DeleteRole(a Actor, id string) error

	// Attendance, justifications, timesheets and reports.
	Timesheet(a Actor, q TimesheetQuery) (Timesheet, error)
	Metrics(a Actor, q TimesheetQuery) (Metrics, error)
	Attendance(a Actor, q TimesheetQuery) (map[string][]AttendanceEntry, error)
	AttendanceSheet(a Actor, at time.Time, department string) (*SheetReport, error)
	AttendanceDepartments(a Actor) ([]Department, error)
	AttendanceNames(a Actor, ids []string) (map[string]string, error)
	AttendancePeople(a Actor, text string, limit int) ([]PersonRef, int, error)
	AttendanceRecords(a Actor, person string, from, to time.Time) ([]AttendanceRecord, error)
	AddAttendance(a Actor, rec AttendanceRecord) (AttendanceRecord, error)
	UpdateAttendance(a Actor, rec AttendanceRecord) (AttendanceRecord, error)
	DeleteAttendance(a Actor, id string) (AttendanceRecord, error)
	Justifications(a Actor, person string, from, to time.Time) ([]Justification, error)
	AddJustification(a Actor, j Justification) (Justification, error)
	UpdateJustification(a Actor, j Justification) (Justification, error)
	SetJustificationState(a Actor, id string, state JustifState) (Justification, error)
	DeleteJustification(a Actor, id string) (Justification, error)
	AttachFile(a Actor, id, name string, data []byte) (JustifFile, error)
	FileContent(a Actor, jid, fid string) ([]byte, JustifFile, error)
	DeleteFile(a Actor, jid, fid string) (JustifFile, error)
	BalanceAdjustments(a Actor, person string, from, to Date) ([]BalanceAdjustment, error)
	AdjustBalance(a Actor, adj BalanceAdjustment) (BalanceAdjustment, error)
	DeleteBalanceAdjustment(a Actor, id string) (BalanceAdjustment, error)
	Report(a Actor, q ReportQuery) (Report, error)
	// Presence is who is inside this site now, or, at the central site of
	// a company, the latest a branch sent (site ID or AllSites).
	Presence(a Actor, site string) ([]SitePresence, error)
}

var _ API = (*Engine)(nil)

// Logout ends a session. The engine keeps none in process: a login there
// is only the Actor the window holds, so there is nothing to end.
func (e *Engine) Logout(Actor) error { return nil }
