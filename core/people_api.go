package core

import (
	"cmp"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
	"weak"

	"golang.org/x/text/unicode/norm"

	"frontdesk/core/procs"
)

// This file is the engine's side of the people screens: the search over
// every person, changes to people and departments, enrolment and blocking
// of cards at the desk, and the self-view a desk tap shows.

// FieldError is a value of a form that breaks a rule: Field names the
// field ("name", "phone", "access_levels[1]") and Problem says what is
// wrong in English, so that a screen can show it next to the field. Code
// names the rule ("no_person", see Problems) and Args its values by name
// ({"value": "nobody"}), so that a screen can say it in its own language;
// Code is "" for a problem only worded in English. It wraps ErrInvalid,
// or ErrNotFound for a reference to nothing. A form with several
// problems gets them all, as Problems.
type FieldError struct {
	Field   string
	Problem string
	Code    string
	Args    map[string]string
	Err     error
}

// Error returns "field: problem".
func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// Unwrap returns ErrInvalid or ErrNotFound.
func (e *FieldError) Unwrap() error { return e.Err }

// ---- Search ----

// PeopleQuery selects people for the people screen.
type PeopleQuery struct {
	// Text is matched against each person's id, name, phone and card
	// codes, without regard to case or accents ("elodie" finds "Élodie");
	// every word must match somewhere. A phone matches written nationally
	// or internationally, and a card code in any form a reader gives it
	// (dec:0045131261 finds the holder of em:0102B0A5FD); a code that
	// matches the cards of several people finds each of them, as
	// candidates (a tap of it is denied_ambiguous_card). "" matches all.
	Text string
	// Department keeps the people of that department id; "" keeps all.
	Department string
	// Limit, when positive, bounds the people returned; the total counts
	// every match.
	Limit int
}

// People returns the people q selects, ordered by name (accents and case
// ignored) then id, and how many match in all. Inactive people are
// included: Person.Inactive tells them apart. Needs people.view.
//
// It searches an index in memory, built from the store on the first
// search and kept in step by the changes this file makes; a change of the
// site's config (an import, a department changed: anything after which
// the engine reloads it) has the next search rebuild it. A search over
// 100,000 people takes a few milliseconds (BenchmarkPeopleSearch).
func (e *Engine) People(a Actor, q PeopleQuery) ([]Person, int, error) {
	if _, err := e.require(a, PermPeopleView, "see people"); err != nil {
		return nil, 0, err
	}
	return e.searchPeople(q)
}

// searchPeople is People without the permission check: the screens that
// pick people by name under other permissions (AttendancePeople) search
// the same index.
func (e *Engine) searchPeople(q PeopleQuery) ([]Person, int, error) {
	idx, err := e.freshPeopleIndex()
	if err != nil {
		return nil, 0, err
	}
	defer idx.mu.RUnlock()
	words := queryWords(q.Text)
	// A query that reads as a card code also finds the cards that match
	// it in the reader's sense (a w26 read and the em card it comes from).
	var holders map[string]bool
	if code, err := ParseCode(strings.TrimSpace(q.Text)); err == nil && code.Format != FormatOpaque {
		err := e.store.View(func(tx Tx) error {
			cards, err := tx.CardsMatching(code)
			for _, c := range cards {
				if holders == nil {
					holders = map[string]bool{}
				}
				holders[c.Person] = true
			}
			return err
		})
		if err != nil {
			return nil, 0, err
		}
	}
	found := idx.search(words, q.Department)
	if len(holders) > 0 {
		for id := range holders {
			en, ok := idx.byID[id]
			if !ok || (q.Department != "" && en.p.Department != q.Department) {
				continue
			}
			if i, ok := slices.BinarySearchFunc(idx.entries, en.key, entryKeyCmp); ok {
				found = append(found, i)
			}
		}
		slices.Sort(found)
		found = slices.Compact(found)
	}
	n := len(found)
	if q.Limit > 0 {
		n = min(n, q.Limit)
	}
	out := make([]Person, n)
	for j, i := range found[:n] {
		out[j] = clonePerson(idx.entries[i].p)
	}
	return out, len(found), nil
}

func clonePerson(p Person) Person {
	p.AccessLevels = slices.Clone(p.AccessLevels)
	p.PhoneCheckin = clonePtr(p.PhoneCheckin)
	return p
}

// queryWords folds the words of a search. A word made of digits and the
// signs phone numbers are written with ("+33", "06.12") loses the signs,
// so that it meets the digits the index keeps, and such words in a row
// are one number: "06 12 34" is looked for as "061234".
func queryWords(text string) []string {
	var out []string
	number := false // the last word is a number
	for _, w := range strings.Fields(foldText(text)) {
		isNumber := strings.ContainsAny(w, "0123456789") && strings.Trim(w, "0123456789+.-/()") == ""
		if isNumber {
			w = strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, w)
			if number {
				out[len(out)-1] += w
				continue
			}
		}
		number = isNumber
		out = append(out, w)
	}
	return out
}

// peopleIndex is the search index of one engine: every person with the
// text a search matches, in name order.
type peopleIndex struct {
	mu sync.RWMutex
	// cfg is the engine's config when the index was built; nil before the
	// first build. Another config means the engine reloaded after a change
	// this file did not make: the index is rebuilt.
	cfg     *config
	entries []*indexEntry // by key
	byID    map[string]*indexEntry
	// text is the entries' hays one after the other, each followed by
	// textEnd, and starts the offset of each entry's: a search looks for
	// its longest word through all of it at once, which is several times
	// faster than entry by entry.
	text   string
	starts []int
}

// textEnd ends each entry's hay in peopleIndex.text; no word holds it.
const textEnd = '\x01'

// search returns the positions in idx.entries, in order, of the entries
// of department dept ("" for any) whose text holds every word.
func (idx *peopleIndex) search(words []string, dept string) []int {
	keep := func(i int) bool {
		return dept == "" || idx.entries[i].p.Department == dept
	}
	if len(words) == 0 {
		var found []int
		for i := range idx.entries {
			if keep(i) {
				found = append(found, i)
			}
		}
		return found
	}
	// The longest word is likely the rarest: it leads the scan.
	lead := 0
	for i, w := range words {
		if len(w) > len(words[lead]) {
			lead = i
		}
	}
	rest := slices.Delete(slices.Clone(words), lead, lead+1)
	// Large indexes are scanned in parts, one per core, each a run of
	// whole entries.
	parts := 1
	if len(idx.entries) >= 20_000 {
		parts = procs.Cores()
	}
	results := make([][]int, parts)
	Spread(parts, func(k int) {
		first, end := k*len(idx.entries)/parts, (k+1)*len(idx.entries)/parts
		results[k] = idx.scan(words[lead], rest, first, end, keep)
	})
	return slices.Concat(results...)
}

// scan returns the positions, from first to end (excluded), of the
// entries kept whose text holds lead and every word of rest.
func (idx *peopleIndex) scan(lead string, rest []string, first, end int, keep func(int) bool) []int {
	var found []int
	if first >= end {
		return nil
	}
	stop := len(idx.text)
	if end < len(idx.starts) {
		stop = idx.starts[end]
	}
	text := idx.text[:stop]
	for pos := idx.starts[first]; pos < len(text); {
		j := strings.Index(text[pos:], lead)
		if j < 0 {
			break
		}
		i, exact := slices.BinarySearch(idx.starts, pos+j)
		if !exact {
			i--
		}
		if en := idx.entries[i]; keep(i) && en.matches(rest) {
			found = append(found, i)
		}
		// On to the next entry: one match per entry is enough.
		pos = len(text)
		if i+1 < len(idx.starts) {
			pos = idx.starts[i+1]
		}
	}
	return found
}

// pack lays the entries' hays out in text. Call it after any change to
// entries, with idx.mu held.
func (idx *peopleIndex) pack() {
	size := 0
	for _, en := range idx.entries {
		size += len(en.hay) + 1
	}
	var b strings.Builder
	b.Grow(size)
	starts := make([]int, len(idx.entries))
	for i, en := range idx.entries {
		starts[i] = b.Len()
		b.WriteString(en.hay)
		b.WriteByte(textEnd)
	}
	idx.text, idx.starts = b.String(), starts
	// The entries' hays now point into text: one copy in memory.
	for i, en := range idx.entries {
		en.hay = idx.text[starts[i] : starts[i]+len(en.hay)]
	}
}

// indexEntry is one person in the index.
type indexEntry struct {
	p Person
	// key orders the entries: the folded name, NUL, the id.
	key string
	// hay is what a search word is looked for in: the folded id and name,
	// the phone's digits nationally and internationally, the card codes in
	// every form, separated by NULs, which no word holds. It points into
	// peopleIndex.text once the index is packed.
	hay string
}

// matches reports whether every word is in the entry's text.
func (en *indexEntry) matches(words []string) bool {
	for _, w := range words {
		if !strings.Contains(en.hay, w) {
			return false
		}
	}
	return true
}

// newIndexEntry indexes p with its cards.
func newIndexEntry(p Person, cards []Card) *indexEntry {
	var b strings.Builder
	b.WriteString(foldText(p.ID))
	b.WriteByte(0)
	name := foldText(p.Name)
	b.WriteString(name)
	if digits := PhoneKey(p.Phone); digits != "" {
		all := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, p.Phone)
		b.WriteByte(0)
		b.WriteString(all)
		b.WriteByte(0)
		b.WriteString("0" + digits) // the national form of most countries
	}
	for _, c := range cards {
		code, err := ParseCode(c.Code)
		if err != nil {
			b.WriteByte(0)
			b.WriteString(foldText(c.Code))
			continue
		}
		for _, v := range code.ReadsAs() {
			b.WriteByte(0)
			b.WriteString(strings.ToLower(v.String()))
		}
	}
	return &indexEntry{p: p, key: name + "\x00" + p.ID, hay: b.String()}
}

// peopleIndexes holds the index of each engine without keeping engines
// alive: an engine's index goes when the engine does. (The Engine struct
// is shared by many files; the index lives beside it rather than in it.)
var peopleIndexes = struct {
	sync.Mutex
	m map[weak.Pointer[Engine]]*peopleIndex
}{m: map[weak.Pointer[Engine]]*peopleIndex{}}

// peopleIndex returns e's index, empty until built.
func (e *Engine) peopleIndex() *peopleIndex {
	k := weak.Make(e)
	peopleIndexes.Lock()
	defer peopleIndexes.Unlock()
	if idx, ok := peopleIndexes.m[k]; ok {
		return idx
	}
	idx := &peopleIndex{}
	peopleIndexes.m[k] = idx
	runtime.AddCleanup(e, func(k weak.Pointer[Engine]) {
		peopleIndexes.Lock()
		defer peopleIndexes.Unlock()
		delete(peopleIndexes.m, k)
	}, k)
	return idx
}

func (e *Engine) currentConfig() *config {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.cfg
}

// freshPeopleIndex returns e's index, read-locked, rebuilt first if the
// engine's config changed since it was built.
func (e *Engine) freshPeopleIndex() (*peopleIndex, error) {
	idx := e.peopleIndex()
	idx.mu.RLock()
	if idx.cfg == e.currentConfig() {
		return idx, nil
	}
	idx.mu.RUnlock()
	idx.mu.Lock()
	// The config is read before the store: a change committed after the
	// read below is followed by a reload, which the next search sees.
	cfg := e.currentConfig()
	if idx.cfg != cfg {
		if err := idx.build(e.store); err != nil {
			idx.mu.Unlock()
			return nil, err
		}
		idx.cfg = cfg
	}
	idx.mu.Unlock()
	idx.mu.RLock()
	return idx, nil
}

// build reads every person and card. Call it with idx.mu held.
func (idx *peopleIndex) build(store Store) error {
	var people []Person
	cards := map[string][]Card{}
	err := store.View(func(tx Tx) error {
		n, err := tx.Count(KindPerson)
		if err != nil {
			return err
		}
		people = make([]Person, 0, n)
		err = tx.List(KindPerson, func(_ string, decode func(any) error) error {
			var p Person
			if err := decode(&p); err != nil {
				return err
			}
			people = append(people, p)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.List(KindCard, func(_ string, decode func(any) error) error {
			var c Card
			if err := decode(&c); err != nil {
				return err
			}
			cards[c.Person] = append(cards[c.Person], c)
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("index people: %w", err)
	}
	entries := make([]*indexEntry, len(people))
	parts := min(procs.Cores(), max(1, len(people)/1000))
	Spread(parts, func(w int) {
		for i := w; i < len(people); i += parts {
			entries[i] = newIndexEntry(people[i], cards[people[i].ID])
		}
	})
	byID := make(map[string]*indexEntry, len(people))
	for _, en := range entries {
		byID[en.p.ID] = en
	}
	slices.SortFunc(entries, func(a, b *indexEntry) int { return strings.Compare(a.key, b.key) })
	idx.entries, idx.byID = entries, byID
	idx.pack()
	return nil
}

// refresh rereads people ids and their cards after a change this file
// committed. An index not built yet is left alone: its first build reads
// everything.
func (e *Engine) refreshPeople(ids ...string) {
	idx := e.peopleIndex()
	idx.mu.Lock()
	defer idx.mu.Unlock()
	if idx.cfg == nil {
		return
	}
	err := e.store.View(func(tx Tx) error {
		for _, id := range ids {
			p, ok, err := lookup[Person](tx, KindPerson, id)
			if err != nil {
				return err
			}
			var en *indexEntry
			if ok {
				cards, err := tx.CardsOf(id)
				if err != nil {
					return err
				}
				en = newIndexEntry(p, cards)
			}
			idx.replace(id, en)
		}
		idx.pack()
		return nil
	})
	if err != nil {
		// The next search rebuilds rather than miss the change.
		e.log.Error("people index: refresh", "err", err)
		idx.cfg = nil
	}
}

// replace puts en in place of person id's entry; nil removes it.
func (idx *peopleIndex) replace(id string, en *indexEntry) {
	if old, ok := idx.byID[id]; ok {
		if i, found := slices.BinarySearchFunc(idx.entries, old.key, entryKeyCmp); found {
			idx.entries = slices.Delete(idx.entries, i, i+1)
		}
		delete(idx.byID, id)
	}
	if en == nil {
		return
	}
	i, _ := slices.BinarySearchFunc(idx.entries, en.key, entryKeyCmp)
	idx.entries = slices.Insert(idx.entries, i, en)
	idx.byID[id] = en
}

func entryKeyCmp(en *indexEntry, key string) int { return strings.Compare(en.key, key) }

// foldText is s as searches compare it: lower case, accents dropped
// ("Élodie" is "elodie"), and the letters that have no decomposition
// written as their base letters ("Łukasz" is "lukasz", "Søren" "soren",
// "Straße" "strasse").
func foldText(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if rep, ok := foldSpecial[r]; ok {
			b.WriteString(rep)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldSpecial are the lower-case letters NFD does not split into a base
// letter and a mark.
var foldSpecial = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i", 'ħ': "h",
}

// ReadsAs returns the codes the card c gives on each kind of reader that
// sees no more bits than c holds, c's own format first: an em card reads
// as em:, as dec: on a keyboard wedge (its low 32 bits) and as w26: on a
// Wiegand 26 reader (its low 24 bits); a dec code as dec: and w26:; a w26,
// uid or opaque code only as itself. Every code returned matches c.
func (c Code) ReadsAs() []Code {
	out := []Code{c}
	if c.Width > 32 && c.isBits() {
		out = append(out, Code{Format: FormatDec, Value: lowBits(c.Value, 32), Width: 32})
	}
	if c.Width > 24 && c.isBits() {
		out = append(out, Code{Format: FormatW26, Value: lowBits(c.Value, 24), Width: 24})
	}
	return out
}

// ---- People ----

// PeopleChoices are what a person's form chooses among: the departments,
// access levels and shifts, each by name.
type PeopleChoices struct {
	Departments  []Department
	AccessLevels []AccessLevel
	Shifts       []Shift
}

// PeopleChoices returns the site's departments, access levels and shifts,
// each sorted by name. Needs people.view.
func (e *Engine) PeopleChoices(a Actor) (PeopleChoices, error) {
	if _, err := e.require(a, PermPeopleView, "see people"); err != nil {
		return PeopleChoices{}, err
	}
	out := PeopleChoices{Departments: e.departmentsByName()}
	e.mu.RLock()
	defer e.mu.RUnlock()
	for _, l := range e.cfg.levels {
		l.Rules = slices.Clone(l.Rules)
		out.AccessLevels = append(out.AccessLevels, l)
	}
	for _, s := range e.cfg.shifts {
		out.Shifts = append(out.Shifts, s)
	}
	names := newNameOrder()
	sortByName(names, out.AccessLevels, func(l AccessLevel) (string, string) { return l.Name, l.ID })
	sortByName(names, out.Shifts, func(s Shift) (string, string) { return s.Name, s.ID })
	return out, nil
}

// departmentsByName returns the site's departments from the engine's copy
// of the site, by name then id.
func (e *Engine) departmentsByName() []Department {
	e.mu.RLock()
	out := make([]Department, 0, len(e.cfg.departments))
	for _, d := range e.cfg.departments {
		out = append(out, d)
	}
	e.mu.RUnlock()
	sortByName(newNameOrder(), out, func(d Department) (string, string) { return d.Name, d.ID })
	return out
}

// Departments returns the site's departments by name. Needs people.view.
func (e *Engine) Departments(a Actor) ([]Department, error) {
	c, err := e.PeopleChoices(a)
	return c.Departments, err
}

// AddPerson stores a new person: as PutPerson, but an id already taken
// is refused with ErrConflict rather than updated.
func (e *Engine) AddPerson(a Actor, p Person) (Person, error) {
	return e.putPerson(a, p, true)
}

// PutPerson stores p, new or changed, and returns it as stored. Needs
// people.edit, and for each field that changes the permission
// FieldPermission gives: changing master or the person's own access
// levels needs access.edit (a master opens every door, even in lockdown).
// A refused field is a *FieldError wrapping ErrForbidden. The other
// checks name the field at fault (*FieldError) too: id as in site files,
// name required, phone a phone number (NormalizePhone with the site's
// calling code; stored as written), department, access levels and shift
// that exist, left not before started. A zero Started keeps the stored
// one, and for a new person is today in the site's zone; Left is as
// given (zero: still there). Cards are not changed here (EnrollCard,
// SetCardState).
// The change is in the audit trail as "person.add" or "person.update".
func (e *Engine) PutPerson(a Actor, p Person) (Person, error) {
	return e.putPerson(a, p, false)
}

func (e *Engine) putPerson(a Actor, p Person, mustBeNew bool) (Person, error) {
	s, err := e.require(a, PermPeopleEdit, "change people")
	if err != nil {
		return Person{}, err
	}
	p.ID = strings.TrimSpace(p.ID)
	p.Name = strings.TrimSpace(p.Name)
	p.Phone = strings.TrimSpace(p.Phone)
	if len(p.AccessLevels) == 0 {
		p.AccessLevels = nil
	}
	// Every problem is found before any is reported, so that a form
	// shows them all at once.
	problems := e.checkPerson(p)
	action := "person.update"
	err = e.change(a, "", false, func(tx *auditTx) error {
		old, exists, err := lookup[Person](tx, KindPerson, p.ID)
		if err != nil {
			return err
		}
		if exists && mustBeNew {
			return fmt.Errorf("%w: %w", ErrConflict, problemOf("id", "taken", fmt.Sprintf("%q is taken by %s", p.ID, old.Name),
				"value", p.ID, "name", old.Name))
		}
		if !exists {
			action = "person.add"
		}
		if p.Started == (Date{}) {
			// Kept, or for a new person the day they are added: no
			// absence is counted before it.
			p.Started = old.Started
			if !exists {
				p.Started = e.today()
			}
		}
		if err := checkEmployment(p); err != nil {
			problems = append(problems, err)
		}
		if len(problems) == 0 {
			if err := mayChange(s, KindPerson, old, exists, p); err != nil {
				return err
			}
		}
		refs, err := checkPersonRefs(tx, p)
		if err != nil {
			return err
		}
		if err := append(problems, refs...).Err(); err != nil {
			return err
		}
		tx.action = action
		return tx.Put(KindPerson, p.ID, p)
	})
	if err != nil {
		return Person{}, err
	}
	e.refreshPeople(p.ID)
	e.log.Info("person saved", "person", p.ID, "action", action, "by", a.String())
	return p, nil
}

// checkPerson checks the fields of p that need no store, and returns
// every problem it finds.
func (e *Engine) checkPerson(p Person) Problems {
	var ps Problems
	if err := checkID("id", p.ID); err != nil {
		ps = append(ps, asField(err))
	}
	if p.Name == "" {
		ps = append(ps, problemOf("name", "required", "required"))
	} else if err := checkText(p.Name); err != nil {
		ps = append(ps, fieldFrom("name", err))
	}
	if err := checkText(p.Phone); err != nil {
		ps = append(ps, fieldFrom("phone", err))
	} else if p.Phone != "" {
		if _, err := NormalizePhone(p.Phone, e.Site().CallingCode()); err != nil {
			ps = append(ps, fieldFrom("phone", err))
		}
	}
	for i, l := range p.AccessLevels {
		if slices.Contains(p.AccessLevels[:i], l) {
			ps = append(ps, problemOf(fmt.Sprintf("access_levels[%d]", i), "duplicate", fmt.Sprintf("%q is listed twice", l), "value", l))
		}
	}
	return ps
}

// asField is a problem of checkID, a *SiteFileError, as a *FieldError.
func asField(err error) error {
	var fe *SiteFileError
	if errors.As(err, &fe) {
		return &FieldError{Field: fe.Path, Problem: fe.Problem, Code: fe.Code, Args: fe.Args, Err: fe.Err}
	}
	return err
}

// missing is the problem of a field that names no object of kind.
func missing(field string, kind Kind, id string) *FieldError {
	return &FieldError{Field: field, Problem: fmt.Sprintf("no %s %q", kindNoun[kind], id),
		Code: refCode(kind), Args: argsOf("value", id), Err: ErrNotFound}
}

// checkPersonRefs returns a problem for each reference of p to nothing.
func checkPersonRefs(tx Tx, p Person) (Problems, error) {
	var ps Problems
	exists := func(kind Kind, id string) (bool, error) {
		_, ok, err := tx.Raw(kind, id)
		return ok, err
	}
	if p.Department != "" {
		if ok, err := exists(KindDepartment, p.Department); err != nil {
			return nil, err
		} else if !ok {
			ps = append(ps, missing("department", KindDepartment, p.Department))
		}
	}
	for i, l := range p.AccessLevels {
		if ok, err := exists(KindAccessLevel, l); err != nil {
			return nil, err
		} else if !ok {
			ps = append(ps, missing(fmt.Sprintf("access_levels[%d]", i), KindAccessLevel, l))
		}
	}
	if p.Shift != "" {
		if ok, err := exists(KindShift, p.Shift); err != nil {
			return nil, err
		} else if !ok {
			ps = append(ps, missing("shift", KindShift, p.Shift))
		}
	}
	return ps, nil
}

// DeletePerson removes person id with their cards and grants, and
// returns what they were. A person the site still refers to is refused
// with ErrConflict, which says why: one with events in the log (the log
// keeps their id for ever: make them inactive instead), attendance
// records or justifications, a staff account, or doors they own. Needs
// people.edit, and cards.enroll when they hold cards. Audited as
// "person.delete".
func (e *Engine) DeletePerson(a Actor, id string) (Person, error) {
	s, err := e.require(a, PermPeopleEdit, "delete people")
	if err != nil {
		return Person{}, err
	}
	e.mu.RLock()
	for _, acc := range e.cfg.accounts {
		if acc.Person == id {
			e.mu.RUnlock()
			return Person{}, phrasef(ErrConflict, "person %s has the staff account %s", id, acc.Username)
		}
	}
	for _, d := range e.cfg.doors {
		if d.OwnedBy(id) {
			e.mu.RUnlock()
			return Person{}, phrasef(ErrConflict, "person %s owns door %s", id, d.Name)
		}
	}
	e.mu.RUnlock()
	var p Person
	err = e.change(a, "person.delete", false, func(tx *auditTx) error {
		var ok bool
		var err error
		if p, ok, err = lookup[Person](tx, KindPerson, id); err != nil {
			return err
		} else if !ok {
			return notFound("person", id)
		}
		if err := refusedWhileReferenced(tx, p); err != nil {
			return err
		}
		cards, err := tx.CardsOf(id)
		if err != nil {
			return err
		}
		if len(cards) > 0 {
			if err := s.need(PermCardsEnroll, "delete a person who holds cards"); err != nil {
				return err
			}
		}
		for _, c := range cards {
			if err := tx.Delete(KindCard, c.Code); err != nil {
				return err
			}
		}
		grants, err := tx.GrantsFor(id, "")
		if err != nil {
			return err
		}
		for _, g := range grants {
			if err := tx.Delete(KindGrant, g.ID); err != nil {
				return err
			}
		}
		return tx.Delete(KindPerson, id)
	})
	if err != nil {
		return Person{}, err
	}
	e.refreshPeople(id)
	e.log.Info("person deleted", "person", id, "by", a.String())
	return p, nil
}

// refusedWhileReferenced returns ErrConflict when the log, the attendance
// records, the justifications or the time bank corrections name p.
func refusedWhileReferenced(tx Tx, p Person) error {
	err := tx.Events(EventQuery{Person: p.ID, Limit: 1}, func(Event) error { return errEnough })
	if errors.Is(err, errEnough) {
		return phrasef(ErrConflict, "%s has events in the log, which keeps their id: make them inactive instead", p.Name)
	}
	if err != nil {
		return err
	}
	for _, kind := range []Kind{KindAttendance, KindJustification, KindBalance} {
		err := tx.List(kind, func(_ string, decode func(any) error) error {
			var v struct {
				Person string `json:"person"`
			}
			if err := decode(&v); err != nil {
				return err
			}
			if v.Person == p.ID {
				return errEnough
			}
			return nil
		})
		if errors.Is(err, errEnough) {
			return phrasef(ErrConflict, "%s has %s: make them inactive instead", p.Name, word(strings.ReplaceAll(string(kind), "_", " ")))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ---- Departments ----

// PutDepartment stores d, new or changed. Needs people.edit, and
// access.edit to set or change its access level (FieldPermission). Its id is
// checked as in site files, its name is required, and its access level
// and shift must exist (*FieldError). Audited as "department.add" or
// "department.update".
func (e *Engine) PutDepartment(a Actor, d Department) (Department, error) {
	s, err := e.require(a, PermPeopleEdit, "change departments")
	if err != nil {
		return Department{}, err
	}
	d.ID, d.Name = strings.TrimSpace(d.ID), strings.TrimSpace(d.Name)
	var problems Problems
	if err := checkID("id", d.ID); err != nil {
		problems = append(problems, asField(err))
	}
	if d.Name == "" {
		problems = append(problems, problemOf("name", "required", "required"))
	} else if err := checkText(d.Name); err != nil {
		problems = append(problems, fieldFrom("name", err))
	}
	err = e.change(a, "", false, func(tx *auditTx) error {
		old, exists, err := lookup[Department](tx, KindDepartment, d.ID)
		if err != nil {
			return err
		}
		if len(problems) == 0 {
			if err := mayChange(s, KindDepartment, old, exists, d); err != nil {
				return err
			}
		}
		tx.action = "department.update"
		if !exists {
			tx.action = "department.add"
		}
		if d.AccessLevel != "" {
			if _, ok, err := tx.Raw(KindAccessLevel, d.AccessLevel); err != nil {
				return err
			} else if !ok {
				problems = append(problems, missing("access_level", KindAccessLevel, d.AccessLevel))
			}
		}
		if d.Shift != "" {
			if _, ok, err := tx.Raw(KindShift, d.Shift); err != nil {
				return err
			} else if !ok {
				problems = append(problems, missing("shift", KindShift, d.Shift))
			}
		}
		if err := problems.Err(); err != nil {
			return err
		}
		return tx.Put(KindDepartment, d.ID, d)
	})
	if err != nil {
		return Department{}, err
	}
	e.log.Info("department saved", "department", d.ID, "by", a.String())
	return d, e.reload()
}

// DeleteDepartment removes department id. A department that people
// still belong to is refused with ErrConflict naming how many. Needs
// people.edit. Audited as "department.delete".
func (e *Engine) DeleteDepartment(a Actor, id string) error {
	if _, err := e.require(a, PermPeopleEdit, "delete departments"); err != nil {
		return err
	}
	err := e.change(a, "department.delete", false, func(tx *auditTx) error {
		d, ok, err := lookup[Department](tx, KindDepartment, id)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("department", id)
		}
		n := 0
		err = tx.List(KindPerson, func(_ string, decode func(any) error) error {
			var p struct {
				Department string `json:"department"`
			}
			if err := decode(&p); err != nil {
				return err
			}
			if p.Department == id {
				n++
			}
			return nil
		})
		if err != nil {
			return err
		}
		if n > 0 {
			return phrasef(ErrConflict, "department %s still has people in it (%d): move them first", d.Name, n)
		}
		return tx.Delete(KindDepartment, id)
	})
	if err != nil {
		return err
	}
	e.log.Info("department deleted", "department", id, "by", a.String())
	return e.reload()
}

// ---- Cards ----

// CardsOf returns person's cards in code order. Needs people.view.
func (e *Engine) CardsOf(a Actor, person string) ([]Card, error) {
	if _, err := e.require(a, PermPeopleView, "see cards"); err != nil {
		return nil, err
	}
	var out []Card
	err := e.store.View(func(tx Tx) error {
		if _, ok, err := lookup[Person](tx, KindPerson, person); err != nil {
			return err
		} else if !ok {
			return notFound("person", person)
		}
		var err error
		out, err = tx.CardsOf(person)
		return err
	})
	return out, err
}

// CardHolder returns the card a read matches and its holder, for the
// enrolment screen to say whose a tapped card is; ErrNotFound for a card
// nobody holds, ErrConflict naming them for a read that matches the cards
// of several people (it is no one's in particular). Needs people.view.
func (e *Engine) CardHolder(a Actor, code string) (Card, Person, error) {
	if _, err := e.require(a, PermPeopleView, "see cards"); err != nil {
		return Card{}, Person{}, err
	}
	read, err := ParseCode(code)
	if err != nil {
		return Card{}, Person{}, err
	}
	var c Card
	var p Person
	err = e.store.View(func(tx Tx) error {
		cards, err := tx.CardsMatching(read)
		if err != nil {
			return err
		}
		if len(cards) == 0 {
			return phrasef(ErrNotFound, "no card has code %s", read)
		}
		if len(holders(cards)) > 1 {
			names, err := cardsHeldBy(tx, cards)
			if err != nil {
				return err
			}
			return phrasef(ErrConflict, "code %s matches the cards of %s", read, joinAnd(names))
		}
		c = pickCard(cards, read, e.now())
		p, _, err = lookup[Person](tx, KindPerson, c.Person)
		return err
	})
	return c, p, err
}

// EnrollCard gives person the card code (any form ParseCode reads; stored
// canonical) as an active card without time bounds, and returns it. A
// card already theirs becomes active again. A card held by someone else,
// one whose code matches someone else's card, and one that a reader of
// the site seeing fewer bits than both cards could not tell from someone
// else's card (ReadWidths) are refused with ErrConflict naming both
// people and the reader. Needs cards.enroll. Audited as "card.enroll".
func (e *Engine) EnrollCard(a Actor, person, code string) (Card, error) {
	if _, err := e.require(a, PermCardsEnroll, "enrol cards"); err != nil {
		return Card{}, err
	}
	read, err := ParseCode(code)
	if err != nil {
		return Card{}, err
	}
	var c Card
	err = e.change(a, "card.enroll", false, func(tx *auditTx) error {
		var err error
		c, err = enroll(tx, person, read)
		return err
	})
	if err != nil {
		return Card{}, fmt.Errorf("enrol card %s: %w", read, err)
	}
	e.refreshPeople(person)
	e.log.Info("card enrolled", "card", c.Code, "person", person, "by", a.String())
	return c, nil
}

// enroll stores read as person's active card, or refuses it.
func enroll(tx Tx, person string, read Code) (Card, error) {
	p, ok, err := lookup[Person](tx, KindPerson, person)
	if err != nil {
		return Card{}, err
	}
	if !ok {
		return Card{}, notFound("person", person)
	}
	devices, err := list[Device](tx, KindDevice)
	if err != nil {
		return Card{}, err
	}
	clash, found, err := findClash(read, p.ID, readersByWidth(devices), tx.CardsMatching)
	if err != nil {
		return Card{}, err
	}
	if found {
		holder, err := personLabel(tx, clash.other.Person)
		if err != nil {
			return Card{}, err
		}
		if clash.other.Code == read.String() {
			return Card{}, phrasef(ErrConflict, "card %s belongs to %s", clash.other.Code, holder)
		}
		self, err := personLabel(tx, p.ID)
		if err != nil {
			return Card{}, err
		}
		return Card{}, fmt.Errorf("%w: %s", ErrConflict, clash.problem(read.String(), self, holder))
	}
	c := Card{Code: read.String(), Person: p.ID, State: CardActive}
	return c, tx.Put(KindCard, c.Code, c)
}

// findCard returns the stored card code names: the card of that exact
// code, else the only card that matches it as a read. A read that matches
// several cards names none of them: ErrConflict, naming their holders.
func findCard(tx Tx, code string) (Card, error) {
	read, err := ParseCode(code)
	if err != nil {
		return Card{}, err
	}
	if c, ok, err := lookup[Card](tx, KindCard, read.String()); err != nil || ok {
		return c, err
	}
	cards, err := tx.CardsMatching(read)
	if err != nil {
		return Card{}, err
	}
	switch len(cards) {
	case 0:
		return Card{}, phrasef(ErrNotFound, "no card %s", read)
	case 1:
		return cards[0], nil
	}
	codes := make([]string, len(cards))
	for i, c := range cards {
		codes[i] = c.Code
	}
	names, err := cardsHeldBy(tx, cards)
	if err != nil {
		return Card{}, err
	}
	return Card{}, phrasef(ErrConflict, "%s matches %d cards (%s) of %s: give the card's exact code", read, len(cards), strings.Join(codes, ", "), joinAnd(names))
}

// SetCardState makes card code active, lost or revoked, and returns it.
// code may be any form the card reads as. Taps of a lost or revoked card
// are denied_card_blocked. Needs cards.enroll. Audited as "card.state".
func (e *Engine) SetCardState(a Actor, code string, state CardState) (Card, error) {
	if _, err := e.require(a, PermCardsEnroll, "block or unblock cards"); err != nil {
		return Card{}, err
	}
	switch state {
	case CardActive, CardLost, CardRevoked:
	default:
		return Card{}, phrasef(ErrInvalid, "card state %q: want active, lost or revoked", state)
	}
	var c Card
	err := e.change(a, "card.state", false, func(tx *auditTx) error {
		var err error
		if c, err = findCard(tx, code); err != nil {
			return err
		}
		c.State = state
		return tx.Put(KindCard, c.Code, c)
	})
	if err != nil {
		return Card{}, fmt.Errorf("set card %s %s: %w", code, state, err)
	}
	e.refreshPeople(c.Person)
	e.log.Info("card state set", "card", c.Code, "state", state, "by", a.String())
	return c, nil
}

// ReplaceCard marks card oldCode lost and enrols newCode for its holder,
// in one change: the new card is returned. Refused as EnrollCard refuses,
// and then the old card stays as it was. Needs cards.enroll. Audited as
// "card.replace".
func (e *Engine) ReplaceCard(a Actor, oldCode, newCode string) (Card, error) {
	if _, err := e.require(a, PermCardsEnroll, "replace cards"); err != nil {
		return Card{}, err
	}
	read, err := ParseCode(newCode)
	if err != nil {
		return Card{}, err
	}
	var old, c Card
	err = e.change(a, "card.replace", false, func(tx *auditTx) error {
		var err error
		if old, err = findCard(tx, oldCode); err != nil {
			return err
		}
		if read.String() == old.Code {
			return phrasef(ErrInvalid, "the new card is the old one")
		}
		old.State = CardLost
		if err := tx.Put(KindCard, old.Code, old); err != nil {
			return err
		}
		c, err = enroll(tx, old.Person, read)
		return err
	})
	if err != nil {
		return Card{}, fmt.Errorf("replace card %s: %w", oldCode, err)
	}
	e.refreshPeople(c.Person)
	e.log.Info("card replaced", "old", old.Code, "new", c.Code, "person", c.Person, "by", a.String())
	return c, nil
}

// DeskReader reports whether device id is a desk reader. It needs no
// permission: screens that wait for a tap at the desk tell desk events
// from door events with it.
func (e *Engine) DeskReader(id string) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	d, ok := e.cfg.devices[id]
	return ok && d.Desk && d.IsReader()
}

// ---- Self-view ----

// SelfViewMaxAge is how long after a desk tap its self-view may be read.
const SelfViewMaxAge = 2 * time.Minute

// SelfView is what a person sees at the desk after tapping their badge:
// their state, the doors they may open and how, and their hours this
// month (DESIGN §2.1).
type SelfView struct {
	Person Person
	// Department is the department's name.
	Department string
	// In is whether they are now inside (Site.Inside), ZoneName where
	// they are and Since since when (zero if never seen).
	In       bool
	ZoneName string
	Since    time.Time
	// Doors are the ways they may open doors now or later, by door name.
	Doors []DoorRight
	// From and To are the month's days counted, its first day to today;
	// Month sums the timesheet's minutes over them.
	From, To Date
	Month    Minutes
}

// DoorRight is one way a person may open one door: Via AccessViaMaster
// (every door, at any time), AccessViaLevel (Level's rule, during
// Schedule, "" for at any time) or AccessViaGrant (GrantKind with its
// bounds; UsesLeft is -1 for a grant without a use limit).
type DoorRight struct {
	Door      string
	Name      string
	Via       string
	Level     string
	Schedule  string
	GrantKind GrantKind
	From      time.Time
	Until     time.Time
	UsesLeft  int
}

// SelfView returns the self-view of the person whose desk tap is ev. It
// needs no permission: the badge tapped is the credential, and the view
// shows only its holder's own data. So ev must be in the log as recorded
// (same sequence, reader, card and person), be a desk check-in, check-out
// or already-checked-in, and be at most SelfViewMaxAge old; else the
// error wraps ErrForbidden. a must still be a valid actor.
func (e *Engine) SelfView(a Actor, ev Event) (SelfView, error) {
	if _, err := e.subject(a); err != nil {
		return SelfView{}, err
	}
	switch ev.Result {
	case CheckedIn, CheckedOut, AlreadyCheckedIn:
	default:
		return SelfView{}, phrasef(ErrForbidden, "no self-view: not a desk check-in or check-out")
	}
	if ev.Person == "" || !e.DeskReader(ev.Reader) {
		return SelfView{}, phrasef(ErrForbidden, "no self-view: not a desk tap")
	}
	now := e.now()
	if age := now.Sub(ev.At); age > SelfViewMaxAge || age < -SelfViewMaxAge {
		return SelfView{}, phrasef(ErrForbidden, "no self-view: the tap is too old")
	}
	e.mu.RLock()
	cfg, loc := e.cfg, e.loc
	e.mu.RUnlock()
	var v SelfView
	err := e.store.View(func(tx Tx) error {
		found := false
		err := tx.Events(EventQuery{Person: ev.Person, From: ev.At, To: ev.At.Add(time.Nanosecond)}, func(x Event) error {
			if x.Seq == ev.Seq && x.Reader == ev.Reader && x.Card == ev.Card && x.Result == ev.Result {
				found = true
				return errEnough
			}
			return nil
		})
		if err != nil && !errors.Is(err, errEnough) {
			return err
		}
		if !found {
			return phrasef(ErrForbidden, "no self-view: the tap is not in the log")
		}
		p, err := get[Person](tx, KindPerson, ev.Person)
		if err != nil {
			return err
		}
		v.Person = clonePerson(p)
		v.Department = cfg.departments[p.Department].Name
		if pr, err := tx.Presence(p.ID); err == nil {
			v.In, v.Since = cfg.site.Inside(pr.Zone), pr.Since
			v.ZoneName = cmp.Or(cfg.zones[pr.Zone].Name, pr.Zone)
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		v.Doors, err = doorRights(tx, cfg, p, now)
		return err
	})
	if err != nil {
		return SelfView{}, err
	}
	v.To = DateOf(now, loc)
	v.From = Date{Year: v.To.Year, Month: v.To.Month, Day: 1}
	ts, err := e.timesheet(TimesheetQuery{From: v.From, To: v.To, Person: ev.Person})
	if err != nil {
		return SelfView{}, err
	}
	for _, pt := range ts.People {
		v.Month = pt.Totals
	}
	return v, nil
}

// doorRights lists how p may open each door, by door name: master,
// then the rules of their access levels (their own, else their
// department's), then their grants still usable.
func doorRights(tx Tx, cfg *config, p Person, now time.Time) ([]DoorRight, error) {
	var out []DoorRight
	door := func(id string) (Door, bool) {
		d, ok := cfg.doors[id]
		return d, ok
	}
	err := cfg.standingAccess(AccessEntry{UsesLeft: -1}, p, func(id string, en AccessEntry) error {
		if d, ok := door(id); ok {
			out = append(out, DoorRight{Door: d.ID, Name: d.Name, Via: en.Via, Level: en.Level, Schedule: en.Schedule, UsesLeft: -1})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	grants, err := tx.GrantsFor(p.ID, "")
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		d, ok := door(g.Door)
		if !ok || !grantStillUsable(g, now) {
			continue
		}
		r := DoorRight{Door: d.ID, Name: d.Name, Via: AccessViaGrant, GrantKind: g.Kind, From: g.From, Until: g.Until, UsesLeft: -1}
		if g.Kind == GrantOnce {
			r.UsesLeft = g.UsesLeft()
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b DoorRight) int {
		return cmp.Or(strings.Compare(foldText(a.Name), foldText(b.Name)), strings.Compare(a.Door, b.Door))
	})
	return out, nil
}
