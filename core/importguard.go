package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// guardedTx is the Tx of an import made by an actor who may not do
// everything (a staff account). Every object the import writes or deletes
// is checked, at the moment it is written, against what changing it needs
// (editPermission, and FieldPermission field by field for people and
// departments), so that no section of a site file, nor a section added
// later, escapes the checks the screens make. An object written back
// unchanged needs nothing: an exported file imports back by whoever may
// change what differs in it.
//
// A refusal is a *SiteFileError wrapping ErrForbidden that names the
// object's path in the file ("people[3].master"); the import's
// transaction then rolls back, so a refused file changes nothing.
type guardedTx struct {
	Tx
	s   subject
	imp *siteImport
}

// Put checks the change, then stores v.
func (g *guardedTx) Put(kind Kind, id string, v any) error {
	before, existed, err := g.Tx.Raw(kind, id)
	if err != nil {
		return err
	}
	after, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s %q: %w", kind, id, err)
	}
	if !existed || !bytes.Equal(before, after) {
		if err := g.mayWrite(kind, id, before, existed, v); err != nil {
			return err
		}
	}
	return g.Tx.Put(kind, id, v)
}

// Delete checks that the actor may delete kind/id, then deletes it.
func (g *guardedTx) Delete(kind Kind, id string) error {
	before, existed, err := g.Tx.Raw(kind, id)
	if err != nil {
		return err
	}
	if existed {
		if err := g.mayDelete(kind, id, before); err != nil {
			return err
		}
	}
	return g.Tx.Delete(kind, id)
}

// PutSite checks that the actor may change the settings, when they
// change, then stores them.
func (g *guardedTx) PutSite(site Site) error {
	old, err := g.Tx.Site()
	if err != nil {
		return err
	}
	before, err1 := json.Marshal(old)
	after, err2 := json.Marshal(site)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if !bytes.Equal(before, after) && !g.s.has(PermSettingsEdit) {
		return g.forbidden("site", PermSettingsEdit)
	}
	return g.Tx.PutSite(site)
}

// mayWrite checks a new or changed object; before is its stored JSON.
func (g *guardedTx) mayWrite(kind Kind, id string, before []byte, existed bool, v any) error {
	path := g.imp.path(kind, id)
	switch after := v.(type) {
	case Person:
		var old Person
		if existed {
			if err := json.Unmarshal(before, &old); err != nil {
				return fmt.Errorf("decode %s %q: %w", kind, id, err)
			}
		}
		return g.fieldError(path, mayChange(g.s, kind, old, existed, after))
	case Department:
		var old Department
		if existed {
			if err := json.Unmarshal(before, &old); err != nil {
				return fmt.Errorf("decode %s %q: %w", kind, id, err)
			}
		}
		return g.fieldError(path, mayChange(g.s, kind, old, existed, after))
	case Card:
		return g.mayCards(after.Person, before, existed)
	case Grant:
		return g.mayGrant(g.imp.grantPath(after), before, existed, after)
	}
	p, ok := editPermission[kind]
	if !ok {
		// A kind this table does not know yet: only those who may do
		// everything write it.
		return g.forbidden(path, PermSettingsEdit)
	}
	if !g.s.has(p) {
		return g.forbidden(path, p)
	}
	return nil
}

// mayDelete checks the deletion of a stored object.
func (g *guardedTx) mayDelete(kind Kind, id string, before []byte) error {
	switch kind {
	case KindCard:
		return g.mayCards("", before, true)
	case KindGrant:
		return g.mayGrant(g.imp.path(kind, id), before, true, Grant{})
	}
	p, ok := editPermission[kind]
	if !ok {
		p = PermSettingsEdit
	}
	if !g.s.has(p) {
		return g.forbidden(g.imp.path(kind, id), p)
	}
	return nil
}

// mayCards checks a change to person's cards; before is the stored card
// it replaces or deletes, if any (whose holder it names when person is "").
func (g *guardedTx) mayCards(person string, before []byte, existed bool) error {
	if g.s.has(PermCardsEnroll) {
		return nil
	}
	if existed && person == "" {
		var old Card
		if json.Unmarshal(before, &old) == nil {
			person = old.Person
		}
	}
	return g.forbidden(g.imp.path(KindPerson, person)+".cards", PermCardsEnroll)
}

// mayGrant checks a grant written or deleted (after is then the zero
// Grant): the actor must be allowed to grant on the door it is on now and
// on the door it was on.
func (g *guardedTx) mayGrant(path string, before []byte, existed bool, after Grant) error {
	var doors []string
	if after.Door != "" {
		doors = append(doors, after.Door)
	}
	if existed {
		var old Grant
		if err := json.Unmarshal(before, &old); err != nil {
			return fmt.Errorf("decode grant: %w", err)
		}
		if !slices.Contains(doors, old.Door) {
			doors = append(doors, old.Door)
		}
	}
	for _, id := range doors {
		door, _, err := lookup[Door](g.Tx, KindDoor, id)
		if err != nil {
			return err
		}
		door.ID = id
		if err := g.s.mayGrantOn(door); err != nil {
			return &SiteFileError{Path: path, Problem: err.Error(), Err: ErrForbidden}
		}
	}
	return nil
}

// forbidden is the refusal of a change at path that needs p.
func (g *guardedTx) forbidden(path string, p Permission) error {
	return &SiteFileError{Path: path, Err: ErrForbidden,
		Problem: fmt.Sprintf("%s: %s may not change it (needs %s)", ErrForbidden, g.s.actor, p)}
}

// fieldError puts the path of the object in front of a refused field.
func (g *guardedTx) fieldError(path string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		return &SiteFileError{Path: path + "." + fe.Field, Problem: fe.Problem, Code: fe.Code, Args: fe.Args, Err: fe.Err}
	}
	return err
}

// path names kind/id as the file's path to it, "people[3]", or as
// "kind/id" when the file does not list it. The kinds are named after
// the file's sections.
func (imp *siteImport) path(kind Kind, id string) string {
	if i, ok := imp.index[kind][id]; ok {
		return fmt.Sprintf("%s[%d]", kind, i)
	}
	i := -1
	switch kind {
	case KindHoliday:
		i = slices.IndexFunc(imp.f.Holidays, func(h Holiday) bool { return h.Date.String() == id })
	case KindGrant:
		i = slices.IndexFunc(imp.grants, func(g Grant) bool { return g.ID == id })
	}
	if i >= 0 {
		return fmt.Sprintf("%s[%d]", kind, i)
	}
	return string(kind) + "/" + id
}

// grantPath names the file's grant g, which gets its id only as it is
// written when it is new.
func (imp *siteImport) grantPath(g Grant) string {
	i := slices.IndexFunc(imp.grants, func(f Grant) bool {
		return f.ID == g.ID || (f.ID == "" && f.Person == g.Person && f.Door == g.Door && f.Kind == g.Kind &&
			f.From.Equal(g.From) && f.Until.Equal(g.Until))
	})
	if i < 0 {
		return imp.path(KindGrant, g.ID)
	}
	return fmt.Sprintf("%s[%d]", KindGrant, i)
}
