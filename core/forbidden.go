package core

import "fmt"

// ForbiddenError is an action refused because the actor lacks a
// permission. Its text is the engine's English ("forbidden: desk may not
// see the event log (needs logs.view.any)"); the command line and the
// service's clients word it in their own language from its fields, the
// permission's description (PermissionInfo.About) rather than What. It
// matches ErrForbidden with errors.Is.
type ForbiddenError struct {
	// Actor is who was refused, as Actor.String names it.
	Actor string
	// Permission is the permission the action needs.
	Permission Permission
	// What is the action refused, in English ("see the event log").
	What string
	// Door is set when the actor holds Permission, grants.edit.own, but
	// does not own this door.
	Door string
}

func (e ForbiddenError) Error() string {
	if e.Door != "" {
		return fmt.Sprintf("%v: %s does not own door %s (%s covers only one's own doors)", ErrForbidden, e.Actor, e.Door, e.Permission)
	}
	return fmt.Sprintf("%v: %s may not %s (needs %s)", ErrForbidden, e.Actor, e.What, e.Permission)
}

// Unwrap returns ErrForbidden.
func (e ForbiddenError) Unwrap() error { return ErrForbidden }

// About is the description of the permission e needs, in English; the
// permission's name when it is not registered.
func (e ForbiddenError) About() string {
	for _, p := range permissions {
		if p.Name == e.Permission {
			return p.About
		}
	}
	return string(e.Permission)
}
