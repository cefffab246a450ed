package core

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a people CSV file: an HR list of a large site is well under
// both, and a file over them is more likely a mistake than a site.
const (
	MaxPeopleCSVBytes = 64 << 20
	MaxPeopleCSVRows  = 200_000
)

// The columns of a people CSV file (see ReadPeopleCSV).
const (
	ColumnID           = "id"
	ColumnName         = "name"
	ColumnPhone        = "phone"
	ColumnDepartment   = "department"
	ColumnAccessLevels = "access_levels"
	ColumnShift        = "shift"
	ColumnCards        = "cards"
	ColumnActive       = "active"
	ColumnPhoneCheckin = "phone_checkin"
	ColumnMaster       = "master"
	ColumnStarted      = "started"
	ColumnLeft         = "left"
)

// peopleColumns are the known columns, in the order changes are listed.
var peopleColumns = []string{
	ColumnID, ColumnName, ColumnPhone, ColumnDepartment, ColumnAccessLevels,
	ColumnShift, ColumnActive, ColumnPhoneCheckin, ColumnMaster, ColumnStarted, ColumnLeft, ColumnCards,
}

// columnSynonyms are other names HR exports give the known columns.
var columnSynonyms = map[string]string{
	"card":         ColumnCards,
	"mobile":       ColumnPhone,
	"dept":         ColumnDepartment,
	"access_level": ColumnAccessLevels,
	"start":        ColumnStarted,
	"start_date":   ColumnStarted,
	"started_on":   ColumnStarted,
	"hired":        ColumnStarted,
	"hire_date":    ColumnStarted,
	"joined":       ColumnStarted,
	"end":          ColumnLeft,
	"end_date":     ColumnLeft,
	"left_on":      ColumnLeft,
	"leaving_date": ColumnLeft,
	"exit_date":    ColumnLeft,
}

// PeopleCSV is a people list read by ReadPeopleCSV, ready for
// Engine.ImportPeople.
type PeopleCSV struct {
	// Columns are the known columns the file has, by their names above,
	// in the file's order. A column the file lacks leaves that field of
	// stored people alone.
	Columns []string
	// Ignored are the header names of the columns that are not known, as
	// the file writes them, each once; "column 7" for one without a name.
	Ignored []string
	// Rows are the people, in file order.
	Rows []PeopleRow

	// written maps a known column to its name as the header writes it,
	// for error messages.
	written map[string]string
}

// PeopleRow is one person of a people CSV file. A text field of a column
// the file lacks is "", as is an empty cell: Engine.ImportPeople tells
// them apart by PeopleCSV.Has.
type PeopleRow struct {
	// Line is the line of the file the row starts on; the header is on
	// line 1 (unless blank lines come first).
	Line int `json:"line"`

	ID           string   `json:"id"`
	Name         string   `json:"name,omitempty"`
	Phone        string   `json:"phone,omitempty"`
	Department   string   `json:"department,omitempty"`
	AccessLevels []string `json:"access_levels,omitempty"`
	Shift        string   `json:"shift,omitempty"`
	// Cards are canonical codes (Code.String), each once.
	Cards []string `json:"cards,omitempty"`
	// Active, PhoneCheckin and Master are nil for an empty cell or an
	// absent column: the stored value stays.
	Active       *bool `json:"active,omitempty"`
	PhoneCheckin *bool `json:"phone_checkin,omitempty"`
	Master       *bool `json:"master,omitempty"`
	// Started and Left are zero for an empty cell or an absent column.
	// An empty started cell keeps the stored date (a new person starts
	// the day of the import); an empty left cell clears it.
	Started Date `json:"started,omitzero"`
	Left    Date `json:"left,omitzero"`
}

// peopleCSVJSON is a PeopleCSV in JSON (the API service sends it): its
// fields, and the header's name of each known column, which the import's
// errors use.
type peopleCSVJSON struct {
	Columns []string          `json:"columns"`
	Ignored []string          `json:"ignored,omitempty"`
	Rows    []PeopleRow       `json:"rows"`
	Headers map[string]string `json:"headers,omitempty"`
}

// MarshalJSON writes the file with the header's names of its columns:
// without them an import's errors would name the columns otherwise than
// the file does.
func (f PeopleCSV) MarshalJSON() ([]byte, error) {
	return json.Marshal(peopleCSVJSON{Columns: f.Columns, Ignored: f.Ignored, Rows: f.Rows, Headers: f.written})
}

// UnmarshalJSON reads what MarshalJSON writes; unknown keys are errors.
func (f *PeopleCSV) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var w peopleCSVJSON
	if err := dec.Decode(&w); err != nil {
		return err
	}
	*f = PeopleCSV{Columns: w.Columns, Ignored: w.Ignored, Rows: w.Rows, written: w.Headers}
	return nil
}

// Has reports whether the file has the known column col.
func (f *PeopleCSV) Has(col string) bool { return slices.Contains(f.Columns, col) }

// columnName returns col as the file's header writes it.
func (f *PeopleCSV) columnName(col string) string {
	if w, ok := f.written[col]; ok {
		return w
	}
	return col
}

// CSVError is a problem in a people CSV file, at a line and, when it is
// about one cell, a column (as the header names it). Its text is
// `line 7, column "cards": problem`. It wraps ErrInvalid, or ErrConflict
// when the file contradicts the stored site (a card held by someone
// else).
type CSVError struct {
	Line    int
	Column  string
	Problem string
	// Err is ErrInvalid or ErrConflict; nil means ErrInvalid.
	Err error
}

// Error returns "line L, column "C": problem", without the parts that are
// not known.
func (e *CSVError) Error() string {
	switch {
	case e.Line == 0:
		return e.Problem
	case e.Column == "":
		return fmt.Sprintf("line %d: %s", e.Line, e.Problem)
	}
	return fmt.Sprintf("line %d, column %q: %s", e.Line, e.Column, e.Problem)
}

// Unwrap returns ErrInvalid or ErrConflict.
func (e *CSVError) Unwrap() error {
	if e.Err == nil {
		return ErrInvalid
	}
	return e.Err
}

// csvErrorf returns a CSVError wrapping ErrInvalid.
func csvErrorf(line int, column, format string, args ...any) error {
	return &CSVError{Line: line, Column: column, Problem: fmt.Sprintf(format, args...)}
}

// utf8BOM starts the files some spreadsheets write as "CSV UTF-8".
var utf8BOM = []byte("\xEF\xBB\xBF")

// ReadPeopleCSV reads an HR list of people: UTF-8 text, with or without a
// byte order mark, fields separated by ';' or ',' (whichever the header
// line has outside quotes; the one that gives more fields when it has
// both; ',' when it has neither), quoted as encoding/csv reads them.
//
// The first line is a header naming the columns, matched without regard
// to case, surrounding spaces, or ' ' and '-' for '_': id (required),
// name, phone (or mobile), department (or dept), access_levels (several
// separated by '|'), shift, cards (or card: codes separated by '|', or
// by spaces when the cell has no '|'), active, phone_checkin and master
// (yes, no, true, false, 1 or 0; empty leaves the stored value), started
// (or start, start_date, started_on, hired, hire_date, joined) and left
// (or end, end_date, left_on, leaving_date, exit_date), dates
// YYYY-MM-DD (an empty started keeps the stored date, an empty left
// clears it). Other
// columns are ignored and listed in Ignored; a column without a name only
// when a row has something in it, as "column 7". Cells are trimmed; blank
// lines and rows whose cells are all empty are skipped.
//
// Every error but one from r is a *CSVError wrapping ErrInvalid that names
// the line and, for one cell, the column: a column named twice, no id
// column, text that is not UTF-8, a row with more or fewer fields than the
// header, a quote out of place, an empty id, an id or a card on two
// lines, a bad yes/no value or card code, a control character in a text
// cell, a file over MaxPeopleCSVBytes or MaxPeopleCSVRows. Values are only
// read here; Engine.ImportPeople checks them against the store.
func ReadPeopleCSV(r io.Reader) (*PeopleCSV, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPeopleCSVBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read people file: %w", err)
	}
	if len(data) > MaxPeopleCSVBytes {
		return nil, csvErrorf(0, "", "the file is over %d MiB: split it", MaxPeopleCSVBytes>>20)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = csvDelimiter(data)
	cr.FieldsPerRecord = -1 // checked here, to say which line and how
	cr.ReuseRecord = true
	p := &peopleReader{cr: cr, f: &PeopleCSV{written: map[string]string{}}, ids: map[string]int{}, cards: map[string]int{}}
	if err := p.header(); err != nil {
		return nil, err
	}
	if err := p.rows(); err != nil {
		return nil, err
	}
	return p.f, nil
}

// csvDelimiter chooses ';' or ',' from the header line of data, the
// first line that is not blank, as for encoding/csv.
func csvDelimiter(data []byte) rune {
	semi, comma := 0, 0
	quoted := false
	for _, c := range bytes.TrimLeft(data, "\r\n") {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			return pickDelimiter(semi, comma)
		case c == ';':
			semi++
		case c == ',':
			comma++
		}
	}
	return pickDelimiter(semi, comma)
}

// pickDelimiter returns ';' when the header has more of them than commas:
// n separators make n+1 fields.
func pickDelimiter(semi, comma int) rune {
	if semi > comma {
		return ';'
	}
	return ','
}

// peopleReader is one reading of a people CSV file.
type peopleReader struct {
	cr *csv.Reader
	f  *PeopleCSV
	// cols maps each field index to its known column, "" for an ignored
	// one; width is the header's number of fields.
	cols  []string
	width int
	// names are the header's names, trimmed, by field index.
	names []string
	// nameless are the indexes of the columns without a name; filled,
	// those a row has something in.
	nameless, filled []int
	// ids and cards give the line of each id and card code seen.
	ids, cards map[string]int
}

// read returns the next record and the line it starts on; io.EOF at the
// end.
func (p *peopleReader) read() ([]string, int, error) {
	rec, err := p.cr.Read()
	if err == io.EOF {
		return nil, 0, err
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, 0, csvErrorf(pe.Line, "", "%v (at byte %d of the line): a field with quotes or separators must be in double quotes, with its quotes doubled",
				pe.Err, pe.Column)
		}
		return nil, 0, fmt.Errorf("read people file: %w", err)
	}
	line, _ := p.cr.FieldPos(0)
	return rec, line, nil
}

// header reads the header line and maps its columns.
func (p *peopleReader) header() error {
	rec, line, err := p.read()
	if err == io.EOF {
		return csvErrorf(0, "", "the file is empty: want a header line naming the columns, one of them id")
	}
	if err != nil {
		return err
	}
	p.width = len(rec)
	p.cols = make([]string, len(rec))
	p.names = make([]string, len(rec))
	seen := map[string]int{}     // known column → its field index
	ignored := map[string]bool{} // ignored names already listed
	for i, h := range rec {
		if !utf8.ValidString(h) {
			return csvErrorf(line, fmt.Sprintf("field %d", i+1), "the header is not UTF-8 text: save the file as CSV UTF-8")
		}
		written := strings.TrimSpace(h)
		p.names[i] = written
		col := normalColumn(written)
		switch {
		case written == "":
			// Spreadsheets write empty columns after the last one: such
			// a column is reported only if a row has something in it.
			p.nameless = append(p.nameless, i)
			continue
		case !slices.Contains(peopleColumns, col):
			if !ignored[written] {
				ignored[written] = true
				p.f.Ignored = append(p.f.Ignored, written)
			}
			continue
		}
		if j, dup := seen[col]; dup {
			return csvErrorf(line, written, "names the same column as %q (field %d): a column may be given once", p.names[j], j+1)
		}
		seen[col] = i
		p.cols[i] = col
		p.f.Columns = append(p.f.Columns, col)
		p.f.written[col] = written
	}
	if _, ok := seen[ColumnID]; !ok {
		return csvErrorf(line, "", "no id column: the header must name one (id, name, phone, department, access_levels, shift, cards, active, phone_checkin, master, started, left)")
	}
	return nil
}

// underscores spells "Phone Checkin" and "access-levels" as the columns.
var underscores = strings.NewReplacer(" ", "_", "-", "_")

// normalColumn returns the known column a header name stands for, or the
// name lowered when it is not known.
func normalColumn(h string) string {
	h = underscores.Replace(strings.ToLower(h))
	if col, ok := columnSynonyms[h]; ok {
		return col
	}
	return h
}

// rows reads the rows after the header.
func (p *peopleReader) rows() error {
	for {
		rec, line, err := p.read()
		if err == io.EOF {
			for _, i := range p.filled {
				p.f.Ignored = append(p.f.Ignored, fmt.Sprintf("column %d", i+1))
			}
			return nil
		}
		if err != nil {
			return err
		}
		if blankRecord(rec) {
			continue
		}
		if len(p.f.Rows) == MaxPeopleCSVRows {
			return csvErrorf(line, "", "more than %d people: split the file", MaxPeopleCSVRows)
		}
		if len(rec) != p.width {
			return csvErrorf(line, "", "%d fields, want %d as in the header (is a field with a separator not quoted?)", len(rec), p.width)
		}
		row, err := p.row(rec, line)
		if err != nil {
			return err
		}
		p.f.Rows = append(p.f.Rows, row)
		for _, i := range p.nameless {
			if strings.TrimSpace(rec[i]) != "" && !slices.Contains(p.filled, i) {
				p.filled = append(p.filled, i)
			}
		}
	}
}

// blankRecord reports whether every field of rec is blank, as in the
// trailing rows spreadsheets write.
func blankRecord(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// row reads one record that starts on line.
func (p *peopleReader) row(rec []string, line int) (PeopleRow, error) {
	row := PeopleRow{Line: line}
	for i, raw := range rec {
		col := p.cols[i]
		if !utf8.ValidString(raw) {
			return row, p.cellError(i, line, col, "not UTF-8 text: save the file as CSV UTF-8")
		}
		if col == "" {
			continue
		}
		if err := p.cell(&row, col, strings.TrimSpace(raw)); err != nil {
			return row, p.cellError(i, line, col, "%s", err.Error())
		}
	}
	if row.ID == "" {
		return row, csvErrorf(line, p.f.columnName(ColumnID), "required: every row needs an id")
	}
	if prev, dup := p.ids[row.ID]; dup {
		return row, csvErrorf(line, p.f.columnName(ColumnID), "id %q is also on line %d", row.ID, prev)
	}
	p.ids[row.ID] = line
	for _, c := range row.Cards {
		if prev, dup := p.cards[c]; dup {
			return row, csvErrorf(line, p.f.columnName(ColumnCards), "card %s is also on line %d", c, prev)
		}
		p.cards[c] = line
	}
	return row, nil
}

// cellError is a problem in field i of the record on line, which may be
// an ignored column.
func (p *peopleReader) cellError(i, line int, col, format string, args ...any) error {
	name := p.f.columnName(col)
	if col == "" {
		name = p.names[i]
	}
	if name == "" {
		name = fmt.Sprintf("field %d", i+1)
	}
	return csvErrorf(line, name, format, args...)
}

// cell reads the trimmed value v of column col into row.
func (p *peopleReader) cell(row *PeopleRow, col, v string) error {
	if col != ColumnCards {
		if err := checkText(v); err != nil {
			return err
		}
	}
	var err error
	switch col {
	case ColumnID:
		row.ID = v
	case ColumnName:
		row.Name = v
	case ColumnPhone:
		row.Phone = v
	case ColumnDepartment:
		row.Department = v
	case ColumnShift:
		row.Shift = v
	case ColumnAccessLevels:
		row.AccessLevels = splitList(v)
	case ColumnCards:
		row.Cards, err = parseCards(v)
	case ColumnActive:
		row.Active, err = parseYesNo(v)
	case ColumnPhoneCheckin:
		row.PhoneCheckin, err = parseYesNo(v)
	case ColumnMaster:
		row.Master, err = parseYesNo(v)
	case ColumnStarted:
		row.Started, err = parseDateCell(v)
	case ColumnLeft:
		row.Left, err = parseDateCell(v)
	}
	return err
}

// checkText applies the text rule (see CheckName) to a cell or field
// that names or identifies something.
func checkText(v string) error { return CheckName(v) }

// splitList splits a cell on '|', dropping empty items.
func splitList(v string) []string {
	var out []string
	for item := range strings.SplitSeq(v, "|") {
		if item = strings.TrimSpace(item); item != "" && !slices.Contains(out, item) {
			out = append(out, item)
		}
	}
	return out
}

// parseDateCell reads a date cell, YYYY-MM-DD; empty is the zero Date.
func parseDateCell(v string) (Date, error) {
	if v == "" {
		return Date{}, nil
	}
	d, err := ParseDate(v)
	if err != nil {
		return Date{}, fmt.Errorf("%q: want a date YYYY-MM-DD, such as 2026-11-02", v)
	}
	return d, nil
}

// parseYesNo reads a yes/no cell; empty is nil.
func parseYesNo(v string) (*bool, error) {
	switch strings.ToLower(v) {
	case "":
		return nil, nil
	case "yes", "true", "1":
		return new(true), nil
	case "no", "false", "0":
		return new(false), nil
	}
	return nil, fmt.Errorf("%q: want yes, no, true, false, 1 or 0 (or empty to leave it)", v)
}

// parseCards reads a cards cell into canonical codes, each once. With a
// '|' in the cell, '|' separates the codes and spaces belong to them;
// without, spaces separate them, but a cell that is one uid code ("uid:04
// A2 2B 1A") is that code.
func parseCards(v string) ([]string, error) {
	var items []string
	switch {
	case v == "":
		return nil, nil
	case strings.Contains(v, "|"):
		items = splitList(v)
	default:
		if c, err := ParseCode(v); err == nil && c.Format == FormatUID {
			return []string{c.String()}, nil
		}
		items = strings.Fields(v)
	}
	var out []string
	for _, item := range items {
		c, err := ParseCode(item)
		if err != nil {
			why := strings.TrimPrefix(err.Error(), fmt.Sprintf("card code %q: ", item))
			return nil, fmt.Errorf("bad code %q: %s", item, why)
		}
		if s := c.String(); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// PeopleImport is what Engine.ImportPeople changed, or on a dry run would
// change.
type PeopleImport struct {
	// Added are the new people as they are stored.
	Added []Person `json:"added"`
	// Changed are the stored people the file changes, in file order.
	Changed []PersonChange `json:"changed"`
	// Unchanged counts the rows that change nothing.
	Unchanged int `json:"unchanged"`
	// CardsAdded counts the cards given to new and stored people.
	CardsAdded int `json:"cards_added"`
	// DryRun is true when nothing was written.
	DryRun bool `json:"dry_run"`
}

// PersonChange is a stored person the file changes: their id, their name
// after the change, and each field that changes.
type PersonChange struct {
	ID     string        `json:"id"`
	Name   string        `json:"name"`
	Fields []FieldChange `json:"fields"`
}

// FieldChange is one field of a person before and after, as text: ids and
// codes as stored, several joined by ", ", yes/no for flags, "default"
// for a phone_checkin never set, "" for nothing.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Rolling back: a dry run, and a file that changes nothing, end their
// transaction with these, so that nothing is written, not even an audit
// entry.
var (
	errDryRun   = errors.New("dry run")
	errNoChange = errors.New("no change")
)

// ImportPeople merges the people of f into the store, all or nothing, and
// reports what changed. Each row is merged onto the stored person of its
// id, if any: a column the file has replaces that field (an empty cell
// clears it, except name, which a new person needs and which an empty
// cell leaves as stored); a column it lacks leaves the field alone. The
// department may be given by id or by a department's name, without regard
// to case. Cards are added to the person's stored cards, never removed (a
// card already theirs changes nothing): blocking and revoking cards is
// enrolment's work.
//
// The merged people are applied as a site file, by the same code as
// Import (ImportSite, checked and audited as action "people.import"), so
// the rules and errors are the site file's, turned into *CSVError naming
// the row's line and column ("line 7, column \"shift\": no shift
// \"nite\""). Needs people.edit, and for each field that changes the
// permission FieldPermission gives (access.edit for master and access
// levels, cards.enroll for cards added); a refusal is a *CSVError
// wrapping ErrForbidden.
// With dryRun everything is computed and checked in a transaction that
// is then rolled back: the report is the same, nothing is written.
func (e *Engine) ImportPeople(a Actor, f *PeopleCSV, dryRun bool) (PeopleImport, error) {
	s, err := e.require(a, PermPeopleEdit, "import people")
	if err != nil {
		return PeopleImport{}, err
	}
	if f == nil {
		return PeopleImport{}, phrasef(ErrInvalid, "no people file")
	}
	var plan PeopleImport
	err = e.change(a, "people.import", true, func(tx *auditTx) error {
		m, err := mergePeople(tx, f)
		if err != nil {
			return err
		}
		plan = m.plan
		if len(m.site.People) == 0 {
			return errNoChange
		}
		if err := keepAnAdmin(tx, func() error { return importSite(tx, m.site, s) }); err != nil {
			return m.csvError(err)
		}
		// The new people as stored: with the started date the import
		// gave those the file gives none.
		for i, p := range plan.Added {
			if plan.Added[i], err = get[Person](tx, KindPerson, p.ID); err != nil {
				return err
			}
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	plan.DryRun = dryRun
	switch {
	case errors.Is(err, errNoChange), errors.Is(err, errDryRun):
		return plan, nil
	case err != nil:
		return PeopleImport{}, err
	}
	e.log.Info("people imported", "added", len(plan.Added), "changed", len(plan.Changed),
		"cards_added", plan.CardsAdded, "by", a.String())
	return plan, e.reload()
}

// peopleMerge is the people file merged onto the store: the site file to
// import and the report.
type peopleMerge struct {
	tx    Tx
	f     *PeopleCSV
	depts []Department
	// deptOf caches department's answer for each cell value: an HR list
	// names the same few departments on every line.
	deptOf map[string]deptAnswer
	site   *SiteFile
	// rows gives the index in f.Rows of each person of site.People.
	rows []int
	plan PeopleImport
}

// mergePeople merges every row of f onto the people stored in tx.
func mergePeople(tx Tx, f *PeopleCSV) (*peopleMerge, error) {
	m := &peopleMerge{tx: tx, f: f, site: &SiteFile{}, deptOf: map[string]deptAnswer{},
		plan: PeopleImport{Added: []Person{}, Changed: []PersonChange{}}}
	if f.Has(ColumnDepartment) {
		var err error
		if m.depts, err = list[Department](tx, KindDepartment); err != nil {
			return nil, err
		}
	}
	for i, row := range f.Rows {
		if err := m.merge(i, row); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// merge merges row i: a person that changes goes to the site file.
func (m *peopleMerge) merge(i int, row PeopleRow) error {
	old, stored, err := lookup[Person](m.tx, KindPerson, row.ID)
	if err != nil {
		return err
	}
	p := Person{ID: row.ID}
	var held []Card
	if stored {
		p = old
		if held, err = m.tx.CardsOf(row.ID); err != nil {
			return err
		}
	}
	if err := m.apply(&p, row, stored); err != nil {
		return err
	}
	var added []string
	for _, c := range row.Cards {
		if !slices.ContainsFunc(held, func(h Card) bool { return h.Code == c }) {
			added = append(added, c)
		}
	}
	if stored {
		fields := personChanges(old, p, held, added)
		if len(fields) == 0 {
			m.plan.Unchanged++
			return nil
		}
		m.plan.Changed = append(m.plan.Changed, PersonChange{ID: p.ID, Name: p.Name, Fields: fields})
	} else {
		m.plan.Added = append(m.plan.Added, p)
	}
	m.plan.CardsAdded += len(added)
	pf := personFileOf(p)
	if len(added) > 0 {
		// A person's cards in a site file are all of them: the stored
		// ones as they are, then the new ones.
		pf.Cards = make([]CardFile, 0, len(held)+len(added))
		for _, c := range held {
			pf.Cards = append(pf.Cards, cardFileOf(c))
		}
		for _, c := range added {
			pf.Cards = append(pf.Cards, CardFile{Code: c})
		}
	}
	m.site.People = append(m.site.People, pf)
	m.rows = append(m.rows, i)
	return nil
}

// apply sets the fields of p that row's file gives.
func (m *peopleMerge) apply(p *Person, row PeopleRow, stored bool) error {
	has := m.f.Has
	if row.Name != "" {
		p.Name = row.Name
	}
	if !stored && p.Name == "" {
		if !has(ColumnName) {
			return csvErrorf(row.Line, m.f.columnName(ColumnID),
				"no person %q is stored, and a new person needs a name: add a name column", row.ID)
		}
		return csvErrorf(row.Line, m.f.columnName(ColumnName), "required: %q is a new person", row.ID)
	}
	if has(ColumnPhone) {
		p.Phone = row.Phone
	}
	if has(ColumnDepartment) {
		dept, err := m.department(row.Department)
		if err != nil {
			return csvErrorf(row.Line, m.f.columnName(ColumnDepartment), "%s", err.Error())
		}
		p.Department = dept
	}
	if has(ColumnAccessLevels) {
		p.AccessLevels = slices.Clone(row.AccessLevels)
	}
	if has(ColumnShift) {
		p.Shift = row.Shift
	}
	if row.Active != nil {
		p.Inactive = !*row.Active
	}
	if row.PhoneCheckin != nil {
		p.PhoneCheckin = new(*row.PhoneCheckin)
	}
	if row.Master != nil {
		p.Master = *row.Master
	}
	if row.Started != (Date{}) {
		p.Started = row.Started
	}
	if has(ColumnLeft) {
		p.Left = row.Left
	}
	return nil
}

// deptAnswer is what department found for a cell value.
type deptAnswer struct {
	id  string
	err error
}

// department returns the id of the department v names by id or, without
// regard to case, by id or name; "" for "".
func (m *peopleMerge) department(v string) (string, error) {
	a, ok := m.deptOf[v]
	if !ok {
		a.id, a.err = m.findDepartment(v)
		m.deptOf[v] = a
	}
	return a.id, a.err
}

// findDepartment is department without the cache.
func (m *peopleMerge) findDepartment(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	for _, d := range m.depts {
		if d.ID == v {
			return v, nil
		}
	}
	var found []string
	for _, d := range m.depts {
		if strings.EqualFold(d.ID, v) || strings.EqualFold(strings.TrimSpace(d.Name), v) {
			found = append(found, d.ID)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		return "", fmt.Errorf("%q names several departments: %s; give the id", v, strings.Join(found, ", "))
	case len(m.depts) == 0:
		return "", fmt.Errorf("no department %q: the site has no departments", v)
	}
	ids := make([]string, 0, 5)
	for _, d := range m.depts[:min(5, len(m.depts))] {
		ids = append(ids, d.ID)
	}
	known := strings.Join(ids, ", ")
	if more := len(m.depts) - len(ids); more > 0 {
		known += fmt.Sprintf(" and %d more", more)
	}
	return "", fmt.Errorf("no department %q by id or name; known: %s", v, known)
}

// personChanges lists the fields that differ between old and p, and the
// cards when some are added.
func personChanges(old, p Person, held []Card, added []string) []FieldChange {
	var out []FieldChange
	diff := func(field, before, after string) {
		if before != after {
			out = append(out, FieldChange{Field: field, Before: before, After: after})
		}
	}
	diff(ColumnName, old.Name, p.Name)
	diff(ColumnPhone, old.Phone, p.Phone)
	diff(ColumnDepartment, old.Department, p.Department)
	diff(ColumnAccessLevels, strings.Join(old.AccessLevels, ", "), strings.Join(p.AccessLevels, ", "))
	diff(ColumnShift, old.Shift, p.Shift)
	diff(ColumnActive, yesNo(!old.Inactive), yesNo(!p.Inactive))
	diff(ColumnPhoneCheckin, checkinText(old.PhoneCheckin), checkinText(p.PhoneCheckin))
	diff(ColumnMaster, yesNo(old.Master), yesNo(p.Master))
	diff(ColumnStarted, dateText(old.Started), dateText(p.Started))
	diff(ColumnLeft, dateText(old.Left), dateText(p.Left))
	if len(added) > 0 {
		codes := make([]string, 0, len(held)+len(added))
		for _, c := range held {
			codes = append(codes, c.Code)
		}
		before := strings.Join(codes, ", ")
		diff(ColumnCards, before, strings.Join(append(codes, added...), ", "))
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// dateText writes a date, "" for none.
func dateText(d Date) string {
	if d == (Date{}) {
		return ""
	}
	return d.String()
}

// checkinText writes a person's phone check-in setting.
func checkinText(b *bool) string {
	if b == nil {
		return "default"
	}
	return yesNo(*b)
}

// personFileOf is p as a site file writes it, without cards.
func personFileOf(p Person) PersonFile {
	pf := PersonFile{
		ID: p.ID, Name: p.Name, Phone: p.Phone, Department: p.Department,
		AccessLevels: slices.Clone(p.AccessLevels), Shift: p.Shift, Master: p.Master,
		PhoneCheckin: clonePtr(p.PhoneCheckin), Started: p.Started, Left: p.Left,
	}
	if p.Inactive {
		pf.Active = new(false)
	}
	return pf
}

// cardFileOf is a stored card as a site file gives it back unchanged:
// bounds in UTC to the nanosecond, so that they read back exactly.
func cardFileOf(c Card) CardFile {
	cf := CardFile{Code: c.Code}
	if c.State != CardActive {
		cf.State = c.State
	}
	if !c.From.IsZero() {
		cf.From = c.From.UTC().Format(time.RFC3339Nano)
	}
	if !c.Until.IsZero() {
		cf.Until = c.Until.UTC().Format(time.RFC3339Nano)
	}
	return cf
}

// csvError turns an error of ImportSite about people[i] into a CSVError
// naming the line and column of its row; other errors pass unchanged.
func (m *peopleMerge) csvError(err error) error {
	var fe *SiteFileError
	if !errors.As(err, &fe) {
		return err
	}
	rest, ok := strings.CutPrefix(fe.Path, "people[")
	if !ok {
		return err
	}
	n, field, ok := strings.Cut(rest, "]")
	i, aerr := strconv.Atoi(n)
	if !ok || aerr != nil || i < 0 || i >= len(m.rows) {
		return err
	}
	field = strings.TrimPrefix(field, ".")
	if j := strings.IndexAny(field, ".["); j >= 0 {
		field = field[:j]
	}
	col, problem := "", fe.Problem
	switch {
	case slices.Contains(peopleColumns, field) && m.f.Has(field):
		col = m.f.columnName(field)
	case slices.Contains(peopleColumns, field):
		// The stored value is at fault, not the file: a name stored
		// before the text rule, say.
		problem = fmt.Sprintf("the stored %s %s: add a %s column to replace it", field, fe.Problem, field)
	}
	return &CSVError{Line: m.f.Rows[m.rows[i]].Line, Column: col, Problem: problem, Err: fe.Err}
}
