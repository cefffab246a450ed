package core

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// ReportKind names one of the printed reports (DESIGN §4).
type ReportKind string

// Report kinds.
const (
	// ReportAttendance is the attendance sheet at an instant: who is in,
	// since when, their phone; who is expected and not in.
	ReportAttendance ReportKind = "attendance"
	// ReportTimesheet is the §2.3 timesheet by department and person.
	ReportTimesheet ReportKind = "timesheet"
	// ReportAbsences lists late and absent records, justifications and
	// the §2.4 metrics.
	ReportAbsences ReportKind = "absences"
	// ReportDoorLog is the events of a door or a person over a period.
	ReportDoorLog ReportKind = "doorlog"
	// ReportMuster is who is inside now, by zone, for an evacuation.
	ReportMuster ReportKind = "muster"
	// ReportAccess is who may open each door, how, until when.
	ReportAccess ReportKind = "access"
)

// ReportKinds lists the kinds in the order the command line and the
// screens offer them.
var ReportKinds = []ReportKind{ReportAttendance, ReportTimesheet, ReportAbsences, ReportDoorLog, ReportMuster, ReportAccess}

// ParseReportKind checks a kind's name.
func ParseReportKind(s string) (ReportKind, error) {
	k := ReportKind(s)
	if slices.Contains(ReportKinds, k) {
		return k, nil
	}
	return "", phrasef(ErrInvalid, "no report %q (want one of %v)", s, ReportKinds)
}

// Title is the kind's heading on paper.
func (k ReportKind) Title() string {
	switch k {
	case ReportAttendance:
		return "Attendance sheet"
	case ReportTimesheet:
		return "Timesheet"
	case ReportAbsences:
		return "Absences and lateness"
	case ReportDoorLog:
		return "Door log"
	case ReportMuster:
		return "Muster list"
	case ReportAccess:
		return "Who may open which door"
	}
	return string(k)
}

// ReportQuery selects what a report covers. Which fields apply depends on
// the kind:
//   - attendance: At (zero: now), Department;
//   - timesheet, absences: From, To (days, both included), Person or
//     Department;
//   - doorlog: From, To, Door and/or Person (at least one of the two);
//   - muster: nothing: it is always now;
//   - access: Door (else every door), Person, Department.
type ReportQuery struct {
	Kind       ReportKind
	From, To   Date
	At         time.Time
	Person     string
	Department string
	Door       string
	// Site is whose events count in the attendance, timesheet and
	// absences reports at the central site of a company: "" this site's,
	// AllSites every site's, or another site's id (TimesheetQuery.Site).
	Site string
}

// Report is the data of one printed report, complete: the renderer
// (core/report) only lays it out. Instants are UTC; Location is the
// site's zone, in which every time is printed.
type Report struct {
	Kind ReportKind `json:"kind"`
	// Site is the site's name; Zone its IANA time zone.
	Site     string         `json:"site"`
	Zone     string         `json:"zone"`
	Location *time.Location `json:"-"`
	// Period says what the report covers, in words: "2026-11-01 to
	// 2026-11-30", "at 2026-11-24 09:30".
	Period string `json:"period"`
	// Filter says who or what it is restricted to, "" for everyone:
	// "department Engineering", "door Main entrance".
	Filter string `json:"filter,omitempty"`
	// Scope is Period then Filter's parts as reasons, written in the
	// reader's language when printed (Period and Filter are in English).
	Scope []Reason `json:"scope,omitempty"`
	// Generated is when the report was made, and By by whom.
	Generated time.Time `json:"-"`
	By        string    `json:"-"`

	// Exactly one of these is set, by Kind.
	Attendance *SheetReport     `json:"attendance,omitempty"`
	Timesheet  *TimesheetReport `json:"timesheet,omitempty"`
	Absences   *AbsencesReport  `json:"absences,omitempty"`
	DoorLog    *DoorLogReport   `json:"doorlog,omitempty"`
	Muster     *MusterReport    `json:"muster,omitempty"`
	Access     *AccessReport    `json:"access,omitempty"`

	// Fingerprint is "sha256:" and the hex SHA-256 of the report's JSON
	// (everything above but Generated and By): two prints of the same data
	// carry the same fingerprint, and any change to the data changes it.
	Fingerprint string `json:"-"`
}

// fingerprint computes r.Fingerprint. The timesheet's people have their
// names outside their JSON (DESIGN §4's timesheet JSON has ids only), so
// the names are hashed after it: a renamed person is another report.
func (r *Report) fingerprint() error {
	h := sha256.New()
	enc := json.NewEncoder(h)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("report fingerprint: %w", err)
	}
	if r.Timesheet != nil {
		for _, g := range r.Timesheet.Groups {
			for _, p := range g.People {
				if err := enc.Encode([]string{p.Person, p.Name, p.Department}); err != nil {
					return fmt.Errorf("report fingerprint: %w", err)
				}
			}
		}
	}
	r.Fingerprint = "sha256:" + hex.EncodeToString(h.Sum(nil))
	return nil
}

// SheetReport is the attendance sheet at an instant (seed 000).
type SheetReport struct {
	At time.Time `json:"at"`
	// In are the people inside at At (Site.Inside: any zone but the
	// outside zone), by name.
	In []SheetEntry `json:"in"`
	// Expected are the people whose shift is under way at At and who are
	// not in, by name.
	Expected []ExpectedEntry `json:"expected"`
}

// SheetEntry is someone inside: the zone they were last seen in, and
// since when they are inside without a break. Stale is as MusterEntry's.
type SheetEntry struct {
	Person     string    `json:"person"`
	Name       string    `json:"name"`
	Department string    `json:"department,omitempty"` // its name
	Phone      string    `json:"phone,omitempty"`
	Zone       string    `json:"zone"` // its name
	Since      time.Time `json:"since"`
	Stale      bool      `json:"stale,omitempty"`
}

// ExpectedEntry is someone whose shift is under way and who is not in.
type ExpectedEntry struct {
	Person     string `json:"person"`
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
	Phone      string `json:"phone,omitempty"`
	// ShiftStart and ShiftEnd bound the work day's windows.
	ShiftStart time.Time `json:"shift_start"`
	ShiftEnd   time.Time `json:"shift_end"`
	// Left is when they left the work zones that day; zero when they have
	// not come in.
	Left time.Time `json:"left,omitzero"`
	// Justified: a valid justification covers At.
	Justified bool `json:"justified"`
}

// TimesheetReport is the timesheet of a period, by department.
type TimesheetReport struct {
	From   Date             `json:"from"`
	To     Date             `json:"to"`
	Groups []TimesheetGroup `json:"groups"`
	Totals Minutes          `json:"totals"`
	// Uses is the optional columns the site uses (Timesheet.Uses).
	Uses TimesheetUses `json:"uses"`
}

// TimesheetGroup is one department's people, by name; Department "" is
// the people of no department.
type TimesheetGroup struct {
	Department string            `json:"department"`
	Name       string            `json:"name"`
	People     []PersonTimesheet `json:"people"`
	Totals     Minutes           `json:"totals"`
}

// AbsencesReport is the records, justifications and metrics of a period.
type AbsencesReport struct {
	From Date `json:"from"`
	To   Date `json:"to"`
	// People are everyone selected, by name, with or without records.
	People []PersonAbsences `json:"people"`
	// Metrics are everyone's figures added.
	Metrics Metrics `json:"metrics"`
	// ReasonsWithheld: the reader may not see justifications' reasons
	// and files (justif.view).
	ReasonsWithheld bool `json:"reasons_withheld,omitempty"`
}

// PersonAbsences is one person's late and absent records (derived and by
// hand), their justifications overlapping the period and their metrics.
type PersonAbsences struct {
	Person         string            `json:"person"`
	Name           string            `json:"name"`
	Department     string            `json:"department,omitempty"`
	Records        []AttendanceEntry `json:"records"`
	Justifications []Justification   `json:"justifications"`
	Metrics        Metrics           `json:"metrics"`
}

// DoorLogReport is the events of a period for a door or a person.
type DoorLogReport struct {
	From   time.Time      `json:"from"`
	To     time.Time      `json:"to"`
	Events []DoorLogEntry `json:"events"`
	// Counts are how many events had each result, most frequent first.
	Counts []ResultCount `json:"counts"`
}

// DoorLogEntry is an event with the names of its person and door.
type DoorLogEntry struct {
	Event
	PersonName string `json:"person_name,omitempty"`
	DoorName   string `json:"door_name,omitempty"`
}

// ResultCount is how many events had a result.
type ResultCount struct {
	Result Result `json:"result"`
	Count  int    `json:"count"`
}

// MusterReport is who is inside the site now, by zone.
type MusterReport struct {
	At    time.Time    `json:"at"`
	Zones []MusterZone `json:"zones"`
	Total int          `json:"total"`
	// Site is, at the central site of a company, the branch whose list
	// this is, as it last sent it (At is when it took it); Stale says
	// that was more than PresenceFresh ago: people may have come or gone.
	Site  string `json:"site,omitempty"`
	Stale bool   `json:"stale,omitempty"`
}

// MusterZone is the people last seen in one zone, by name.
type MusterZone struct {
	Zone   string        `json:"zone"`
	Name   string        `json:"name"`
	Work   bool          `json:"work"`
	People []MusterEntry `json:"people"`
}

// MusterEntry is one person inside. Stale: their stretch in a work zone
// should have been closed by an automatic check-out that was not written
// (the app was not running): probably gone, but not known to be.
type MusterEntry struct {
	Person     string    `json:"person"`
	Name       string    `json:"name"`
	Department string    `json:"department,omitempty"`
	Phone      string    `json:"phone,omitempty"`
	Since      time.Time `json:"since"`
	Stale      bool      `json:"stale,omitempty"`
}

// AccessReport is who may open each door at At, and how.
type AccessReport struct {
	At    time.Time    `json:"at"`
	Doors []DoorAccess `json:"doors"`
}

// DoorAccess is one door and the people who may open it, by name.
type DoorAccess struct {
	Door    string        `json:"door"`
	Name    string        `json:"name"`
	Mode    DoorMode      `json:"mode"`
	Owners  []string      `json:"owners,omitempty"` // names
	Entries []AccessEntry `json:"entries"`
}

// Ways a person may open a door.
const (
	AccessViaLevel  = "level"
	AccessViaGrant  = "grant"
	AccessViaMaster = "master"
)

// AccessEntry is one way a person may open a door: an access level rule
// (Via "level", Level and Schedule named; Inherited when it is their
// department's level), a grant not expired nor used up (Via "grant"), or
// being a master person. NoCard: the person holds no active card, so
// they cannot open it in practice.
type AccessEntry struct {
	Person     string `json:"person"`
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
	Via        string `json:"via"`
	// Level is the access level's name; Inherited says it comes from
	// the department.
	Level     string `json:"level,omitempty"`
	Inherited bool   `json:"inherited,omitempty"`
	// Schedule is the rule's schedule name, "" for at any time.
	Schedule string `json:"schedule,omitempty"`
	// Grant, GrantKind, From, Until, UsesLeft describe a grant; UsesLeft
	// is -1 for a grant without a use limit.
	Grant     string    `json:"grant,omitempty"`
	GrantKind GrantKind `json:"grant_kind,omitempty"`
	From      time.Time `json:"from,omitzero"`
	Until     time.Time `json:"until,omitzero"`
	UsesLeft  int       `json:"uses_left,omitempty"`
	NoCard    bool      `json:"no_card,omitempty"`
}
