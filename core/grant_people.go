package core

import "strings"

// GrantablePeople returns the people whose name or id holds every word of
// text (accents and case ignored; "" finds everyone), by name then id, at
// most limit of them (limit ≤ 0: all), and how many matched in all. Each
// is its id and name only: a door owner grants access to her doors by
// picking a person by name without people.view, and learns nothing more
// about them (no phone, card or department; a search by phone or card
// finds nobody). Needs grants.edit.own or grants.edit.any (whoever may
// grant may grant to anyone), or doors.edit (whoever may change a door
// names its owners). Errors: ErrForbidden.
func (e *Engine) GrantablePeople(a Actor, text string, limit int) ([]PersonRef, int, error) {
	s, err := e.subject(a)
	if err != nil {
		return nil, 0, err
	}
	if !s.has(PermGrantsEditAny) && !s.has(PermGrantsEditOwn) && !s.has(PermDoorsEdit) {
		return nil, 0, s.forbid(PermGrantsEditOwn, "find people to grant access to")
	}
	idx, err := e.freshPeopleIndex()
	if err != nil {
		return nil, 0, err
	}
	defer idx.mu.RUnlock()
	words := strings.Fields(foldText(text))
	var out []PersonRef
	total := 0
	for _, en := range idx.entries {
		if !en.named(words) {
			continue
		}
		total++
		if limit <= 0 || len(out) < limit {
			out = append(out, PersonRef{ID: en.p.ID, Name: en.p.Name})
		}
	}
	return out, total, nil
}

// named reports whether every word is in the entry's id or name: the
// start of its hay, up to the NUL after the name.
func (en *indexEntry) named(words []string) bool {
	hay := en.hay
	if i := strings.IndexByte(hay, 0); i >= 0 {
		if j := strings.IndexByte(hay[i+1:], 0); j >= 0 {
			hay = hay[:i+1+j]
		}
	}
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// FoldText is text as searches compare it: lower case, without accents
// ("Élodie" reads "elodie"), so that the screens filter their own lists
// the way the engine searches people.
func FoldText(text string) string { return foldText(text) }
