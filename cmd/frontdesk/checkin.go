package main

import "frontdesk/core"

// checkin checks a person in by mobile number (DESIGN §2.2), for someone
// who forgot their badge, and prints the decision as tap does. A refusal
// is a decision: exit 0. A number that cannot be one is a usage error.
func (c *command) checkin(args []string) error {
	fs := c.flags("checkin", "--phone NUMBER [--at TIME]")
	phone := fs.String("phone", "", "the person's mobile `NUMBER`, national or international (06 12 34 56 78, +33 6 12 34 56 78)")
	at := fs.String("at", "", "`TIME` of the check-in (RFC 3339, or local 2026-11-24T09:00); default now")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *phone == "" {
		return usagef("checkin: --phone is required")
	}
	// The form of the number does not depend on the site's phone_prefix:
	// check it before opening the database.
	if _, err := core.NormalizePhone(*phone, ""); err != nil {
		return usagef("--phone: %v", err)
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	t, err := c.time("at", *at)
	if err != nil {
		return err
	}
	ev, err := c.api.CheckinPhone(c.actor(), *phone, t)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(c.tapJSON(ev))
	}
	c.printEvents([]core.Event{ev})
	return nil
}
