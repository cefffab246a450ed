package core

import (
	"strings"
)

// PutObject creates or changes the one object f holds (a zone, schedule,
// holiday, shift, door, device, access level, department, person, grant,
// role or account) or, for a file of only "site", the site's settings.
// It is how a form of the window saves: the object is checked and
// authorized exactly as Import checks and authorizes it, and audited as a
// change of that object, action "KIND.put" ("schedule.put",
// "access-level.put", "site.put") with the object's id, "schedules/office-hours",
// and its value before and after. A file of several objects is an import:
// ErrInvalid here (Import takes it and audits it as "site.import").
//
// Errors: those of Import; ErrInvalid for a file of no object or of more
// than one.
func (e *Engine) PutObject(a Actor, f *SiteFile) error {
	action, err := putAction(f)
	if err != nil {
		return err
	}
	s, err := e.subject(a)
	if err != nil {
		return err
	}
	err = e.change(a, action, false, func(tx *auditTx) error {
		return keepAnAdmin(tx, func() error {
			return noEscalation(tx, s, func() error { return importSite(tx, f, s) })
		})
	})
	if err != nil {
		return err
	}
	e.log.Info("object saved", "action", action, "by", a.String())
	return e.reload()
}

// putAction is the audit action of a file of one object: its kind's noun
// and ".put".
func putAction(f *SiteFile) (string, error) {
	if f == nil {
		return "", phrasef(ErrInvalid, "nothing to save")
	}
	counts := []struct {
		n    int
		noun string
	}{
		{len(f.Zones), kindNoun[KindZone]}, {len(f.Schedules), kindNoun[KindSchedule]},
		{len(f.Holidays), "holiday"}, {len(f.Shifts), kindNoun[KindShift]},
		{len(f.Doors), kindNoun[KindDoor]}, {len(f.Devices), kindNoun[KindDevice]},
		{len(f.AccessLevels), kindNoun[KindAccessLevel]}, {len(f.Departments), kindNoun[KindDepartment]},
		{len(f.People), kindNoun[KindPerson]}, {len(f.Grants), "grant"},
		{len(f.Roles), kindNoun[KindRole]}, {len(f.Accounts), kindNoun[KindAccount]},
	}
	if f.Site != nil {
		counts = append(counts, struct {
			n    int
			noun string
		}{1, "site"})
	}
	noun, total := "", 0
	for _, c := range counts {
		total += c.n
		if c.n > 0 {
			noun = c.noun
		}
	}
	if total != 1 {
		return "", phrasef(ErrInvalid, "a file of %d objects is imported, not saved as one object", total)
	}
	return strings.ReplaceAll(noun, " ", "-") + ".put", nil
}
