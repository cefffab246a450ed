package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// A site may be one of several of a company (docs/federation.md): the
// central site owns the directory, and each branch receives it, keeping
// its own doors, zones, devices, grants and events. The engine knows only
// which it is (Federation) and two operations, one for each end of the
// directory's way down: DirectorySince at the central site, ApplyDirectory
// at a branch. The link that carries them (core/natslink) is outside.

// HubDevice is the device name under which a site's link to its
// company's hub reports its health (ReportHealth, kind "hub"): connected
// or not, since when, and why not. No device id can be it.
const HubDevice = "@hub"

// DirectoryKinds are the kinds the central site owns.
var DirectoryKinds = []Kind{KindPerson, KindCard, KindDepartment, KindAccessLevel,
	KindSchedule, KindShift, KindHoliday, KindRole, KindAccount}

// IsDirectory reports whether kind is one of DirectoryKinds.
func IsDirectory(kind Kind) bool { return slices.Contains(DirectoryKinds, kind) }

// Federation is the site's place among the company's sites.
type Federation struct {
	// Site is this site's id among them; "" when the site is alone.
	Site string `json:"site,omitempty"`
	// IsCentral is true at the central site.
	IsCentral bool `json:"is_central,omitempty"`
	// Central is the central site's id: Site at the central site; at a
	// branch "" until the hub told it.
	Central string `json:"central,omitempty"`
}

// Branch reports whether the site is a branch: it receives the directory
// and may not change it.
func (f Federation) Branch() bool { return f.Site != "" && !f.IsCentral }

// Place is the site's place among its company's sites as the settings s
// give it: alone for nil.
func (s *FederationSettings) Place() Federation { return federationOf(s) }

// federationOf is the Federation the site settings give.
func federationOf(s *FederationSettings) Federation {
	if s == nil {
		return Federation{}
	}
	return Federation{Site: s.SiteID, IsCentral: s.Central, Central: s.CentralSite}
}

// SetFederation makes the engine a site of a company, or alone with the
// zero Federation, whatever the site settings say (they set it at each
// reload otherwise): for tests.
func (e *Engine) SetFederation(f Federation) {
	e.mu.Lock()
	e.fed = f
	e.mu.Unlock()
}

// Federation returns the site's place among the company's sites.
func (e *Engine) Federation() Federation {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.fed
}

// CentralError refuses a change of the directory at a branch: it is made
// at the central site, and reaches the branch from there.
type CentralError struct {
	Kind    Kind
	ID      string
	Central string
}

func (e *CentralError) Error() string {
	central := "the central site"
	if e.Central != "" {
		central += " " + e.Central
	}
	return fmt.Sprintf("%s/%s: %s are changed at %s, not at this branch", e.Kind, e.ID, e.Kind, central)
}

// Unwrap returns ErrConflict: the change conflicts with where the
// directory lives (HTTP 409, exit status 1).
func (e *CentralError) Unwrap() error { return ErrConflict }

// SiteOwnError refuses a change of a door or device of another site of
// the company here, and a new door or device whose id is that site's
// already: door and device ids are unique across the company, and each
// site changes its own.
type SiteOwnError struct {
	Kind Kind
	ID   string
	// Site is the site the id is of; Here this site's id ("" when it has
	// left the company since).
	Site string
	Here string
}

func (e *SiteOwnError) Error() string {
	if e.Here == "" {
		return fmt.Sprintf("%s/%s: the id is site %s's: that site changes it, and no other site may use it", e.Kind, e.ID, e.Site)
	}
	return fmt.Sprintf("%s/%s: the id is site %s's, not this site's (%s): that site changes it, and no other site may use it", e.Kind, e.ID, e.Site, e.Here)
}

// Unwrap returns ErrConflict.
func (e *SiteOwnError) Unwrap() error { return ErrConflict }

// ApplySiteObjects makes this site's copy of another site's zones, doors
// and devices what that site published (read-only here: the central
// site's access levels name its doors, and door and device ids stay
// unique across the company). A zone whose id this site has already is
// the same zone (the outside); a door or device whose id this site or a
// third one has already is left out, and returned as KIND/ID
// ("doors/lyon-main", "devices/lyon-in"), for the sites list to show. A
// device keeps only what Device.SiteCopy keeps, and its door only when
// that door is the same site's here; nothing here runs it (Devices
// leaves it out). The mirror is audited as the system's, action
// site.mirror.
func (e *Engine) ApplySiteObjects(site string, zones []Zone, doors []Door, devices ...Device) (clashes []string, err error) {
	if site == "" || site == e.Federation().Site {
		return nil, phrasef(ErrInvalid, "site %q: not another site", site)
	}
	err = e.change(Actor{Kind: ActorSystem}, "site.mirror", true, func(tx *auditTx) error {
		tx.fromSite = site
		clashes = nil
		keep := map[Kind]map[string]bool{KindZone: {}, KindDoor: {}, KindDevice: {}}
		put := func(kind Kind, id string, v any) error {
			var of struct{ Site string }
			raw, ok, err := tx.Raw(kind, id)
			if err != nil {
				return err
			}
			if ok && (json.Unmarshal(raw, &of) != nil || of.Site != site) {
				if kind != KindZone {
					clashes = append(clashes, string(kind)+"/"+id)
				}
				return nil
			}
			keep[kind][id] = true
			return tx.Put(kind, id, v)
		}
		for _, z := range zones {
			z.Site = site
			if err := put(KindZone, z.ID, z); err != nil {
				return err
			}
		}
		for _, d := range doors {
			// What decides the door is the other site's: here it is a
			// name for access levels and grants.
			d.Site, d.Relay, d.Pulse = site, "", 0
			if err := put(KindDoor, d.ID, d); err != nil {
				return err
			}
		}
		for _, d := range devices {
			d = d.SiteCopy(site)
			if d.Door != "" && !keep[KindDoor][d.Door] {
				// Its door is left out here, or was never published: the
				// id stays reserved, and no door here seems to have it.
				d.Door, d.Direction = "", ""
			}
			if err := put(KindDevice, d.ID, d); err != nil {
				return err
			}
		}
		for _, kind := range []Kind{KindDevice, KindDoor, KindZone} {
			var gone []string
			err := tx.List(kind, func(id string, decode func(any) error) error {
				var of struct{ Site string }
				if err := decode(&of); err == nil && of.Site == site && !keep[kind][id] {
					gone = append(gone, id)
				}
				return nil
			})
			if err != nil {
				return err
			}
			for _, id := range gone {
				if err := tx.Delete(kind, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return clashes, e.reload()
}

// DirectoryChange is one object of the directory as the central site has
// it: its JSON, or Deleted.
type DirectoryChange struct {
	Kind    Kind            `json:"kind"`
	ID      string          `json:"id"`
	Object  json.RawMessage `json:"object,omitempty"`
	Deleted bool            `json:"deleted,omitempty"`
}

// Key is the change's key in the directory: KIND.ID.
func (c DirectoryChange) Key() string { return string(c.Kind) + "." + c.ID }

// DirectorySince returns the directory objects changed by the audit
// entries after audit entry after, up to limit entries, each as it is now
// (an object changed twice is there once, deleted if it is gone), with
// the last entry read: the central site's outbox is its audit trail.
// Password hashes are in the accounts: a branch checks its logins itself.
func (e *Engine) DirectorySince(after uint64, limit int) ([]DirectoryChange, uint64, error) {
	last := after
	var changes []DirectoryChange
	err := e.store.View(func(tx Tx) error {
		seen := map[string]bool{}
		add := func(kind Kind, id string) error {
			c := DirectoryChange{Kind: kind, ID: id}
			if !IsDirectory(kind) || seen[c.Key()] {
				return nil
			}
			seen[c.Key()] = true
			raw, ok, err := tx.Raw(kind, id)
			if err != nil {
				return err
			}
			c.Object, c.Deleted = raw, !ok
			changes = append(changes, c)
			return nil
		}
		return tx.Audit(AuditQuery{After: after, Limit: limit}, func(a AuditEntry) error {
			last = a.Seq
			if kind, id, ok := strings.Cut(a.Object, "/"); ok {
				return add(Kind(kind), id)
			}
			if a.Object != "" || a.After == nil {
				return nil
			}
			// An operation's summing entry: the objects it created.
			var sum struct {
				Created map[Kind][]string `json:"created"`
			}
			if json.Unmarshal(a.After, &sum) != nil {
				return nil
			}
			for _, kind := range Kinds {
				for _, id := range sum.Created[kind] {
					if err := add(kind, id); err != nil {
						return err
					}
				}
			}
			return nil
		})
	})
	return changes, last, err
}

// ApplyDirectory applies changes of the directory received from the
// central site at a branch, in one transaction with the progress mark
// name set to mark, so that each is applied once: a mark not above the
// stored one applies nothing. An object that does not decode as its kind
// is an error and nothing changes. An account keeps this site's count of
// failed logins and lockout. The changes are audited as the system's,
// action directory.apply.
func (e *Engine) ApplyDirectory(name string, mark uint64, changes []DirectoryChange) error {
	if !e.Federation().Branch() {
		return phrasef(ErrInvalid, "only a branch receives the directory")
	}
	var people []string
	err := e.change(Actor{Kind: ActorSystem}, "directory.apply", true, func(tx *auditTx) error {
		tx.fromCentral = true
		done, err := tx.Mark(name)
		if err != nil {
			return err
		}
		if mark <= done {
			return nil
		}
		for _, c := range changes {
			if !IsDirectory(c.Kind) {
				return phrasef(ErrInvalid, "%s/%s: not of the directory", c.Kind, c.ID)
			}
			if c.Kind == KindPerson || c.Kind == KindCard {
				people = append(people, c.ID)
			}
			if c.Deleted {
				if err := tx.Delete(c.Kind, c.ID); err != nil && !errors.Is(err, ErrNotFound) {
					return err
				}
				continue
			}
			v, err := decodeKind(c.Kind, c.Object)
			if err != nil {
				return fmt.Errorf("%w: %s/%s: %v", ErrInvalid, c.Kind, c.ID, err)
			}
			if acc, ok := v.(Account); ok {
				if here, found, err := lookup[Account](tx, KindAccount, c.ID); err != nil {
					return err
				} else if found {
					acc.FailedLogins, acc.LockedUntil = here.FailedLogins, here.LockedUntil
				}
				v = acc
			}
			if card, ok := v.(Card); ok {
				people = append(people, card.Person)
			}
			if err := tx.Put(c.Kind, c.ID, v); err != nil {
				return err
			}
		}
		return tx.PutMark(name, mark)
	})
	if err != nil {
		return err
	}
	if err := e.reload(); err != nil {
		return err
	}
	e.refreshPeople(people...)
	return nil
}

// Mark returns the progress mark name (Tx.Mark).
func (e *Engine) Mark(name string) (uint64, error) {
	var v uint64
	err := e.store.View(func(tx Tx) error {
		var err error
		v, err = tx.Mark(name)
		return err
	})
	return v, err
}

// SetMark sets the progress mark name, for a link whose progress is not
// moved with a change of the engine's (the directory published).
func (e *Engine) SetMark(name string, v uint64) error {
	return e.store.Update(func(tx Tx) error { return tx.PutMark(name, v) })
}

// decodeKind decodes raw as an object of kind (a directory kind): the
// value, not a pointer, which is what Tx.Put stores for each kind.
func decodeKind(kind Kind, raw []byte) (any, error) {
	switch kind {
	case KindPerson:
		return decodeAs[Person](raw)
	case KindCard:
		return decodeAs[Card](raw)
	case KindDepartment:
		return decodeAs[Department](raw)
	case KindAccessLevel:
		return decodeAs[AccessLevel](raw)
	case KindSchedule:
		return decodeAs[Schedule](raw)
	case KindShift:
		return decodeAs[Shift](raw)
	case KindHoliday:
		return decodeAs[Holiday](raw)
	case KindRole:
		return decodeAs[Role](raw)
	case KindAccount:
		return decodeAs[Account](raw)
	}
	return nil, fmt.Errorf("not of the directory")
}

func decodeAs[T any](raw []byte) (any, error) {
	var v T
	err := json.Unmarshal(raw, &v)
	return v, err
}

// OwnSiteObjects returns this site's own zones, doors and devices, in id
// order: what it publishes to the other sites of the company. Devices are
// their SiteCopy.
func (e *Engine) OwnSiteObjects() ([]Zone, []Door, []Device) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var zones []Zone
	var doors []Door
	var devices []Device
	for _, z := range e.cfg.zones {
		if z.Site == "" {
			zones = append(zones, z)
		}
	}
	for _, d := range e.cfg.doors {
		if d.Site == "" {
			doors = append(doors, d)
		}
	}
	for _, d := range e.cfg.devices { // the site's own only (loadConfig)
		devices = append(devices, d.SiteCopy(""))
	}
	slices.SortFunc(zones, func(a, b Zone) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(doors, func(a, b Door) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(devices, func(a, b Device) int { return strings.Compare(a.ID, b.ID) })
	return zones, doors, devices
}

// SiteCopy is what other sites of the company know of the device, as the
// copy of site: its id (unique across the company), its kind and what it
// is for (its door and direction, or the desk). How it is plugged in (port,
// speed, USB ids, serial number, Modbus address, card format) stays at its
// site: it means nothing on another site's PC, and the serial number
// identifies a board no other site needs to know.
func (d Device) SiteCopy(site string) Device {
	return Device{ID: d.ID, Kind: d.Kind, Door: d.Door, Direction: d.Direction, Desk: d.Desk, Site: site}
}

// LearnCentral notes, at a branch, the central site's id as the hub told
// it, in the site's federation settings: refusals name it from then on.
func (e *Engine) LearnCentral(id string) error {
	f := e.Federation()
	if !f.Branch() || f.Central == id {
		return nil
	}
	if err := CheckSiteID("central_site", id); err != nil {
		return err
	}
	err := e.change(Actor{Kind: ActorSystem}, "site.federation", false, func(tx *auditTx) error {
		site, err := tx.Site()
		if err != nil {
			return err
		}
		if site.Federation == nil {
			return nil // set by SetFederation alone: nothing to keep
		}
		fs := *site.Federation
		fs.CentralSite = id
		site.Federation = &fs
		return tx.PutSite(site)
	})
	if err != nil {
		return err
	}
	if err := e.reload(); err != nil {
		return err
	}
	if f := e.Federation(); f.Central != id {
		e.mu.Lock()
		e.fed.Central = id
		e.mu.Unlock()
	}
	return nil
}
