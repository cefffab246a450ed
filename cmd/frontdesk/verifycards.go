package main

import (
	"fmt"

	"frontdesk/core"
)

// ambiguousCards lists the pairs of cards of different people that some
// reader of the site cannot tell apart (core.Engine.AmbiguousCards), for
// verify. They are warnings, not problems: verify's exit status says
// whether the file is damaged, and these are sound records that the
// decision refuses as denied_ambiguous_card until one card of each pair is
// replaced (docs/access-decisions.md). When they cannot be listed (an
// account without people.view, a file too damaged to read its cards) it
// returns nil and a note saying why, and verify goes on with its own
// findings.
func (c *command) ambiguousCards() ([]core.CardPair, string) {
	pairs, err := c.api.AmbiguousCards(c.actor())
	if err != nil {
		return nil, "ambiguous cards not checked: " + err.Error()
	}
	if pairs == nil {
		pairs = []core.CardPair{}
	}
	return pairs, ""
}

// printAmbiguousCards writes the warnings of ambiguousCards.
func (c *command) printAmbiguousCards(pairs []core.CardPair, note string) {
	if note != "" {
		c.say("warning: %s", printable(note))
		return
	}
	if len(pairs) == 0 {
		return
	}
	c.say("warning: %s of cards of different people that readers of the site cannot tell apart; "+
		"their taps on those readers are denied_ambiguous_card:",
		c.tr().N("{{.Count}} pairs", "{{.Count}} pair", "{{.Count}} pairs", len(pairs)))
	for _, p := range pairs {
		fmt.Fprintln(c.stdout, "  "+printable(p.String()))
	}
}
