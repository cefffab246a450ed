package main

import (
	"context"
	"time"

	"frontdesk/core"
)

// checkoutEvery is how often the running app looks for work days that
// closed. The events carry the exact close instant whenever they are
// written.
const checkoutEvery = time.Minute

// runAutoCheckout runs the automatic check-out until ctx ends: at once, to
// catch up the closes that passed while nothing ran, then every minute.
func runAutoCheckout(ctx context.Context, m *Main) {
	sys := core.Actor{Kind: core.ActorSystem}
	for {
		if _, err := m.Engine.CloseDay(sys, time.Time{}); err != nil {
			m.Log.Error("automatic check-out", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(checkoutEvery):
		}
	}
}

// closeDay runs the automatic check-out as of --at. --at says up to when
// the closes run, the end of a period: a DATE is the end of that day, so
// "close-day --at 2026-11-24" closes the 24th.
func (c *command) closeDay(args []string) error {
	fs := c.flags("close-day", "[--at TIME|DATE]")
	at := fs.String("at", "", "run it as of `TIME` (RFC 3339, or local 2026-11-24T21:00), or as of the end of a DATE; default now")
	if _, err := c.start(fs, args, 0, 0); err != nil {
		return err
	}
	defer c.close()
	t, err := c.end("at", *at)
	if err != nil {
		return err
	}
	evs, err := c.api.CloseDay(c.actor(), t)
	if err != nil {
		return err
	}
	if c.json {
		out := make([]tapJSON, len(evs))
		for i, e := range evs {
			out[i] = c.tapJSON(e)
		}
		return c.printJSON(out)
	}
	if len(evs) == 0 {
		c.say("nobody to check out")
		return nil
	}
	c.printEvents(evs)
	return nil
}
