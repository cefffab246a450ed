package core

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// SiteFile is the JSON site description that import reads and export writes
// (DESIGN §3). Where the file's form of an object is the stored form, the
// core type is used directly (roles too); people, their cards and grants
// have file types because the file writes times in the site's zone and
// cards inline, and accounts because the file may give a password.
//
// Lists are in file order when read and in id order when exported. A nil
// Site keeps the stored settings.
type SiteFile struct {
	Site         *SiteSettings `json:"site,omitempty"`
	Zones        []Zone        `json:"zones,omitempty"`
	Schedules    []Schedule    `json:"schedules,omitempty"`
	Holidays     []Holiday     `json:"holidays,omitempty"`
	Shifts       []Shift       `json:"shifts,omitempty"`
	Doors        []Door        `json:"doors,omitempty"`
	Devices      []Device      `json:"devices,omitempty"`
	AccessLevels []AccessLevel `json:"access_levels,omitempty"`
	Departments  []Department  `json:"departments,omitempty"`
	People       []PersonFile  `json:"people,omitempty"`
	Grants       []GrantFile   `json:"grants,omitempty"`
	Roles        []Role        `json:"roles,omitempty"`
	Accounts     []AccountFile `json:"accounts,omitempty"`
}

// SiteSettings is the "site" object of a site file: the fields of Site,
// each optional. A nil field keeps the stored setting, so a file that
// says only {"name": "HQ"} renames the site and changes nothing else; an
// empty string gives the setting its default (Site.Defaults). Export sets
// every field but an empty desk_zone or phone_prefix.
type SiteSettings struct {
	Name        *string    `json:"name,omitempty"`
	Timezone    *string    `json:"timezone,omitempty"`
	DayCutoff   *TimeOfDay `json:"day_cutoff,omitempty"`
	DayStart    *TimeOfDay `json:"day_start,omitempty"`
	Noon        *TimeOfDay `json:"noon,omitempty"`
	DayEnd      *TimeOfDay `json:"day_end,omitempty"`
	LateGrace   *Duration  `json:"late_grace,omitempty"`
	Debounce    *Duration  `json:"debounce,omitempty"`
	DeskMode    *DeskMode  `json:"desk_mode,omitempty"`
	DeskZone    *string    `json:"desk_zone,omitempty"`
	OutsideZone *string    `json:"outside_zone,omitempty"`
	PhonePrefix *string    `json:"phone_prefix,omitempty"`
	Language    *string    `json:"language,omitempty"`
	// Federation joins the site to its company's hub; {} leaves it alone.
	Federation *FederationSettings `json:"federation,omitempty"`

	// The payroll rules (Payroll, docs/payroll.md), written by export
	// only when set. "0s" turns a duration off, "" the night hours, and
	// an overtime object without a threshold the policy.
	EarlyLeaveGrace   *Duration       `json:"early_leave_grace,omitempty"`
	Overtime          *OvertimePolicy `json:"overtime,omitempty"`
	HalfDayBelow      *Duration       `json:"half_day_below,omitempty"`
	AbsentBelow       *Duration       `json:"absent_below,omitempty"`
	AutoCheckoutAfter *Duration       `json:"auto_checkout_after,omitempty"`
	MaxPresence       *Duration       `json:"max_presence,omitempty"`
	Night             *NightHours     `json:"night,omitempty"`
	BalanceFrom       *Date           `json:"balance_from,omitempty"`
}

// PersonFile is a person in a site file: Person's fields, "active": false
// instead of Inactive, and the person's cards.
type PersonFile struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Phone        string   `json:"phone,omitempty"`
	Department   string   `json:"department,omitempty"`
	AccessLevels []string `json:"access_levels,omitempty"`
	Shift        string   `json:"shift,omitempty"`
	Master       bool     `json:"master,omitempty"`
	// PhoneCheckin nil (the key is absent) is the default of
	// Person.PhoneCheckin; export writes it only when it is set.
	PhoneCheckin *bool `json:"phone_checkin,omitempty"`
	// Active false makes the person inactive; nil or true is active.
	// Export writes it only for inactive people.
	Active *bool `json:"active,omitempty"`
	// Cards nil (the key is absent) leaves the person's stored cards
	// alone; non-nil, even empty, makes them exactly these. So an empty
	// list is written ("cards": []), and only nil is left out.
	Cards []CardFile `json:"cards,omitzero"`
	// Started and Left are Person's. Started left out keeps the stored
	// one, and for a new person is the day of the import; Left left out
	// is none.
	Started Date `json:"started,omitzero"`
	Left    Date `json:"left,omitzero"`
}

// CardFile is one of a person's cards in a site file. In JSON it is the
// code alone ("em:0102B0A5FD") when the card is active and unbounded, else
// an object {"code", "state", "from", "until"}. From is a time as
// ParseTime reads it, Until as ParseEnd reads it (a date alone is the end
// of that day), in the site's zone unless they carry an offset.
type CardFile struct {
	Code  string    `json:"code"`
	State CardState `json:"state,omitempty"` // "" is active
	From  string    `json:"from,omitempty"`
	Until string    `json:"until,omitempty"`
}

// cardObject is CardFile's object form, without its JSON methods.
type cardObject CardFile

// MarshalJSON writes the code alone when that says everything.
func (c CardFile) MarshalJSON() ([]byte, error) {
	if (c.State == "" || c.State == CardActive) && c.From == "" && c.Until == "" {
		return marshalPlain(c.Code)
	}
	if c.State == CardActive {
		c.State = ""
	}
	return marshalPlain(cardObject(c))
}

// UnmarshalJSON reads a code string or a card object; unknown keys are
// errors. ReadSiteFile does not use it (it names the key's path), but it
// lets a SiteFile go through encoding/json too.
func (c *CardFile) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*c = CardFile{Code: s}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var o cardObject
	if err := dec.Decode(&o); err != nil {
		return textErrorf("card: want a code or an object with code, state, from and until: %v", err)
	}
	*c = CardFile(o)
	return nil
}

// GrantFile is a grant in a site file. ID is optional on import (see
// ImportSite); From and Created are times as ParseTime reads them, Until
// as ParseEnd reads it (a date alone is the end of that day), in the
// site's zone unless they carry an offset. By is free text: who
// gave the grant.
type GrantFile struct {
	ID     string    `json:"id,omitempty"`
	Person string    `json:"person"`
	Door   string    `json:"door"`
	Kind   GrantKind `json:"kind"`
	From   string    `json:"from,omitempty"`
	Until  string    `json:"until,omitempty"`
	Uses   int       `json:"uses,omitempty"`
	// Used is how many uses a once grant has spent. It is the state of
	// the door, not of the file: left out, the stored count stays, so a
	// file imported again does not refill grants.
	Used    *int   `json:"used,omitempty"`
	By      string `json:"by,omitempty"`
	Created string `json:"created,omitempty"`
}

// AccountFile is a staff account in a site file. A new account needs
// Password or PasswordHash, not both; for a stored account, neither keeps
// its password (see ImportSite). Export writes PasswordHash, never
// Password, and leaves out the login state (failed logins, lockout).
type AccountFile struct {
	Username string   `json:"username"`
	Person   string   `json:"person,omitempty"`
	Roles    []string `json:"roles"`
	// Password is a plain password, hashed by the import. ReadSiteFile
	// never repeats it in an error, and no error of ImportSite shows it.
	Password *string `json:"password,omitempty" site:"secret"`
	// PasswordHash is an argon2id hash as HashPassword writes it.
	PasswordHash *string `json:"password_hash,omitempty"`
	// Enabled false disables the account; nil or true enables it. Export
	// writes it only for disabled accounts.
	Enabled *bool `json:"enabled,omitempty"`
}

// SiteFileError is a problem in a site file, at Path: JSON keys and 0-based
// indexes, "people[3].department" or "schedules[0].week.tue[1]" ("" for
// the file as a whole). Its text is "PATH: problem". It wraps ErrInvalid,
// or ErrConflict when the file contradicts the stored site (a card held by
// someone else).
// Code and Args are those of a FieldError: the rule broken and its
// values, for a screen that words the problem itself.
type SiteFileError struct {
	Path    string
	Problem string
	Code    string
	Args    map[string]string
	Err     error
}

// Error returns "PATH: problem", or the problem alone for the whole file.
func (e *SiteFileError) Error() string {
	if e.Path == "" {
		return e.Problem
	}
	return e.Path + ": " + e.Problem
}

// Unwrap returns ErrInvalid or ErrConflict.
func (e *SiteFileError) Unwrap() error { return e.Err }

// invalid returns a SiteFileError wrapping ErrInvalid.
func invalid(path, format string, args ...any) error {
	return &SiteFileError{Path: path, Problem: fmt.Sprintf(format, args...), Err: ErrInvalid}
}

// invalidAs is invalid with the problem's code and values (name, value
// pairs, see Problems) before its English text.
func invalidAs(path, code string, kv []string, format string, args ...any) error {
	return &SiteFileError{Path: path, Problem: fmt.Sprintf(format, args...), Code: code, Args: argsOf(kv...), Err: ErrInvalid}
}

// invalidFrom is err, a rule of the core broken, at path: its text
// without the leading "invalid: ", its code if it has one.
func invalidFrom(path string, err error) error {
	code, args := codeOf(err)
	return &SiteFileError{Path: path, Problem: invalidText(err), Code: code, Args: args, Err: ErrInvalid}
}

// vals is a problem's values as name, value pairs.
func vals(kv ...string) []string { return kv }

// ReadSiteFile decodes a site file strictly. Every error but one from r is
// a *SiteFileError wrapping ErrInvalid that names the JSON path at fault:
// an unknown key ("people[2].phon: unknown key"), a key given twice, a
// value of the wrong type ("zones[0].work: want true or false, got
// \"yes\""), text that is not a time, duration, date or week
// ("schedules[0].week.mon[0]: bad window ..."), or a syntax error with its
// line and column. A wrong value of a password is not repeated in its
// error. Values are only read here; ImportSite checks them against each
// other and the store.
func ReadSiteFile(r io.Reader) (*SiteFile, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read site file: %w", err)
	}
	d := &strictDecoder{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	d.dec.UseNumber()
	var f SiteFile
	tok, err := d.dec.Token()
	switch {
	case err == io.EOF:
		return nil, invalid("", "the site file is empty")
	case err != nil:
		return nil, d.syntax("", err)
	case tok != json.Delim('{'):
		return nil, invalid("", "a site file is a JSON object, got %s", describe(tok))
	}
	if err := d.object("", reflect.ValueOf(&f).Elem()); err != nil {
		return nil, err
	}
	if !utf8.Valid(data) {
		// Only text can hold such bytes, and token refuses it: this is
		// the last guard, not the rule.
		return nil, invalid("", "the file is not valid UTF-8 text: save it as UTF-8")
	}
	end := d.dec.InputOffset()
	if _, err := d.dec.Token(); err != io.EOF {
		for end < int64(len(data)) && strings.IndexByte(" \t\r\n", data[end]) >= 0 {
			end++
		}
		return nil, invalid("", "%s: unexpected data after the site object", d.position(end))
	}
	return &f, nil
}

// WriteSiteFile writes f as JSON indented by two spaces, with a trailing
// newline. Nothing is written when f cannot be encoded.
func WriteSiteFile(w io.Writer, f *SiteFile) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("write site file: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// marshalPlain encodes v without escaping <, > and &, as WriteSiteFile
// does, so that a card code reads the same inline and in an object.
func marshalPlain(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// strictDecoder reads JSON tokens into the site file's types by
// reflection, so that every error can name its path; encoding/json's
// DisallowUnknownFields names neither the path nor the index.
type strictDecoder struct {
	data []byte
	dec  *json.Decoder
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	cardFileType    = reflect.TypeFor[CardFile]()
	weekType        = reflect.TypeFor[Week]()
	durationType    = reflect.TypeFor[Duration]()
)

// value reads the next JSON value into v.
func (d *strictDecoder) value(path string, v reflect.Value) error {
	base := v.Type()
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if base != cardFileType && reflect.PointerTo(base).Implements(unmarshalerType) {
		return d.unmarshaler(path, v, base)
	}
	tok, err := d.token(path)
	if err != nil {
		return err
	}
	return d.valueFrom(path, v, tok)
}

// unmarshaler reads a value whose type parses its own text (times,
// durations, dates, weeks).
func (d *strictDecoder) unmarshaler(path string, v reflect.Value, base reflect.Type) error {
	start := d.dec.InputOffset()
	var raw json.RawMessage
	if err := d.dec.Decode(&raw); err != nil {
		return d.syntax(path, err)
	}
	if err := d.checkUTF8(path, start); err != nil {
		return err
	}
	if string(raw) == "null" {
		return nil
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	if err := v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
		if base == weekType {
			return weekError(path, err)
		}
		if code, args := codeOf(err); code != "" {
			return &SiteFileError{Path: path, Problem: err.Error(), Code: code, Args: args, Err: ErrInvalid}
		}
		if base == durationType && strings.HasPrefix(string(raw), `"-`) {
			return invalidAs(path, "negative", nil, "%s", err.Error())
		}
		return invalid(path, "%s", err.Error())
	}
	return nil
}

// valueFrom reads into v the value that starts with tok.
func (d *strictDecoder) valueFrom(path string, v reflect.Value, tok json.Token) error {
	if v.Type() == cardFileType {
		switch tok := tok.(type) {
		case string:
			v.Set(reflect.ValueOf(CardFile{Code: tok}))
			return nil
		case json.Delim:
			if tok == '{' {
				return d.object(path, v)
			}
		case nil:
			return nil
		}
		return invalid(path, "want a card code or an object, got %s", describe(tok))
	}
	if tok == nil {
		return nil // null leaves the zero value, as in encoding/json
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.valueFrom(path, v.Elem(), tok)
	case reflect.Struct:
		if tok != json.Delim('{') {
			return invalid(path, "want an object, got %s", describe(tok))
		}
		return d.object(path, v)
	case reflect.Slice:
		if tok != json.Delim('[') {
			return invalid(path, "want a list, got %s", describe(tok))
		}
		s := reflect.MakeSlice(v.Type(), 0, 0)
		for i := 0; d.dec.More(); i++ {
			s = reflect.Append(s, reflect.Zero(v.Type().Elem()))
			if err := d.value(fmt.Sprintf("%s[%d]", path, i), s.Index(i)); err != nil {
				return err
			}
		}
		if _, err := d.dec.Token(); err != nil {
			return d.syntax(path, err)
		}
		v.Set(s)
		return nil
	case reflect.String:
		s, ok := tok.(string)
		if !ok {
			return invalid(path, "want a string, got %s", describe(tok))
		}
		v.SetString(s)
		return nil
	case reflect.Bool:
		b, ok := tok.(bool)
		if !ok {
			return invalid(path, "want true or false, got %s", describe(tok))
		}
		v.SetBool(b)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return invalid(path, "want a whole number, got %s", describe(tok))
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil || v.OverflowInt(i) {
			return invalid(path, "want a whole number, got %s", n)
		}
		v.SetInt(i)
		return nil
	}
	// Only the site file's own types come here: a new kind of field is a
	// programming error, reported rather than panicking on a user's file.
	return fmt.Errorf("read site file: %s: cannot read a %s", path, v.Type())
}

// object reads the members of an object, whose '{' is read, into the
// struct v.
func (d *strictDecoder) object(path string, v reflect.Value) error {
	fields := jsonFields(v.Type())
	seen := make([]bool, v.NumField())
	for d.dec.More() {
		tok, err := d.token(path)
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		kp := key
		if path != "" {
			kp = path + "." + key
		}
		i, ok := fields[key]
		switch {
		case !ok:
			return invalid(kp, "unknown key")
		case seen[i]:
			return invalid(kp, "key given twice")
		}
		seen[i] = true
		read := d.value
		if v.Type().Field(i).Tag.Get("site") == "secret" {
			read = d.secret
		}
		if err := read(kp, v.Field(i)); err != nil {
			return err
		}
	}
	if _, err := d.dec.Token(); err != nil {
		return d.syntax(path, err)
	}
	return nil
}

// secret reads a string, or null, into the string or *string v. A value
// of another type is named by its type alone: it may be a password.
func (d *strictDecoder) secret(path string, v reflect.Value) error {
	tok, err := d.token(path)
	if err != nil {
		return err
	}
	s, ok := tok.(string)
	switch {
	case tok == nil:
		return nil
	case !ok:
		got := "a number"
		switch tok := tok.(type) {
		case bool:
			got = "true or false"
		case json.Delim:
			got = describe(tok)
		}
		return invalid(path, "want a string, got %s", got)
	}
	if v.Kind() == reflect.Pointer {
		v.Set(reflect.New(v.Type().Elem()))
		v = v.Elem()
	}
	v.SetString(s)
	return nil
}

// token reads the next token. Text that is not valid UTF-8 is refused
// here, naming its path: encoding/json would quietly replace its bytes
// with U+FFFD, and the import would store text nobody wrote.
func (d *strictDecoder) token(path string) (json.Token, error) {
	start := d.dec.InputOffset()
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.syntax(path, err)
	}
	if _, ok := tok.(string); ok {
		if err := d.checkUTF8(path, start); err != nil {
			return nil, err
		}
	}
	return tok, nil
}

// checkUTF8 refuses the input read since offset start when it is not
// valid UTF-8, with the position of the first bad byte.
func (d *strictDecoder) checkUTF8(path string, start int64) error {
	read := d.data[start:d.dec.InputOffset()]
	if utf8.Valid(read) {
		return nil
	}
	bad := start
	for len(read) > 0 {
		r, size := utf8.DecodeRune(read)
		if r == utf8.RuneError && size <= 1 {
			break
		}
		read, bad = read[size:], bad+int64(size)
	}
	return invalid(path, "is not valid UTF-8 text (%s): save the file as UTF-8", d.position(bad))
}

// syntax turns a decoder error into a SiteFileError with the line and
// column.
func (d *strictDecoder) syntax(path string, err error) error {
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return invalid(path, "%s: %s", d.position(se.Offset), se.Error())
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return invalid(path, "%s: the file ends too soon", d.position(int64(len(d.data))))
	}
	return invalid(path, "%v", err)
}

// position writes a byte offset as "line L, column C" (C counts bytes).
func (d *strictDecoder) position(off int64) string {
	off = min(max(off, 0), int64(len(d.data)))
	before := d.data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// describe names a JSON token for an error message.
func describe(tok json.Token) string {
	switch tok := tok.(type) {
	case nil:
		return "null"
	case string:
		if r := []rune(tok); len(r) > 40 {
			tok = string(r[:40]) + "..."
		}
		return strconv.Quote(tok)
	case json.Number:
		return "number " + string(tok)
	case bool:
		return strconv.FormatBool(tok)
	case json.Delim:
		if tok == '[' {
			return "a list"
		}
		return "an object"
	}
	return fmt.Sprint(tok)
}

// fieldCache maps a struct type to its JSON keys' field indexes.
var fieldCache sync.Map

// jsonFields returns the JSON keys of struct type t's fields.
func jsonFields(t reflect.Type) map[string]int {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]int)
	}
	m := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = i
	}
	fieldCache.Store(t, m)
	return m
}

// weekError puts the path of a week in front of a Week error, whose text
// starts "week.tue[1]: ..." or "week: ...".
func weekError(weekPath string, err error) error {
	msg := err.Error()
	code, args := codeOf(err)
	at := func(path, problem string) error {
		return &SiteFileError{Path: path, Problem: problem, Code: code, Args: args, Err: ErrInvalid}
	}
	rest, ok := strings.CutPrefix(msg, "week")
	if !ok {
		return at(weekPath, msg)
	}
	if sub, problem, ok := strings.Cut(rest, ": "); ok && (sub == "" || sub[0] == '.' || sub[0] == '[') {
		return at(weekPath+sub, problem)
	}
	return at(weekPath, msg)
}

// ImportSite applies a site file to the store, all or nothing: it checks
// the whole file against the union of what the file and the store hold
// before it writes anything, and returns every problem it finds, each a
// *SiteFileError ("people[3].department: no department \"salse\""), as
// Problems, in this order: the ids and names of every list, then the site
// settings, then each list in the file's order of keys (zones, schedules,
// ... grants, roles, accounts) and items. Site settings with a problem
// end the checks: the others need them. Passwords are hashed
// only once the whole file has passed.
// Writes may still fail in the store; the caller runs ImportSite in one
// Update, so any error rolls everything back and a bad file changes
// nothing.
//
// The rules:
//   - Ids are 1 to 64 ASCII letters, digits, '-', '_' and '.', unique per
//     kind within the file; zones, schedules, shifts, doors, access levels,
//     departments, people and roles need a name. Holidays are keyed by
//     their date, accounts by their username, which is an id too.
//   - An object whose id is stored is replaced wholly by the file's
//     version; stored objects the file does not mention stay. Nothing is
//     deleted but cards.
//   - The site settings are merged: keys the file gives replace the stored
//     ones (SiteSettings). Times, durations and windows are checked
//     (day_start < noon < day_end; 00:00 and 0s are refused where they
//     would read back as the default), the time zone must be an IANA name,
//     desk_zone a work zone, outside_zone a zone that is not a work zone
//     (or the default "outside", which needs no zone), phone_prefix "+"
//     and 1 to 3 digits. The merged settings are checked even when the
//     file has no "site", so that a file cannot, say, take the work flag
//     off the stored desk zone.
//   - References must name an object of the file or the store: door
//     from/to (two different zones) and owners (people), door relays
//     DEVICE:CHANNEL (a relay device; channel 1..8 on a usb-dcttech-relay,
//     from 1 on others; no two doors on one channel), reader doors, access
//     level rules' doors and schedules, departments' access level and
//     shift, people's department, access levels and shift, grants' person
//     and door. A file device that a stored door uses as its relay must
//     still be a usable relay.
//   - Devices: kinds from ReaderKinds and RelayKinds; a reader has a door
//     and a direction, or desk: true (which needs the site's desk_zone); serial kinds need a port, baud is one
//     of 1200 to 115200; usb-wedge needs vid and pid of 4 hex digits;
//     a usb-wedge or serial-wiegand format is one of ReadFormats; settings
//     that do not belong to the kind are errors. A reader that delivers a
//     width no reader delivered before (ReadWidths) is an ErrConflict when
//     stored cards of different people read the same at that width.
//   - Cards are canonicalised with ParseCode. When a person's "cards" key
//     is present (even empty) their cards become exactly those listed and
//     the others are deleted; when absent their cards are left alone. A
//     code listed twice in the file is an error; a code stored for another
//     person is an ErrConflict unless the file replaces that person's cards
//     too (then the card moves). So is a card whose code matches another
//     person's card (dec:0045131261 and em:0102B0A5FD are one physical
//     card), and one that a reader of the site, after the import, seeing
//     fewer bits than both cards reads the same as another person's card
//     (em:3C00423C15 and em:4B00423C15 on a wedge that types the low 32
//     bits); one person may hold the same card in several formats.
//   - People's started and left are dates, left not before started. A
//     person given no started keeps the stored one, and a new one starts
//     the day of the import when it runs in the engine (see setEmployment).
//   - Text (names, phone, port, serial, a grant's by) obeys CheckName.
//   - Times (card and grant from, until, created) are local to the site's
//     zone, the file's or else the stored one, unless they carry an offset.
//   - Grants: temporary needs until; once needs uses ≥ 1 and 0 ≤ used ≤
//     uses; permanent has no from or until; only once grants have uses and
//     used; from < until when both are given. A grant without id updates a
//     stored grant of the same person, door, kind, from and until that the
//     file does not otherwise name, else it gets a new id from NextID. A
//     grant whose created or used is absent keeps the stored grant's, so
//     importing a file again does not refill once grants.
//   - Roles: permissions are registered names (Permissions), each listed
//     once. The built-in roles are stored like any other, so a file may
//     edit them.
//   - Accounts: at least one role, each listed once; person optional;
//     enabled defaults to true. A new account needs password (which must
//     pass CheckPasswordRules) or password_hash (CheckPasswordHash), not
//     both. A stored account given neither keeps its password; given a
//     password it already has (or its own hash) keeps its hash too, so
//     importing a file again changes nothing. Failed logins and a
//     lockout are kept unless the password changes. No error shows a
//     password.
//
// Export writes ids, so export → import → export gives the same document,
// and importing a file twice changes nothing the second time.
func ImportSite(tx Tx, f *SiteFile) error {
	return importSite(tx, f, subject{all: true})
}

// importSite is ImportSite made by s: unless s may do everything, every
// object the import writes is checked against what changing it needs
// (guardedTx), so a file is refused, whole, for the first change s may
// not make.
func importSite(tx Tx, f *SiteFile, s subject) error {
	if f == nil {
		return nil
	}
	imp := &siteImport{
		tx:     tx,
		f:      f,
		index:  map[Kind]map[string]int{},
		stored: map[Kind]map[string]bool{},
		cards:  map[string][]Card{},
	}
	if at, ok := tx.(*auditTx); ok {
		// In the engine: the audited change's instant is when the people
		// it creates are added.
		imp.now = at.at
	}
	if !s.all {
		imp.tx = &guardedTx{Tx: tx, s: s, imp: imp}
	}
	if err := imp.check(); err != nil {
		return err
	}
	if err := imp.hashPasswords(); err != nil {
		return err
	}
	return imp.write()
}

// siteImport is one import: what check found, ready for write.
type siteImport struct {
	tx Tx
	f  *SiteFile

	site Site
	loc  *time.Location
	// now is when the import runs, for the Started of new people; zero
	// outside the engine.
	now time.Time
	// index gives the file index of every id, per kind.
	index map[Kind]map[string]int
	// stored caches whether the store has kind/id.
	stored map[Kind]map[string]bool
	// storedDoors are the stored doors the file does not replace, read
	// once when relays are checked.
	storedDoors []Door
	// readers are the widths the site's readers deliver after the import
	// (ReadWidths), and added those that no stored reader delivered
	// before, each with the file index of a device that brings it.
	readers widthReaders
	added   map[int]int
	// replaced holds the people whose cards the file lists.
	replaced map[string]bool

	people []Person
	// cards are the new cards of the people whose "cards" key is present.
	cards  map[string][]Card
	grants []Grant // ID "" for a new grant
	// accounts are the file's accounts, in file order; hashPasswords
	// completes those with a plain password.
	accounts []accountImport
	// problems are those the checks found so far (note).
	problems Problems
}

// accountImport is an account of the file as the import will store it.
type accountImport struct {
	acc Account
	// password is the file's plain password, "" when none is given.
	password string
	// old is the stored account, nil for a new one.
	old *Account
}

// check runs every check and returns every problem of the file
// (Problems), or the first error of the store. The checks after the site
// settings need them (the time zone, the desk zone): a file whose
// settings are wrong is not checked further.
func (imp *siteImport) check() error {
	steps := []func() error{
		imp.checkIDs, imp.checkSite, imp.checkSchedules, imp.checkShifts, imp.checkDoors,
		imp.checkDevices, imp.checkLevels, imp.checkDepartments, imp.checkPeople, imp.checkReaderWidths,
		imp.checkGrants, imp.checkRoles, imp.checkAccounts,
	}
	for i, step := range steps {
		before := len(imp.problems)
		if err := imp.note(step()); err != nil {
			return err
		}
		if i == 1 && len(imp.problems) > before {
			break
		}
	}
	return imp.problems.Err()
}

// note keeps err when it is a problem of the file, so that the checks go
// on and find the others, and returns nil; another error (the store's)
// it returns, to end the import.
func (imp *siteImport) note(err error) error {
	var fe *SiteFileError
	if err != nil && errors.As(err, &fe) {
		imp.problems = append(imp.problems, err)
		return nil
	}
	return err
}

// checkIDs checks ids and names, and indexes the file's ids.
func (imp *siteImport) checkIDs() error {
	f := imp.f
	// Devices have no name: their id is what the screens show.
	noName := func(int) string { return "-" }
	lists := []struct {
		kind Kind
		n    int
		id   func(i int) string
		name func(i int) string
	}{
		{KindZone, len(f.Zones), func(i int) string { return f.Zones[i].ID }, func(i int) string { return f.Zones[i].Name }},
		{KindSchedule, len(f.Schedules), func(i int) string { return f.Schedules[i].ID }, func(i int) string { return f.Schedules[i].Name }},
		{KindShift, len(f.Shifts), func(i int) string { return f.Shifts[i].ID }, func(i int) string { return f.Shifts[i].Name }},
		{KindDoor, len(f.Doors), func(i int) string { return f.Doors[i].ID }, func(i int) string { return f.Doors[i].Name }},
		{KindDevice, len(f.Devices), func(i int) string { return f.Devices[i].ID }, noName},
		{KindAccessLevel, len(f.AccessLevels), func(i int) string { return f.AccessLevels[i].ID }, func(i int) string { return f.AccessLevels[i].Name }},
		{KindDepartment, len(f.Departments), func(i int) string { return f.Departments[i].ID }, func(i int) string { return f.Departments[i].Name }},
		{KindPerson, len(f.People), func(i int) string { return f.People[i].ID }, func(i int) string { return f.People[i].Name }},
		{KindRole, len(f.Roles), func(i int) string { return f.Roles[i].ID }, func(i int) string { return f.Roles[i].Name }},
	}
	for _, l := range lists {
		m := make(map[string]int, l.n)
		for i := range l.n {
			id, name := l.id(i), l.name(i)
			p := fmt.Sprintf("%s[%d]", l.kind, i)
			if err := imp.note(checkID(p+".id", id)); err != nil {
				return err
			}
			if j, dup := m[id]; dup {
				imp.note(invalidAs(p+".id", "duplicate", vals("value", id), "duplicate id %q, also %s[%d]", id, l.kind, j))
			} else {
				m[id] = i
			}
			if strings.TrimSpace(name) == "" {
				imp.note(invalidAs(p+".name", "required", nil, "required"))
			} else if err := imp.note(textField(p+".name", name)); err != nil {
				return err
			}
		}
		imp.index[l.kind] = m
	}
	dates := make(map[Date]int, len(f.Holidays))
	for i, h := range f.Holidays {
		p := fmt.Sprintf("holidays[%d].date", i)
		if !h.Date.valid() {
			imp.note(invalidAs(p, "required", nil, "required"))
		} else if j, dup := dates[h.Date]; dup {
			imp.note(invalidAs(p, "duplicate", vals("value", h.Date.String()), "duplicate date %s, also holidays[%d]", h.Date, j))
		} else {
			dates[h.Date] = i
		}
		imp.note(textField(fmt.Sprintf("holidays[%d].name", i), h.Name))
	}
	grants := map[string]int{}
	for i, g := range f.Grants {
		if g.ID == "" {
			continue
		}
		p := fmt.Sprintf("grants[%d].id", i)
		if err := checkID(p, g.ID); err != nil {
			imp.note(err)
		} else if j, dup := grants[g.ID]; dup {
			imp.note(invalidAs(p, "duplicate", vals("value", g.ID), "duplicate id %q, also grants[%d]", g.ID, j))
		} else {
			grants[g.ID] = i
		}
	}
	imp.index[KindGrant] = grants
	users := make(map[string]int, len(f.Accounts))
	for i, a := range f.Accounts {
		p := fmt.Sprintf("accounts[%d].username", i)
		if err := checkID(p, a.Username); err != nil {
			imp.note(err)
		} else if j, dup := users[a.Username]; dup {
			imp.note(invalidAs(p, "duplicate", vals("value", a.Username), "duplicate username %q, also accounts[%d]", a.Username, j))
		} else {
			users[a.Username] = i
		}
	}
	imp.index[KindAccount] = users
	return nil
}

// textField applies the text rule (CheckName) to the field at path.
func textField(path, v string) error {
	if err := CheckName(v); err != nil {
		return invalidFrom(path, err)
	}
	return nil
}

// checkID checks the form of an id.
func checkID(path, id string) error {
	if id == "" {
		return invalidAs(path, "required", nil, "required")
	}
	ok := len(id) <= 64
	for i := 0; ok && i < len(id); i++ {
		c := id[i]
		ok = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.'
	}
	if !ok {
		return invalidAs(path, "bad_id", vals("value", id), "bad id %q: use 1 to 64 letters, digits, '-', '_' or '.'", id)
	}
	return nil
}

// exists reports whether kind/id is in the file or the store.
func (imp *siteImport) exists(kind Kind, id string) (bool, error) {
	if _, ok := imp.index[kind][id]; ok {
		return true, nil
	}
	cache := imp.stored[kind]
	if cache == nil {
		cache = map[string]bool{}
		imp.stored[kind] = cache
	}
	if ok, known := cache[id]; known {
		return ok, nil
	}
	err := imp.tx.Get(kind, id, newObject(kind))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return false, err
	}
	cache[id] = err == nil
	return err == nil, nil
}

// newObject returns a pointer to a new value of kind's type.
func newObject(kind Kind) any {
	switch kind {
	case KindZone:
		return new(Zone)
	case KindDoor:
		return new(Door)
	case KindDevice:
		return new(Device)
	case KindSchedule:
		return new(Schedule)
	case KindHoliday:
		return new(Holiday)
	case KindShift:
		return new(Shift)
	case KindAccessLevel:
		return new(AccessLevel)
	case KindDepartment:
		return new(Department)
	case KindPerson:
		return new(Person)
	case KindCard:
		return new(Card)
	case KindGrant:
		return new(Grant)
	case KindRole:
		return new(Role)
	case KindAccount:
		return new(Account)
	}
	panic("core: no type for kind " + string(kind))
}

// kindNoun names one object of a kind in messages.
var kindNoun = map[Kind]string{
	KindZone: "zone", KindDoor: "door", KindDevice: "device", KindSchedule: "schedule",
	KindShift: "shift", KindAccessLevel: "access level", KindDepartment: "department", KindPerson: "person",
	KindRole: "role", KindAccount: "account",
}

// ref checks that id names an object of kind in the file or the store.
func (imp *siteImport) ref(path string, kind Kind, id string) error {
	if id == "" {
		return invalidAs(path, "required", nil, "required")
	}
	ok, err := imp.exists(kind, id)
	if err != nil {
		return err
	}
	if !ok {
		return invalidAs(path, refCode(kind), vals("value", id), "no %s %q", kindNoun[kind], id)
	}
	return nil
}

// optRef is ref for an optional reference.
func (imp *siteImport) optRef(path string, kind Kind, id string) error {
	if id == "" {
		return nil
	}
	return imp.ref(path, kind, id)
}

// zone returns zone id as the import leaves it: the file's, else the
// stored one.
func (imp *siteImport) zone(id string) (Zone, bool, error) {
	if i, ok := imp.index[KindZone][id]; ok {
		return imp.f.Zones[i], true, nil
	}
	return lookup[Zone](imp.tx, KindZone, id)
}

// device returns device id as the import leaves it.
func (imp *siteImport) device(id string) (Device, bool, error) {
	if i, ok := imp.index[KindDevice][id]; ok {
		return imp.f.Devices[i], true, nil
	}
	return lookup[Device](imp.tx, KindDevice, id)
}

// siteOf returns the other site whose copy kind/id (a door or a device)
// is: as the import leaves it when inFile, else as stored; "" for this
// site's own or none.
func (imp *siteImport) siteOf(kind Kind, id string, inFile bool) (string, error) {
	if i, ok := imp.index[kind][id]; ok && inFile {
		switch kind {
		case KindDoor:
			return imp.f.Doors[i].Site, nil
		case KindDevice:
			return imp.f.Devices[i].Site, nil
		}
	}
	raw, ok, err := imp.tx.Raw(kind, id)
	if err != nil || !ok {
		return "", err
	}
	var of struct{ Site string }
	if err := json.Unmarshal(raw, &of); err != nil {
		return "", fmt.Errorf("read %s %q: %w", kind, id, err)
	}
	return of.Site, nil
}

// lookup is get with a missing object as ok == false.
func lookup[T any](tx Tx, kind Kind, id string) (T, bool, error) {
	v, err := get[T](tx, kind, id)
	if errors.Is(err, ErrNotFound) {
		return v, false, nil
	}
	return v, err == nil, err
}

func (imp *siteImport) checkSite() error {
	stored, err := imp.tx.Site()
	if err != nil {
		return err
	}
	site := stored
	s := imp.f.Site
	if s == nil {
		s = &SiteSettings{}
	}
	setString(&site.Name, s.Name)
	setString(&site.Timezone, s.Timezone)
	setString(&site.DeskZone, s.DeskZone)
	setString(&site.OutsideZone, s.OutsideZone)
	setString(&site.PhonePrefix, s.PhonePrefix)
	setString(&site.Language, s.Language)
	if s.DeskMode != nil {
		site.DeskMode = *s.DeskMode
	}
	imp.note(textField("site.name", site.Name))
	def := Site{}.Defaults()
	times := []struct {
		key  string
		give *TimeOfDay
		to   *TimeOfDay
		def  TimeOfDay
	}{
		{"day_cutoff", s.DayCutoff, &site.DayCutoff, def.DayCutoff},
		{"day_start", s.DayStart, &site.DayStart, def.DayStart},
		{"noon", s.Noon, &site.Noon, def.Noon},
		{"day_end", s.DayEnd, &site.DayEnd, def.DayEnd},
	}
	for _, t := range times {
		if t.give == nil {
			continue
		}
		switch v := *t.give; {
		case v == 0:
			imp.note(invalidAs("site."+t.key, "zero_default", vals("default", t.def.String()),
				"00:00 reads back as the default %s; give a later time", t.def))
			continue
		case v < 0 || v > minutesPerDay:
			imp.note(invalid("site."+t.key, "%s is out of range 00:00 to 24:00", v))
			continue
		}
		*t.to = *t.give
	}
	durations := []struct {
		key  string
		give *Duration
		to   *Duration
		def  Duration
	}{
		{"late_grace", s.LateGrace, &site.LateGrace, def.LateGrace},
		{"debounce", s.Debounce, &site.Debounce, def.Debounce},
	}
	for _, d := range durations {
		if d.give == nil {
			continue
		}
		switch v := *d.give; {
		case v == 0:
			imp.note(invalidAs("site."+d.key, "zero_default", vals("default", d.def.String()),
				"0s reads back as the default %s; give a positive duration", d.def))
			continue
		case v < 0:
			imp.note(invalidAs("site."+d.key, "negative", nil, "must not be negative"))
			continue
		}
		*d.to = *d.give
	}
	imp.checkPayroll(s, &site.Payroll)
	if s.Federation != nil {
		site.Federation = imp.checkFederation(*s.Federation)
	}
	site = site.Defaults()

	var loc *time.Location
	if site.Timezone == "Local" {
		imp.note(invalidAs("site.timezone", "bad_timezone", vals("value", site.Timezone), "%q is not an IANA time zone name", site.Timezone))
	} else if loc, err = time.LoadLocation(site.Timezone); err != nil {
		imp.note(invalidAs("site.timezone", "bad_timezone", vals("value", site.Timezone), "unknown time zone %q", site.Timezone))
	}
	if site.DeskMode != DeskToggle && site.DeskMode != DeskCheckinOnly {
		imp.note(invalidAs("site.desk_mode", "bad_choice", vals("value", string(site.DeskMode)), "%q: want toggle or checkin_only", site.DeskMode))
	}
	if site.Language != "" && !slices.Contains(Languages, site.Language) {
		return invalid("site.language", "%q: want en, fr or ru", site.Language)
	}
	if CheckPhonePrefix(site.PhonePrefix) != nil {
		imp.note(invalidAs("site.phone_prefix", "bad_phone_prefix", vals("value", site.PhonePrefix), "%q: want + and 1 to 3 digits, like +33", site.PhonePrefix))
	}
	if !(site.DayStart < site.Noon) {
		imp.note(invalidAs("site.noon", "not_after", vals("value", site.Noon.String(), "other", site.DayStart.String()),
			"%s is not after day_start %s", site.Noon, site.DayStart))
	}
	if !(site.Noon < site.DayEnd) {
		imp.note(invalidAs("site.day_end", "not_after", vals("value", site.DayEnd.String(), "other", site.Noon.String()),
			"%s is not after noon %s", site.DayEnd, site.Noon))
	}
	if site.DeskZone != "" {
		z, ok, err := imp.zone(site.DeskZone)
		switch {
		case err != nil:
			return err
		case !ok:
			imp.note(invalidAs("site.desk_zone", "no_zone", vals("value", site.DeskZone), "no zone %q", site.DeskZone))
		case !z.Work:
			imp.note(invalidAs("site.desk_zone", "not_work_zone", vals("value", site.DeskZone), "zone %q is not a work zone", site.DeskZone))
		}
	}
	z, ok, err := imp.zone(site.OutsideZone)
	switch {
	case err != nil:
		return err
	case !ok && site.OutsideZone != def.OutsideZone:
		imp.note(invalidAs("site.outside_zone", "no_zone", vals("value", site.OutsideZone), "no zone %q", site.OutsideZone))
	case ok && z.Work:
		imp.note(invalidAs("site.outside_zone", "work_zone", vals("value", site.OutsideZone), "zone %q is a work zone", site.OutsideZone))
	}
	imp.site, imp.loc = site, loc
	return nil
}

// checkFederation returns the federation settings f gives, nil for {}
// (the site alone), noting the values that make no sense.
func (imp *siteImport) checkFederation(f FederationSettings) *FederationSettings {
	if f == (FederationSettings{}) {
		return nil
	}
	if u, err := url.Parse(f.Hub); err != nil || u.Scheme != "nats" && u.Scheme != "tls" || u.Hostname() == "" || u.Port() == "" {
		imp.note(invalidAs("site.federation.hub", "bad_hub", vals("value", f.Hub), "%q: want nats://HOST:PORT", f.Hub))
	}
	imp.note(CheckSiteID("site.federation.site_id", f.SiteID))
	if f.CentralSite != "" {
		imp.note(CheckSiteID("site.federation.central_site", f.CentralSite))
	}
	if f.Central {
		f.CentralSite = f.SiteID
	}
	if strings.TrimSpace(f.Creds) == "" {
		imp.note(invalidAs("site.federation.creds", "required", nil, "required: the site's credentials file"))
	}
	return &f
}

// CheckSiteID checks a site's id among its company's sites: an id
// (checkID) without dots, which are the separators of the hub's subjects,
// and not "all", which names every site on the command line.
func CheckSiteID(path, id string) error {
	if checkID(path, id) != nil || strings.Contains(id, ".") || id == "all" {
		return invalidAs(path, "bad_site_id", vals("value", id), "bad site id %q: use 1 to 64 letters, digits, '-' or '_'", id)
	}
	return nil
}

// checkPayroll sets the payroll rules s gives into p, noting the values
// that make no sense: every duration but the thresholds' zero (which turns
// a rule off) must be positive, max_presence at least an hour,
// absent_below below half_day_below, the night hours a window of two
// different times, week_start a weekday.
func (imp *siteImport) checkPayroll(s *SiteSettings, p *Payroll) {
	durations := []struct {
		key  string
		give *Duration
		to   *Duration
	}{
		{"early_leave_grace", s.EarlyLeaveGrace, &p.EarlyLeaveGrace},
		{"half_day_below", s.HalfDayBelow, &p.HalfDayBelow},
		{"absent_below", s.AbsentBelow, &p.AbsentBelow},
		{"auto_checkout_after", s.AutoCheckoutAfter, &p.AutoCheckoutAfter},
		{"max_presence", s.MaxPresence, &p.MaxPresence},
	}
	for _, d := range durations {
		if d.give == nil {
			continue
		}
		if *d.give < 0 {
			imp.note(invalidAs("site."+d.key, "negative", nil, "must not be negative"))
			continue
		}
		*d.to = *d.give
	}
	if m := p.MaxPresence; m > 0 && m < Duration(time.Hour) {
		imp.note(invalidAs("site.max_presence", "too_short", vals("value", m.String(), "min", "1h"),
			"%s is shorter than 1h", m))
	}
	if p.AbsentBelow > 0 && p.HalfDayBelow > 0 && p.AbsentBelow >= p.HalfDayBelow {
		imp.note(invalidAs("site.absent_below", "not_below", vals("value", p.AbsentBelow.String(), "other", p.HalfDayBelow.String()),
			"%s is not below half_day_below %s", p.AbsentBelow, p.HalfDayBelow))
	}
	if o := s.Overtime; o != nil {
		p.Overtime = nil
		if *o != (OvertimePolicy{}) {
			p.Overtime = new(*o)
		}
		for _, d := range []struct {
			key string
			v   Duration
		}{{"daily_after", o.DailyAfter}, {"weekly_after", o.WeeklyAfter}} {
			if d.v < 0 {
				imp.note(invalidAs("site.overtime."+d.key, "negative", nil, "must not be negative"))
			}
		}
		if _, ok := weekStarts[o.WeekStart]; !ok {
			imp.note(invalidAs("site.overtime.week_start", "bad_choice", vals("value", o.WeekStart),
				"%q: want mon, tue, wed, thu, fri, sat or sun", o.WeekStart))
		}
		if o.DailyAfter == 0 && o.WeeklyAfter == 0 && o.WeekStart != "" {
			imp.note(invalidAs("site.overtime.weekly_after", "required", nil, "required with week_start"))
		}
	}
	if n := s.Night; n != nil {
		p.Night = nil
		switch {
		case *n == (NightHours{}):
		case n.From < 0 || n.From >= minutesPerDay || n.To < 0 || n.To > minutesPerDay || n.From == n.To:
			imp.note(invalidAs("site.night", "bad_window", vals("value", n.String()), "bad night hours %s", n))
		default:
			p.Night = new(*n)
		}
	}
	if s.BalanceFrom != nil {
		p.BalanceFrom = *s.BalanceFrom
	}
}

// autoBreakProblems are the problems of a shift's auto_breaks at path:
// each rule's after and deduct positive, the deduct shorter than its
// after, and both later than the previous rule's.
func autoBreakProblems(path string, rules []AutoBreak) []error {
	var out []error
	for i, r := range rules {
		p := fmt.Sprintf("%s[%d]", path, i)
		if r.After <= 0 {
			out = append(out, invalidAs(p+".after", "not_positive", nil, "must be longer than 0s"))
		}
		switch {
		case r.Deduct <= 0:
			out = append(out, invalidAs(p+".deduct", "not_positive", nil, "must be longer than 0s"))
		case r.Deduct >= r.After:
			out = append(out, invalidAs(p+".deduct", "not_below", vals("value", r.Deduct.String(), "other", r.After.String()),
				"%s is not below its after, %s", r.Deduct, r.After))
		}
		if i == 0 {
			continue
		}
		prev := rules[i-1]
		if r.After <= prev.After {
			out = append(out, invalidAs(p+".after", "not_after", vals("value", r.After.String(), "other", prev.After.String()),
				"%s is not after the previous rule's %s", r.After, prev.After))
		}
		if r.Deduct <= prev.Deduct {
			out = append(out, invalidAs(p+".deduct", "not_after", vals("value", r.Deduct.String(), "other", prev.Deduct.String()),
				"%s is not more than the previous rule's %s", r.Deduct, prev.Deduct))
		}
	}
	return out
}

// setString sets *dst to *src when src is given.
func setString(dst, src *string) {
	if src != nil {
		*dst = *src
	}
}

func (imp *siteImport) checkSchedules() error {
	for i, s := range imp.f.Schedules {
		p := fmt.Sprintf("schedules[%d]", i)
		switch s.Holidays {
		case "", HolidaysNormal, HolidaysClosed:
		default:
			imp.note(invalidAs(p+".holidays", "bad_choice", vals("value", string(s.Holidays)), "%q: want normal or closed", s.Holidays))
		}
		if err := s.Week.Validate(); err != nil {
			imp.note(weekError(p+".week", err))
		}
	}
	return nil
}

func (imp *siteImport) checkShifts() error {
	for i, s := range imp.f.Shifts {
		if err := s.Week.Validate(); err != nil {
			imp.note(weekError(fmt.Sprintf("shifts[%d].week", i), err))
		}
		for _, err := range autoBreakProblems(fmt.Sprintf("shifts[%d].auto_breaks", i), s.AutoBreaks) {
			imp.note(err)
		}
	}
	return nil
}

func (imp *siteImport) checkDoors() error {
	// relays maps each relay channel in use to its door, for the doors
	// that stay as stored and then those of the file.
	relays := map[string]string{}
	stored, err := imp.doorsKept()
	if err != nil {
		return err
	}
	for _, d := range stored {
		if d.Relay != "" {
			relays[relayKey(d.Relay)] = d.ID
		}
	}
	for i, d := range imp.f.Doors {
		p := fmt.Sprintf("doors[%d]", i)
		if err := imp.note(imp.ref(p+".from", KindZone, d.From)); err != nil {
			return err
		}
		if err := imp.note(imp.ref(p+".to", KindZone, d.To)); err != nil {
			return err
		}
		if d.To == d.From && d.To != "" {
			imp.note(invalidAs(p+".to", "same_zone", nil, "same zone as from"))
		}
		for j, o := range d.Owners {
			if err := imp.note(imp.ref(fmt.Sprintf("%s.owners[%d]", p, j), KindPerson, o)); err != nil {
				return err
			}
		}
		if d.Relay != "" {
			err := imp.checkRelay(p+".relay", d.Relay)
			key := relayKey(d.Relay)
			other, taken := relays[key]
			switch {
			case err != nil:
				if err := imp.note(err); err != nil {
					return err
				}
			case taken:
				imp.note(invalidAs(p+".relay", "relay_taken", vals("value", key, "door", other), "%s already opens door %q", key, other))
			default:
				relays[key] = d.ID
			}
		}
		if d.Pulse < 0 {
			imp.note(invalidAs(p+".pulse", "negative", nil, "must not be negative"))
		}
		switch d.Mode {
		case "", DoorNormal, DoorUnlocked, DoorLockdown:
		default:
			imp.note(invalidAs(p+".mode", "bad_choice", vals("value", string(d.Mode)), "%q: want normal, unlocked or lockdown", d.Mode))
		}
	}
	return nil
}

// doorsKept returns the stored doors that the file does not replace.
func (imp *siteImport) doorsKept() ([]Door, error) {
	if imp.storedDoors != nil {
		return imp.storedDoors, nil
	}
	doors, err := list[Door](imp.tx, KindDoor)
	if err != nil {
		return nil, err
	}
	kept := []Door{}
	for _, d := range doors {
		if _, inFile := imp.index[KindDoor][d.ID]; !inFile {
			kept = append(kept, d)
		}
	}
	imp.storedDoors = kept
	return kept, nil
}

// relayKey writes a checked DEVICE:CHANNEL without leading zeros.
func relayKey(relay string) string {
	dev, ch, _ := strings.Cut(relay, ":")
	n, _ := strconv.Atoi(ch)
	return dev + ":" + strconv.Itoa(n)
}

// checkRelay checks a door's relay, DEVICE:CHANNEL.
func (imp *siteImport) checkRelay(path, relay string) error {
	dev, ch, ok := strings.Cut(relay, ":")
	if !ok || dev == "" || ch == "" || len(ch) > 3 || !isDigits(ch) {
		return invalidAs(path, "bad_relay", vals("value", relay), "%q: want DEVICE:CHANNEL, such as relay1:1", relay)
	}
	n, _ := strconv.Atoi(ch)
	d, found, err := imp.device(dev)
	switch {
	case err != nil:
		return err
	case !found:
		return invalidAs(path, "no_device", vals("value", dev), "no device %q", dev)
	case d.Site != "":
		return invalidAs(path, "other_site_device", vals("value", dev, "site", d.Site), "device %q is site %s's: it switches that site's doors, not this one's", dev, d.Site)
	case !d.IsRelay():
		return invalidAs(path, "not_relay", vals("value", dev), "device %q is not a relay", dev)
	case n < 1:
		return invalidAs(path, "bad_channel", vals("value", strconv.Itoa(n), "max", ""), "channel %d: channels start at 1", n)
	case d.Kind == "usb-dcttech-relay" && n > 8:
		return invalidAs(path, "bad_channel", vals("value", strconv.Itoa(n), "max", "8"), "channel %d is out of range 1..8 of usb-dcttech-relay %q", n, dev)
	}
	return nil
}

// bauds are the serial speeds a device may be given.
var bauds = []int{1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200}

func (imp *siteImport) checkDevices() error {
	var kinds []string
	for _, k := range slices.Concat(ReaderKinds, RelayKinds) {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for i, d := range imp.f.Devices {
		p := fmt.Sprintf("devices[%d]", i)
		reader, relay := contains(ReaderKinds, d.Kind), contains(RelayKinds, d.Kind)
		switch {
		case d.Kind == "":
			imp.note(invalidAs(p+".kind", "required", nil, "required"))
			continue
		case !reader && !relay:
			imp.note(invalidAs(p+".kind", "bad_choice", vals("value", d.Kind), "unknown kind %q: want one of %s", d.Kind, strings.Join(kinds, ", ")))
			continue
		case d.Site != "":
			// Another site's copy, as an export writes it: how it is
			// plugged in is that site's, and it has no port here.
			if d.Door != "" {
				if err := imp.note(imp.ref(p+".door", KindDoor, d.Door)); err != nil {
					return err
				}
			}
			continue
		}
		switch {
		case d.Door != "" && d.Desk:
			imp.note(invalidAs(p+".desk", "door_and_desk", nil, "a reader has a door or desk: true, not both"))
		case d.Door != "" && !reader:
			imp.note(invalidAs(p+".door", "relay_door", vals("kind", d.Kind), "a %s is a relay and has no door", d.Kind))
		case d.Desk && !reader:
			imp.note(invalidAs(p+".desk", "relay_desk", vals("kind", d.Kind), "a %s is a relay and cannot be the desk reader", d.Kind))
		case d.Desk && imp.site.DeskZone == "":
			imp.note(invalidAs(p+".desk", "desk_zone_unset", nil, "a desk reader needs site.desk_zone: the work zone a desk check-in puts people in"))
		case d.Door != "":
			if err := imp.note(imp.ref(p+".door", KindDoor, d.Door)); err != nil {
				return err
			}
			// Another site's door is decided there, by its own readers:
			// none of this site's may serve it. A device whose id is
			// another site's is refused when written, naming both.
			if taken, err := imp.siteOf(KindDevice, d.ID, false); err != nil {
				return err
			} else if site, err := imp.siteOf(KindDoor, d.Door, true); err != nil {
				return err
			} else if site != "" && taken == "" {
				imp.note(invalidAs(p+".door", "other_site_door", vals("value", d.Door, "site", site), "door %q is site %s's: only that site's readers serve it", d.Door, site))
			}
			if d.Direction == "" {
				imp.note(invalidAs(p+".direction", "required", nil, "required: in or out"))
			} else if d.Direction != In && d.Direction != Out {
				imp.note(invalidAs(p+".direction", "bad_choice", vals("value", string(d.Direction)), "%q: want in or out", d.Direction))
			}
		case d.Direction != "":
			imp.note(invalidAs(p+".direction", "direction_no_door", nil, "a direction needs a door"))
		case !d.Desk && !relay:
			imp.note(invalidAs(p, "reader_unplaced", vals("kind", d.Kind), "a %s reader needs a door and a direction, or desk: true", d.Kind))
		}
		imp.note(checkDeviceSettings(p, d))
		imp.note(textField(p+".port", d.Port))
		imp.note(textField(p+".serial", d.Serial))
	}
	// A device the file changes may be the relay of a door it does not.
	doors, err := imp.doorsKept()
	if err != nil {
		return err
	}
	for _, door := range doors {
		dev, _, _ := strings.Cut(door.Relay, ":")
		i, inFile := imp.index[KindDevice][dev]
		if door.Relay == "" || !inFile {
			continue
		}
		if err := imp.checkRelay("", door.Relay); err != nil {
			var fe *SiteFileError
			if errors.As(err, &fe) {
				return invalid(fmt.Sprintf("devices[%d]", i), "door %q uses it as relay %s: %s", door.ID, door.Relay, fe.Problem)
			}
			return err
		}
	}
	return imp.readerWidths()
}

// readerWidths works out the widths the site's readers deliver before
// and after the import, for the card checks.
func (imp *siteImport) readerWidths() error {
	stored, err := list[Device](imp.tx, KindDevice)
	if err != nil {
		return err
	}
	before := readersByWidth(stored)
	after := slices.Clone(imp.f.Devices)
	for _, d := range stored {
		if _, inFile := imp.index[KindDevice][d.ID]; !inFile {
			after = append(after, d)
		}
	}
	imp.readers = readersByWidth(after)
	imp.added = map[int]int{}
	for r, ds := range imp.readers {
		if _, ok := before[r]; ok {
			continue
		}
		imp.added[r] = imp.index[KindDevice][ds[0].ID]
	}
	return nil
}

// checkReaderWidths refuses a reader that would make stored cards of
// different people read the same: a width no reader delivered before,
// narrower than two cards that agree on that many low bits. The file's
// own cards were checked at every width in checkPeople; so were the
// stored cards of the people whose cards the file lists.
func (imp *siteImport) checkReaderWidths() error {
	if len(imp.added) == 0 {
		return nil
	}
	added := widthReaders{}
	for r := range imp.added {
		added[r] = imp.readers[r]
	}
	pairs, err := ambiguousPairs(imp.tx, added, false, func(c Card) bool { return imp.replaced[c.Person] })
	if err != nil || len(pairs) == 0 {
		return err
	}
	// Name the narrowest width of the first pair, and a device of the
	// file that brings it.
	r := pairs[0].Widths[0]
	i := imp.added[r]
	var list []string
	for _, p := range pairs {
		list = append(list, fmt.Sprintf("%s of %q and %s of %q", p.Cards[0].Code, p.Cards[0].Person, p.Cards[1].Code, p.Cards[1].Person))
	}
	return &SiteFileError{Path: fmt.Sprintf("devices[%d]", i), Err: ErrConflict, Problem: fmt.Sprintf(
		"%s, which sees only the low %d bits, could not tell apart cards of different people: %s",
		readerLabel(imp.f.Devices[i]), r, joinAnd(list))}
}

// checkDeviceSettings checks the settings that depend on a device's kind.
func checkDeviceSettings(p string, d Device) error {
	serial := strings.HasPrefix(d.Kind, "serial-")
	settings := []struct {
		key     string
		given   bool
		belongs bool
	}{
		{"port", d.Port != "", serial},
		{"baud", d.Baud != 0, serial},
		{"vid", d.VID != "", d.Kind == "usb-wedge"},
		{"pid", d.PID != "", d.Kind == "usb-wedge"},
		{"serial", d.Serial != "", d.Kind == "usb-dcttech-relay"},
		{"address", d.Address != 0, d.Kind == "serial-modbus-relay"},
		{"first_coil", d.FirstCoil != 0, d.Kind == "serial-modbus-relay"},
		{"bits", d.Bits != 0, d.Kind == "serial-wiegand"},
		{"format", d.Format != "", ReadFormats(d.Kind, d.Bits) != nil},
	}
	for _, s := range settings {
		if s.given && !s.belongs {
			return invalidAs(p+"."+s.key, "not_of_kind", vals("kind", d.Kind, "setting", s.key), "a %s has no %s", d.Kind, s.key)
		}
	}
	switch {
	case serial && d.Port == "":
		return invalidAs(p+".port", "required", nil, "required for a %s", d.Kind)
	case d.Baud != 0 && !contains(bauds, d.Baud):
		return invalidAs(p+".baud", "bad_baud", vals("value", strconv.Itoa(d.Baud)), "%d: want 1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200", d.Baud)
	case d.Address < 0 || d.Address > 247:
		return invalidAs(p+".address", "bad_address", vals("value", strconv.Itoa(d.Address)), "%d: want a Modbus address 1 to 247", d.Address)
	case d.FirstCoil < 0:
		return invalidAs(p+".first_coil", "negative", nil, "must not be negative")
	case d.Bits != 0 && d.Bits != 26 && d.Bits != 34:
		return invalidAs(p+".bits", "bad_bits", vals("value", strconv.Itoa(d.Bits)), "%d: want 26 or 34", d.Bits)
	}
	if err := checkReadFormat(d); err != nil {
		return invalid(p+".format", "%s", err.Error())
	}
	if d.Kind == "usb-wedge" {
		for _, id := range []struct{ key, v string }{{"vid", d.VID}, {"pid", d.PID}} {
			if len(id.v) != 4 || !isHex(id.v) {
				return invalidAs(p+"."+id.key, "bad_usb_id", vals("value", id.v), "%q: want 4 hex digits, such as 0035", id.v)
			}
		}
	}
	return nil
}

func (imp *siteImport) checkLevels() error {
	for i, l := range imp.f.AccessLevels {
		for j, r := range l.Rules {
			p := fmt.Sprintf("access_levels[%d].rules[%d]", i, j)
			if len(r.Doors) == 0 {
				imp.note(invalidAs(p+".doors", "required", nil, "required: at least one door"))
			}
			for k, d := range r.Doors {
				if err := imp.note(imp.ref(fmt.Sprintf("%s.doors[%d]", p, k), KindDoor, d)); err != nil {
					return err
				}
			}
			if err := imp.note(imp.optRef(p+".schedule", KindSchedule, r.Schedule)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (imp *siteImport) checkDepartments() error {
	for i, d := range imp.f.Departments {
		p := fmt.Sprintf("departments[%d]", i)
		if err := imp.note(imp.optRef(p+".access_level", KindAccessLevel, d.AccessLevel)); err != nil {
			return err
		}
		if err := imp.note(imp.optRef(p+".shift", KindShift, d.Shift)); err != nil {
			return err
		}
	}
	return nil
}

func (imp *siteImport) checkPeople() error {
	// replaced holds the people whose cards the file lists: a stored card
	// of theirs may move to someone else.
	replaced := map[string]bool{}
	for _, pf := range imp.f.People {
		if pf.Cards != nil {
			replaced[pf.ID] = true
		}
	}
	imp.replaced = replaced
	listed := map[string]string{}      // card code → path of its listing
	filed := map[string][]listedCard{} // index key → the file's cards filed under it
	imp.people = make([]Person, 0, len(imp.f.People))
	for i, pf := range imp.f.People {
		p := fmt.Sprintf("people[%d]", i)
		imp.note(textField(p+".phone", pf.Phone))
		if err := imp.note(imp.optRef(p+".department", KindDepartment, pf.Department)); err != nil {
			return err
		}
		for j, l := range pf.AccessLevels {
			if err := imp.note(imp.ref(fmt.Sprintf("%s.access_levels[%d]", p, j), KindAccessLevel, l)); err != nil {
				return err
			}
		}
		if err := imp.note(imp.optRef(p+".shift", KindShift, pf.Shift)); err != nil {
			return err
		}
		imp.people = append(imp.people, Person{
			ID: pf.ID, Name: pf.Name, Phone: pf.Phone, Department: pf.Department,
			AccessLevels: pf.AccessLevels, Shift: pf.Shift, Master: pf.Master,
			PhoneCheckin: clonePtr(pf.PhoneCheckin), Inactive: pf.Active != nil && !*pf.Active,
		})
		if err := imp.note(imp.setEmployment(p, &imp.people[len(imp.people)-1], pf)); err != nil {
			return err
		}
		if pf.Cards == nil {
			continue
		}
		cards := make([]Card, 0, len(pf.Cards))
		for j, cf := range pf.Cards {
			c, err := imp.card(fmt.Sprintf("%s.cards[%d]", p, j), pf.ID, cf, listed, filed, replaced)
			if err != nil {
				if err := imp.note(err); err != nil {
					return err
				}
				continue
			}
			cards = append(cards, c)
		}
		imp.cards[pf.ID] = cards
	}
	return nil
}

// setEmployment sets the Started and Left of person p, listed at path,
// from the file: Started left out keeps the stored one, and for a new
// person is the day the import runs (in the engine: ImportSite on a bare
// transaction has no clock, and leaves it zero). Left must not be before
// Started.
func (imp *siteImport) setEmployment(path string, p *Person, pf PersonFile) error {
	p.Started, p.Left = pf.Started, pf.Left
	defaulted := false
	if p.Started == (Date{}) {
		old, stored, err := lookup[Person](imp.tx, KindPerson, p.ID)
		switch {
		case err != nil:
			return err
		case stored:
			p.Started = old.Started
		case !imp.now.IsZero():
			p.Started, defaulted = DateOf(imp.now, imp.loc), true
		}
	}
	if err := checkEmployment(*p); err != nil {
		kv := vals("value", p.Left.String(), "other", p.Started.String())
		if defaulted {
			return invalidAs(path+".left", "left_before_started", kv, "%s is before %s, the day the person is added: give started too", p.Left, p.Started)
		}
		return invalidAs(path+".left", "left_before_started", kv, "%s is before started %s", p.Left, p.Started)
	}
	return nil
}

// listedCard is a card of the file, for the same-card check.
type listedCard struct {
	code         Code
	person, path string
}

// card checks one card of person listed at path. Besides exact duplicates
// it refuses a card that a reader could not tell from another person's
// card: one whose code matches it (em:0102B0A5FD and dec:0045131261 are
// one physical card), or one that reads the same at the width of a reader
// of the site narrower than both (findClash). Such a badge would be
// refused as ambiguous at every reader that cannot tell them apart.
func (imp *siteImport) card(path, person string, cf CardFile, listed map[string]string, filed map[string][]listedCard, replaced map[string]bool) (Card, error) {
	code, err := ParseCode(cf.Code)
	if err != nil {
		return Card{}, invalid(path, "%s", err.Error())
	}
	c := Card{Code: code.String(), Person: person, State: cf.State}
	switch c.State {
	case "":
		c.State = CardActive
	case CardActive, CardLost, CardRevoked:
	default:
		return Card{}, invalid(path+".state", "%q: want active, lost or revoked", c.State)
	}
	if c.From, c.Until, err = imp.bounds(path, cf.From, cf.Until); err != nil {
		return Card{}, err
	}
	if prev, dup := listed[c.Code]; dup {
		return Card{}, invalid(path, "card %s is listed twice, also %s", c.Code, prev)
	}
	listed[c.Code] = path
	held, ok, err := lookup[Card](imp.tx, KindCard, c.Code)
	if err != nil {
		return Card{}, err
	}
	if ok && held.Person != person && !replaced[held.Person] {
		return Card{}, &SiteFileError{Path: path, Err: ErrConflict,
			Problem: fmt.Sprintf("card %s already belongs to %q", c.Code, held.Person)}
	}
	// The cards a read matches: the file's cards listed so far, and the
	// stored cards that stay with their holder.
	match := func(read Code) ([]Card, error) {
		var out []Card
		for _, k := range read.LookupKeys() {
			for _, l := range filed[k] {
				if l.code.Matches(read) {
					out = append(out, Card{Code: l.code.String(), Person: l.person})
				}
			}
		}
		stored, err := imp.tx.CardsMatching(read)
		for _, h := range stored {
			if !replaced[h.Person] {
				out = append(out, h)
			}
		}
		return out, err
	}
	clash, found, err := findClash(code, person, imp.readers, match)
	if err != nil {
		return Card{}, err
	}
	if found {
		return Card{}, &SiteFileError{Path: path, Err: ErrConflict,
			Problem: clash.problem(c.Code, strconv.Quote(person), strconv.Quote(clash.other.Person))}
	}
	for _, k := range code.IndexKeys() {
		filed[k] = append(filed[k], listedCard{code: code, person: person, path: path})
	}
	return c, nil
}

// bounds reads a from–until pair at path; from must be before until when
// both are given. A date alone as until is the end of that day (ParseEnd).
func (imp *siteImport) bounds(path, from, until string) (f, u time.Time, err error) {
	if f, err = imp.time(path+".from", from); err != nil {
		return
	}
	if u, err = imp.end(path+".until", until); err != nil {
		return
	}
	if !f.IsZero() && !u.IsZero() && !f.Before(u) {
		err = invalidAs(path+".until", "not_after", vals("value", until, "other", from), "%s is not after from %s", until, from)
	}
	return
}

// time reads a time of the file, "" as zero.
func (imp *siteImport) time(path, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := ParseTime(s, imp.loc)
	if err != nil {
		return time.Time{}, invalidAs(path, "bad_time", vals("value", s), "%s", err.Error())
	}
	return t, nil
}

// end reads the end of a period of the file, "" as zero.
func (imp *siteImport) end(path, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := ParseEnd(s, imp.loc)
	if err != nil {
		return time.Time{}, invalidAs(path, "bad_time", vals("value", s), "%s", err.Error())
	}
	return t, nil
}

func (imp *siteImport) checkGrants() error {
	// claimed holds the stored grants the file names or has matched, so
	// that two grants of the file never update the same stored one.
	claimed := map[string]bool{}
	for id := range imp.index[KindGrant] {
		claimed[id] = true
	}
	imp.grants = make([]Grant, 0, len(imp.f.Grants))
	for i, gf := range imp.f.Grants {
		p := fmt.Sprintf("grants[%d]", i)
		g, err := imp.grant(p, gf)
		if err != nil {
			return err
		}
		if g.Kind == "" {
			continue // refused: the problems are noted
		}
		if g.ID == "" {
			stored, err := imp.tx.GrantsFor(g.Person, g.Door)
			if err != nil {
				return err
			}
			for _, s := range stored {
				if !claimed[s.ID] && s.Kind == g.Kind && s.From.Equal(g.From) && s.Until.Equal(g.Until) {
					claimed[s.ID] = true
					g.ID = s.ID
					break
				}
			}
		}
		if g.ID != "" && (g.Created.IsZero() || gf.Used == nil) {
			old, _, err := lookup[Grant](imp.tx, KindGrant, g.ID)
			if err != nil {
				return err
			}
			if g.Created.IsZero() {
				g.Created = old.Created
			}
			if gf.Used == nil && g.Kind == GrantOnce {
				g.Used = min(old.Used, g.Uses)
			}
		}
		imp.grants = append(imp.grants, g)
	}
	return nil
}

// grant checks one grant at path and notes its problems; a grant with
// problems comes back without a kind. The error is the store's.
func (imp *siteImport) grant(p string, gf GrantFile) (Grant, error) {
	g := Grant{ID: gf.ID, Person: gf.Person, Door: gf.Door, Kind: gf.Kind, Uses: gf.Uses, By: gf.By}
	if gf.Used != nil {
		g.Used = *gf.Used
	}
	before := len(imp.problems)
	if err := imp.note(imp.ref(p+".person", KindPerson, g.Person)); err != nil {
		return g, err
	}
	if err := imp.note(imp.ref(p+".door", KindDoor, g.Door)); err != nil {
		return g, err
	}
	imp.note(textField(p+".by", g.By))
	var err error
	if g.From, g.Until, err = imp.bounds(p, gf.From, gf.Until); err != nil {
		imp.note(err)
	}
	if g.Created, err = imp.time(p+".created", gf.Created); err != nil {
		imp.note(err)
	}
	switch g.Kind {
	case GrantPermanent:
		if gf.From != "" {
			imp.note(invalidAs(p+".from", "permanent_bounds", nil, "a permanent grant has no from"))
		}
		if gf.Until != "" {
			imp.note(invalidAs(p+".until", "permanent_bounds", nil, "a permanent grant has no until"))
		}
	case GrantTemporary:
		if gf.Until == "" {
			imp.note(invalidAs(p+".until", "required", nil, "required for a temporary grant"))
		}
	case GrantOnce:
		if g.Uses < 1 {
			imp.note(invalidAs(p+".uses", "once_uses", nil, "a once grant needs at least 1 use"))
		}
		if g.Used < 0 {
			imp.note(invalidAs(p+".used", "negative", nil, "must not be negative"))
		}
		if g.Used > g.Uses {
			imp.note(invalidAs(p+".used", "used_over_uses", vals("value", strconv.Itoa(g.Used), "uses", strconv.Itoa(g.Uses)), "%d is more than uses %d", g.Used, g.Uses))
		}
	case "":
		imp.note(invalidAs(p+".kind", "required", nil, "required: permanent, temporary or once"))
	default:
		imp.note(invalidAs(p+".kind", "bad_choice", vals("value", string(g.Kind)), "%q: want permanent, temporary or once", g.Kind))
	}
	if g.Kind != GrantOnce {
		if g.Uses != 0 {
			imp.note(invalidAs(p+".uses", "uses_not_once", nil, "only a once grant has uses"))
		}
		if g.Used != 0 {
			imp.note(invalidAs(p+".used", "uses_not_once", nil, "only a once grant has used"))
		}
	}
	if len(imp.problems) > before {
		g.Kind = ""
	}
	return g, nil
}

// checkRoles checks the roles' permissions; checkIDs checked their ids
// and names.
func (imp *siteImport) checkRoles() error {
	for i, r := range imp.f.Roles {
		listed := make(map[Permission]int, len(r.Permissions))
		for j, perm := range r.Permissions {
			p := fmt.Sprintf("roles[%d].permissions[%d]", i, j)
			if !KnownPermission(perm) {
				imp.note(invalidAs(p, "bad_choice", vals("value", string(perm)), "unknown permission %q", perm))
				continue
			}
			if k, dup := listed[perm]; dup {
				imp.note(invalidAs(p, "duplicate", vals("value", string(perm)), "permission %q is listed twice, also roles[%d].permissions[%d]", perm, i, k))
				continue
			}
			listed[perm] = j
		}
	}
	return nil
}

// roles returns the file's roles as they are stored: no permissions is
// an empty list.
func (imp *siteImport) roles() []Role {
	out := slices.Clone(imp.f.Roles)
	for i := range out {
		if out[i].Permissions == nil {
			out[i].Permissions = []Permission{}
		}
	}
	return out
}

// checkAccounts checks the accounts' person, roles and password, and
// prepares them for hashPasswords and write.
func (imp *siteImport) checkAccounts() error {
	imp.accounts = make([]accountImport, 0, len(imp.f.Accounts))
	for i, af := range imp.f.Accounts {
		p := fmt.Sprintf("accounts[%d]", i)
		before := len(imp.problems)
		if err := imp.note(imp.optRef(p+".person", KindPerson, af.Person)); err != nil {
			return err
		}
		if len(af.Roles) == 0 {
			imp.note(invalidAs(p+".roles", "required", nil, "required: at least one role"))
		}
		listed := make(map[string]int, len(af.Roles))
		for j, r := range af.Roles {
			rp := fmt.Sprintf("%s.roles[%d]", p, j)
			if err := imp.note(imp.ref(rp, KindRole, r)); err != nil {
				return err
			}
			if k, dup := listed[r]; dup {
				imp.note(invalidAs(rp, "duplicate", vals("value", r), "role %q is listed twice, also %s.roles[%d]", r, p, k))
			}
			listed[r] = j
		}
		old, stored, err := lookup[Account](imp.tx, KindAccount, af.Username)
		if err != nil {
			return err
		}
		a := accountImport{acc: Account{
			Username: af.Username, Person: af.Person, Roles: slices.Clone(af.Roles),
			Disabled: af.Enabled != nil && !*af.Enabled,
		}}
		if stored {
			a.old = &old
		}
		// The password is never part of a message: CheckPasswordRules
		// only counts its characters.
		switch {
		case af.Password != nil && af.PasswordHash != nil:
			imp.note(invalid(p+".password_hash", "an account has password or password_hash, not both"))
		case af.Password != nil:
			if err := CheckPasswordRules(*af.Password); err != nil {
				imp.note(invalidFrom(p+".password", err))
			}
			a.password = *af.Password
		case af.PasswordHash != nil:
			if err := CheckPasswordHash(*af.PasswordHash); err != nil {
				imp.note(invalidFrom(p+".password_hash", err))
			}
			a.acc.PasswordHash = *af.PasswordHash
		case !stored:
			imp.note(invalidAs(p+".password", "required", nil, "required for a new account, unless password_hash is given"))
		default:
			a.acc.PasswordHash = old.PasswordHash
		}
		if len(imp.problems) == before {
			imp.accounts = append(imp.accounts, a)
		}
	}
	return nil
}

// invalidText returns the text of an error of the core without the ErrInvalid
// that a SiteFileError wraps anyway.
func invalidText(err error) string {
	return strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": ")
}

// hashPasswords completes the accounts, once every check has passed:
// HashPassword takes tens of milliseconds, so it runs for several accounts
// at once, and never for a file that is refused. A plain password that
// is already the stored one keeps the stored hash, so that importing a
// file again changes nothing. An account whose password changes starts
// with no failed logins and no lockout; the others keep theirs.
func (imp *siteImport) hashPasswords() error {
	var todo []int
	for i, a := range imp.accounts {
		if a.password != "" {
			todo = append(todo, i)
		}
	}
	errs := make([]error, len(imp.accounts))
	Spread(len(todo), func(k int) {
		i := todo[k]
		a := &imp.accounts[i]
		if a.old != nil && PasswordMatches(a.old.PasswordHash, a.password) {
			a.acc.PasswordHash = a.old.PasswordHash
			return
		}
		a.acc.PasswordHash, errs[i] = HashPassword(a.password)
	})
	for i := range imp.accounts {
		a := &imp.accounts[i]
		a.password = ""
		if errs[i] != nil {
			return fmt.Errorf("account %s: %w", a.acc.Username, errs[i])
		}
		if a.old != nil && a.acc.PasswordHash == a.old.PasswordHash {
			a.acc.FailedLogins, a.acc.LockedUntil = a.old.FailedLogins, a.old.LockedUntil
		}
	}
	return nil
}

// write stores what check found valid.
func (imp *siteImport) write() error {
	tx, f := imp.tx, imp.f
	if f.Site != nil {
		if err := tx.PutSite(imp.site); err != nil {
			return err
		}
	}
	steps := []func() error{
		func() error { return putAll(tx, KindZone, f.Zones, func(v Zone) string { return v.ID }) },
		func() error { return putAll(tx, KindSchedule, f.Schedules, func(v Schedule) string { return v.ID }) },
		func() error {
			return putAll(tx, KindHoliday, f.Holidays, func(v Holiday) string { return v.Date.String() })
		},
		func() error { return putAll(tx, KindShift, f.Shifts, func(v Shift) string { return v.ID }) },
		func() error { return putAll(tx, KindDoor, f.Doors, func(v Door) string { return v.ID }) },
		func() error { return putAll(tx, KindDevice, f.Devices, func(v Device) string { return v.ID }) },
		func() error {
			return putAll(tx, KindAccessLevel, f.AccessLevels, func(v AccessLevel) string { return v.ID })
		},
		func() error {
			return putAll(tx, KindDepartment, f.Departments, func(v Department) string { return v.ID })
		},
		func() error { return putAll(tx, KindPerson, imp.people, func(v Person) string { return v.ID }) },
		imp.writeCards,
		imp.writeGrants,
		func() error { return putAll(tx, KindRole, imp.roles(), func(v Role) string { return v.ID }) },
		func() error {
			accounts := make([]Account, len(imp.accounts))
			for i, a := range imp.accounts {
				accounts[i] = a.acc
			}
			return putAll(tx, KindAccount, accounts, func(v Account) string { return v.Username })
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// putAll stores objs under the ids key gives, in id order: a big import is
// one bbolt transaction, where inserting in key order is much cheaper
// than at random.
func putAll[T any](tx Tx, kind Kind, objs []T, key func(T) string) error {
	sorted := slices.Clone(objs)
	slices.SortFunc(sorted, func(a, b T) int { return strings.Compare(key(a), key(b)) })
	for _, v := range sorted {
		if err := tx.Put(kind, key(v), v); err != nil {
			return err
		}
	}
	return nil
}

// writeCards deletes every card the file takes from its holder before it
// stores the new ones, so that a card can move between two people of the
// file.
func (imp *siteImport) writeCards() error {
	keep := map[string]bool{}
	for _, cards := range imp.cards {
		for _, c := range cards {
			keep[c.Code+"\x00"+c.Person] = true
		}
	}
	for _, pf := range imp.f.People {
		if pf.Cards == nil {
			continue
		}
		old, err := imp.tx.CardsOf(pf.ID)
		if err != nil {
			return err
		}
		for _, c := range old {
			if !keep[c.Code+"\x00"+pf.ID] {
				if err := imp.tx.Delete(KindCard, c.Code); err != nil {
					return err
				}
			}
		}
	}
	var all []Card
	for _, cards := range imp.cards {
		all = append(all, cards...)
	}
	return putAll(imp.tx, KindCard, all, func(c Card) string { return c.Code })
}

// writeGrants stores the grants with an id first, so that NextID, which
// returns ids unused in the store, skips them; then it gives the others
// new ids.
func (imp *siteImport) writeGrants() error {
	for _, g := range imp.grants {
		if g.ID != "" {
			if err := imp.tx.Put(KindGrant, g.ID, g); err != nil {
				return err
			}
		}
	}
	for _, g := range imp.grants {
		if g.ID != "" {
			continue
		}
		id, err := imp.tx.NextID(KindGrant)
		if err != nil {
			return err
		}
		g.ID = id
		if err := imp.tx.Put(KindGrant, g.ID, g); err != nil {
			return err
		}
	}
	return nil
}

// ExportSite returns the whole stored site as a site file: every setting,
// every list in id order (grants as "grant list" orders them, g2 before
// g10), people with their cards in code order, times in the site's zone
// as FormatLocal writes them, every role (the built-in ones too) and
// every account with its password hash, but not its failed logins or
// lockout. ImportSite reads it back to the same state.
func ExportSite(tx Tx) (*SiteFile, error) {
	site, err := tx.Site()
	if err != nil {
		return nil, err
	}
	loc, err := site.Location()
	if err != nil {
		return nil, err
	}
	f := &SiteFile{Site: settingsOf(site)}
	if f.Zones, err = list[Zone](tx, KindZone); err != nil {
		return nil, err
	}
	if f.Schedules, err = list[Schedule](tx, KindSchedule); err != nil {
		return nil, err
	}
	if f.Holidays, err = list[Holiday](tx, KindHoliday); err != nil {
		return nil, err
	}
	if f.Shifts, err = list[Shift](tx, KindShift); err != nil {
		return nil, err
	}
	if f.Doors, err = list[Door](tx, KindDoor); err != nil {
		return nil, err
	}
	if f.Devices, err = list[Device](tx, KindDevice); err != nil {
		return nil, err
	}
	if f.AccessLevels, err = list[AccessLevel](tx, KindAccessLevel); err != nil {
		return nil, err
	}
	for i := range f.AccessLevels {
		if f.AccessLevels[i].Rules == nil {
			f.AccessLevels[i].Rules = []Rule{} // "rules": [], not null
		}
	}
	if f.Departments, err = list[Department](tx, KindDepartment); err != nil {
		return nil, err
	}
	local := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return FormatLocal(t, loc)
	}
	cards := map[string][]CardFile{}
	err = tx.List(KindCard, func(_ string, decode func(any) error) error {
		var c Card
		if err := decode(&c); err != nil {
			return err
		}
		state := c.State
		if state == CardActive {
			state = ""
		}
		cards[c.Person] = append(cards[c.Person], CardFile{Code: c.Code, State: state, From: local(c.From), Until: local(c.Until)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	people, err := list[Person](tx, KindPerson)
	if err != nil {
		return nil, err
	}
	// People stored before Started existed are written with the first day
	// the engine gives them, so that a copy of the site counts the same.
	legacy := map[string]bool{}
	for _, p := range people {
		if p.Started == (Date{}) {
			legacy[p.ID] = true
		}
	}
	starts, err := legacyStarts(tx, loc, legacy)
	if err != nil {
		return nil, err
	}
	for _, p := range people {
		pf := PersonFile{
			ID: p.ID, Name: p.Name, Phone: p.Phone, Department: p.Department,
			AccessLevels: p.AccessLevels, Shift: p.Shift, Master: p.Master,
			PhoneCheckin: clonePtr(p.PhoneCheckin), Cards: cards[p.ID],
			Started: cmp.Or(p.Started, starts[p.ID]), Left: p.Left,
		}
		if p.Inactive {
			pf.Active = new(false)
		}
		f.People = append(f.People, pf)
	}
	grants, err := list[Grant](tx, KindGrant)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(grants, func(i, j int) bool { return grantIDLess(grants[i].ID, grants[j].ID) })
	for _, g := range grants {
		f.Grants = append(f.Grants, GrantFile{
			ID: g.ID, Person: g.Person, Door: g.Door, Kind: g.Kind,
			From: local(g.From), Until: local(g.Until), Uses: g.Uses, Used: usedPtr(g.Used),
			By: g.By, Created: local(g.Created),
		})
	}
	if f.Roles, err = list[Role](tx, KindRole); err != nil {
		return nil, err
	}
	for i := range f.Roles {
		if f.Roles[i].Permissions == nil {
			f.Roles[i].Permissions = []Permission{} // "permissions": [], not null
		}
	}
	accounts, err := list[Account](tx, KindAccount)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		af := AccountFile{Username: a.Username, Person: a.Person, Roles: a.Roles}
		if af.Roles == nil {
			af.Roles = []string{}
		}
		if a.Disabled {
			af.Enabled = new(false)
		}
		if a.PasswordHash != "" {
			af.PasswordHash = new(a.PasswordHash)
		}
		f.Accounts = append(f.Accounts, af)
	}
	return f, nil
}

// settingsOf writes every setting of site, Defaults applied.
func settingsOf(site Site) *SiteSettings {
	s := &SiteSettings{
		Name: new(site.Name), Timezone: new(site.Timezone),
		DayCutoff: new(site.DayCutoff), DayStart: new(site.DayStart), Noon: new(site.Noon), DayEnd: new(site.DayEnd),
		LateGrace: new(site.LateGrace), Debounce: new(site.Debounce),
		DeskMode: new(site.DeskMode), OutsideZone: new(site.OutsideZone),
	}
	if site.DeskZone != "" {
		s.DeskZone = new(site.DeskZone)
	}
	if site.PhonePrefix != "" {
		s.PhonePrefix = new(site.PhonePrefix)
	}
	if site.Language != "" {
		s.Language = new(site.Language)
	}
	s.Federation = clonePtr(site.Federation)
	p := site.Payroll
	s.EarlyLeaveGrace = setDuration(p.EarlyLeaveGrace)
	s.HalfDayBelow, s.AbsentBelow = setDuration(p.HalfDayBelow), setDuration(p.AbsentBelow)
	s.AutoCheckoutAfter, s.MaxPresence = setDuration(p.AutoCheckoutAfter), setDuration(p.MaxPresence)
	s.Overtime, s.Night = clonePtr(p.Overtime), clonePtr(p.Night)
	if p.BalanceFrom != (Date{}) {
		s.BalanceFrom = new(p.BalanceFrom)
	}
	return s
}

// setDuration writes a payroll duration when it is set.
func setDuration(d Duration) *Duration {
	if d == 0 {
		return nil
	}
	return &d
}

// clonePtr returns a pointer to a copy of *p, or nil: an imported person
// shares nothing with the file it came from.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	return new(*p)
}

// usedPtr writes a once grant's spent uses when there are any.
func usedPtr(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}
