package core_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// peopleSite has three departments, two shifts, an access level and two
// people with cards; ann's second card is lost and bounded, so that
// re-writing it would show.
const peopleSite = `{
  "site": {"name": "HR HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office"}],
  "shifts": [{"id": "day", "name": "Day", "week": {"mon": ["09:00-17:00"]}},
             {"id": "night", "name": "Night", "week": {"mon": ["22:00-06:00"]}}],
  "access_levels": [{"id": "staff", "name": "Staff", "rules": [{"doors": ["main"]}]},
                    {"id": "lab", "name": "Lab", "rules": [{"doors": ["main"]}]}],
  "departments": [{"id": "sales", "name": "Sales"}, {"id": "eng", "name": "Engineering"},
                  {"id": "hr", "name": "Ressources humaines"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "phone": "+33 6 12 34 56 78", "department": "sales", "shift": "day",
     "access_levels": ["staff"], "phone_checkin": false,
     "cards": ["em:0102B0A5FD", {"code": "w26:12:345", "state": "lost", "from": "2026-01-01T08:00", "until": "2027-01-01T00:00:00.5+01:00"}]},
    {"id": "bob", "name": "Bob Stone", "department": "eng", "master": true, "cards": ["uid:04A22B1A"]}]
}`

var hr = core.CommandLine("hr")

// peopleEngine returns an engine on a new database holding peopleSite.
func peopleEngine(t *testing.T) *core.Engine {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) }
	e, err := core.NewEngine(storagetest.MustOpen(t), now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(hr, siteFile(t, peopleSite)); err != nil {
		t.Fatal(err)
	}
	return e
}

// nov24 is the day peopleEngine's clock reads.
var nov24 = core.Date{Year: 2026, Month: time.November, Day: 24}

// readCSV reads a people file or stops the test.
func readCSV(t *testing.T, s string) *core.PeopleCSV {
	t.Helper()
	f, err := core.ReadPeopleCSV(strings.NewReader(s))
	if err != nil {
		t.Fatalf("ReadPeopleCSV: %v", err)
	}
	return f
}

// siteState is the whole exported site and audit trail: what a refused
// import or a dry run must leave exactly as it was.
func siteState(t *testing.T, e *core.Engine) string {
	t.Helper()
	f, err := e.Export(hr)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := core.WriteSiteFile(&buf, f); err != nil {
		t.Fatal(err)
	}
	err = e.Audit(hr, core.AuditQuery{}, func(a core.AuditEntry) error {
		fmt.Fprintf(&buf, "%d %s %s %s\n", a.Seq, a.Action, a.Object, a.Hash)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestReadPeopleCSV(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		columns []string
		ignored []string
		rows    []core.PeopleRow
	}{
		{
			name:    "BOM and semicolons",
			file:    "\uFEFFId; Name ;Department;Active\r\nann;Ann Martin;Sales;yes\r\nbob;Bob Stone;;NO\r\n",
			columns: []string{"id", "name", "department", "active"},
			rows: []core.PeopleRow{
				{Line: 2, ID: "ann", Name: "Ann Martin", Department: "Sales", Active: new(true)},
				{Line: 3, ID: "bob", Name: "Bob Stone", Active: new(false)},
			},
		},
		{
			name:    "commas, synonyms and ignored columns",
			file:    "id,name,mobile,dept,email,salary,access-levels,card,Phone Checkin,master\nann,Ann,+33 6 12,eng,ann@example.com,1000,staff|lab|staff,em:0102b0a5fd,1,false\n",
			columns: []string{"id", "name", "phone", "department", "access_levels", "cards", "phone_checkin", "master"},
			ignored: []string{"email", "salary"},
			rows: []core.PeopleRow{{Line: 2, ID: "ann", Name: "Ann", Phone: "+33 6 12", Department: "eng",
				AccessLevels: []string{"staff", "lab"}, Cards: []string{"em:0102B0A5FD"}, PhoneCheckin: new(true), Master: new(false)}},
		},
		{
			name: "quoted separators and newlines",
			file: "id;name;address;cards\n" +
				"ann;\"Martin; Ann\";\"1 rue de la Paix\n75002 Paris\";\"em:0102B0A5FD | w26:12:345\"\n" +
				"bob;\"Bob \"\"Bobby\"\" Stone\";;uid:04 A2 2B 1A\n" +
				"\n" +
				";;;\n" +
				"zoe;Zoé;\"a;b,c\";dec:45131261 opaque-7\n",
			columns: []string{"id", "name", "cards"},
			ignored: []string{"address"},
			rows: []core.PeopleRow{
				{Line: 2, ID: "ann", Name: "Martin; Ann", Cards: []string{"em:0102B0A5FD", "w26:12:345"}},
				{Line: 4, ID: "bob", Name: `Bob "Bobby" Stone`, Cards: []string{"uid:04A22B1A"}},
				{Line: 7, ID: "zoe", Name: "Zoé", Cards: []string{"dec:0045131261", "opaque-7"}},
			},
		},
		{
			name:    "scripts",
			file:    "id,name\nann,Ann Martin\nfra,François Lefèvre\nger,Jürgen Weiß\nrus,Анна Каренина\n",
			columns: []string{"id", "name"},
			rows: []core.PeopleRow{
				{Line: 2, ID: "ann", Name: "Ann Martin"}, {Line: 3, ID: "fra", Name: "François Lefèvre"},
				{Line: 4, ID: "ger", Name: "Jürgen Weiß"}, {Line: 5, ID: "rus", Name: "Анна Каренина"},
			},
		},
		{
			name:    "both separators: the one giving more fields",
			file:    "id;name;\"a,b\";phone,x\nann;Ann;1;+33,y\n",
			columns: []string{"id", "name"},
			ignored: []string{"a,b", "phone,x"},
			rows:    []core.PeopleRow{{Line: 2, ID: "ann", Name: "Ann"}},
		},
		{
			name:    "blank lines before the header",
			file:    "\r\n\nid;name\nann;Martin, Ann\n",
			columns: []string{"id", "name"},
			rows:    []core.PeopleRow{{Line: 4, ID: "ann", Name: "Martin, Ann"}},
		},
		{
			name:    "neither separator: one column",
			file:    "id\nann\n",
			columns: []string{"id"},
			rows:    []core.PeopleRow{{Line: 2, ID: "ann"}},
		},
		{
			name:    "empty columns after the last",
			file:    "id;name;;\nann;Ann;;\n",
			columns: []string{"id", "name"},
			rows:    []core.PeopleRow{{Line: 2, ID: "ann", Name: "Ann"}},
		},
		{
			name:    "an empty column name with something under it",
			file:    "id;;name;;\nann;;Ann;;\nbob;x;Bob;;\n",
			columns: []string{"id", "name"},
			ignored: []string{"column 2"},
			rows:    []core.PeopleRow{{Line: 2, ID: "ann", Name: "Ann"}, {Line: 3, ID: "bob", Name: "Bob"}},
		},
		{
			name:    "header only",
			file:    "id;name\n",
			columns: []string{"id", "name"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := readCSV(t, tt.file)
			if !reflect.DeepEqual(f.Columns, tt.columns) {
				t.Errorf("columns: got %q, want %q", f.Columns, tt.columns)
			}
			if !reflect.DeepEqual(f.Ignored, tt.ignored) {
				t.Errorf("ignored: got %q, want %q", f.Ignored, tt.ignored)
			}
			if !reflect.DeepEqual(f.Rows, tt.rows) {
				got, _ := json.Marshal(f.Rows)
				want, _ := json.Marshal(tt.rows)
				t.Errorf("rows:\ngot  %s\nwant %s", got, want)
			}
		})
	}
}

func TestReadPeopleCSVErrors(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "the file is empty: want a header line naming the columns, one of them id"},
		{"BOM only", "\uFEFF", "the file is empty"},
		{"no id column", "name;phone\nAnn;1\n", "line 1: no id column"},
		{"column twice", "id;Phone;name;mobile\n", `line 1, column "mobile": names the same column as "Phone" (field 2)`},
		{"not UTF-8", "id;name\nann;Ann\nbob;B\xe9b\n", `line 3, column "name": not UTF-8 text`},
		{"not UTF-8 in an ignored column", "id;notes\nann;\xff\n", `line 2, column "notes": not UTF-8 text`},
		{"too few fields", "id;name;phone\nann;Ann;1\nbob;Bob\n", "line 3: 2 fields, want 3 as in the header"},
		{"too many fields", "id,name\nann,Martin, Ann\n", "line 2: 3 fields, want 2 as in the header"},
		{"bad quote", "id;name\nann;Ann \"the\" Martin\n", `line 2: bare " in non-quoted-field`},
		{"empty id", "id;name\nann;Ann\n ;Nobody\n", `line 3, column "id": required`},
		{"bad yes/no", "id;Active\nann;maybe\n", `line 2, column "Active": "maybe": want yes, no, true, false, 1 or 0`},
		{"bad code", "id;cards\nann;em:0102B0A5FD|em:12\n", `line 2, column "cards": bad code "em:12": em needs 10 hex digits`},
		{"id on two lines", "id;name\nann;Ann\nbob;Bob\nann;Ann again\n", `line 4, column "id": id "ann" is also on line 2`},
		{"card on two lines", "id;card\nann;em:0102B0A5FD\nbob;EM:0102b0a5fd\n", `line 3, column "card": card em:0102B0A5FD is also on line 2`},
		{"line break in a name", "id;name\nann;\"Ann\nMartin\"\n", `line 2, column "name": contains a line break`},
		{"id after a multi-line cell", "id;notes\nann;\"a\nb\nc\"\nann;\n", `line 5, column "id": id "ann" is also on line 2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := core.ReadPeopleCSV(strings.NewReader(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			var ce *core.CSVError
			if !errors.As(err, &ce) || !errors.Is(err, core.ErrInvalid) {
				t.Errorf("got %T %v, want a *CSVError wrapping ErrInvalid", err, err)
			}
		})
	}
}

func TestReadPeopleCSVLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("id\n")
	for i := range core.MaxPeopleCSVRows + 1 {
		fmt.Fprintf(&b, "p%d\n", i)
	}
	_, err := core.ReadPeopleCSV(strings.NewReader(b.String()))
	want := fmt.Sprintf("line %d: more than %d people: split the file", core.MaxPeopleCSVRows+2, core.MaxPeopleCSVRows)
	if err == nil || err.Error() != want {
		t.Errorf("rows: got %v, want %q", err, want)
	}

	big := io.MultiReader(strings.NewReader("id\n"), io.LimitReader(repeatReader('a'), core.MaxPeopleCSVBytes))
	_, err = core.ReadPeopleCSV(big)
	if err == nil || !strings.Contains(err.Error(), "the file is over 64 MiB") {
		t.Errorf("size: got %v, want the file is over 64 MiB", err)
	}
}

// repeatReader reads as an endless run of one byte.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func TestImportPeople(t *testing.T) {
	e := peopleEngine(t)
	// ann: absent columns (shift, access levels, active, phone_checkin)
	// stay; her name cell is empty, which keeps it; one card is added to
	// her two, the other is hers already. bob: department by name, phone
	// cleared by... having none, so no change there. New people in three
	// scripts, one with a card and department by name in another case.
	file := "\uFEFFid;name;phone;department;cards;master;email\n" +
		"ann;;+33 7 00 00 00 00;Engineering;em:0102B0A5FD|uid:04 A2 2B 1B;;ann@example.com\n" +
		"bob;Bob Stone;;eng;;yes;\n" +
		"fra;François Lefèvre;;ressources HUMAINES;;;\n" +
		"ger;Jürgen Weiß;;sales;w26:1:2;no;\n" +
		"rus;Анна Каренина;+7 495 000 00 00;;;;\n"
	f := readCSV(t, file)
	if !reflect.DeepEqual(f.Ignored, []string{"email"}) {
		t.Errorf("ignored: got %q, want [email]", f.Ignored)
	}
	got, err := e.ImportPeople(hr, f, false)
	if err != nil {
		t.Fatal(err)
	}
	want := core.PeopleImport{
		Added: []core.Person{
			// New people start the day they are added (the clock's).
			{ID: "fra", Name: "François Lefèvre", Department: "hr", Started: nov24},
			{ID: "ger", Name: "Jürgen Weiß", Department: "sales", Started: nov24},
			{ID: "rus", Name: "Анна Каренина", Phone: "+7 495 000 00 00", Started: nov24},
		},
		Changed: []core.PersonChange{{ID: "ann", Name: "Ann Martin", Fields: []core.FieldChange{
			{Field: "phone", Before: "+33 6 12 34 56 78", After: "+33 7 00 00 00 00"},
			{Field: "department", Before: "sales", After: "eng"},
			{Field: "cards", Before: "em:0102B0A5FD, w26:12:345", After: "em:0102B0A5FD, w26:12:345, uid:04A22B1B"},
		}}},
		Unchanged:  1,
		CardsAdded: 2,
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("got %s\nwant %s", g, w)
	}

	site, err := e.Export(hr)
	if err != nil {
		t.Fatal(err)
	}
	people := map[string]core.PersonFile{}
	for _, p := range site.People {
		people[p.ID] = p
	}
	ann := people["ann"]
	wantAnn := core.PersonFile{ID: "ann", Name: "Ann Martin", Phone: "+33 7 00 00 00 00", Department: "eng", Shift: "day",
		AccessLevels: []string{"staff"}, PhoneCheckin: new(false), Cards: []core.CardFile{
			{Code: "em:0102B0A5FD"}, {Code: "uid:04A22B1B"},
			{Code: "w26:12:345", State: core.CardLost, From: "2026-01-01T08:00", Until: "2027-01-01T00:00:00.5+01:00"}},
		Started: nov24}
	if !reflect.DeepEqual(ann, wantAnn) {
		t.Errorf("ann: got %+v, want %+v", ann, wantAnn)
	}
	if bob := people["bob"]; bob.Department != "eng" || !bob.Master || len(bob.Cards) != 1 {
		t.Errorf("bob: got %+v, want unchanged", bob)
	}
	if ger := people["ger"]; len(ger.Cards) != 1 || ger.Cards[0].Code != "w26:1:2" {
		t.Errorf("ger's cards: got %+v, want w26:1:2", ger.Cards)
	}

	// The trail has ann's person and her new card, and one entry for what
	// was created; her stored cards, written back unchanged, are not in it.
	var objects []string
	err = e.Audit(hr, core.AuditQuery{}, func(a core.AuditEntry) error {
		if a.Action == "people.import" {
			objects = append(objects, a.Object)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if w := []string{"people/ann", ""}; !reflect.DeepEqual(objects, w) {
		t.Errorf("audit objects: got %q, want %q", objects, w)
	}

	// The same file again changes nothing, and writes nothing.
	before := siteState(t, e)
	again, err := e.ImportPeople(hr, readCSV(t, file), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Added)+len(again.Changed) != 0 || again.Unchanged != 5 || again.CardsAdded != 0 {
		t.Errorf("again: got %+v, want 5 unchanged", again)
	}
	if after := siteState(t, e); after != before {
		t.Errorf("an import changing nothing changed the site or the trail:\n%s\n---\n%s", before, after)
	}
}

// TestImportPeopleClears: an empty cell of a present column clears the
// field, but not the name; flags change only when given.
func TestImportPeopleClears(t *testing.T) {
	e := peopleEngine(t)
	f := readCSV(t, "id,name,phone,department,shift,access_levels,active,phone_checkin\nann,,,,,,no,\n")
	got, err := e.ImportPeople(hr, f, false)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Person(hr, "ann")
	if err != nil {
		t.Fatal(err)
	}
	want := core.Person{ID: "ann", Name: "Ann Martin", Inactive: true, PhoneCheckin: new(false), Started: nov24}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("got %+v, want %+v", p, want)
	}
	fields := []string{}
	for _, c := range got.Changed[0].Fields {
		fields = append(fields, c.Field)
	}
	if w := []string{"phone", "department", "access_levels", "shift", "active"}; !reflect.DeepEqual(fields, w) {
		t.Errorf("changed fields: got %q, want %q", fields, w)
	}
}

func TestImportPeopleErrors(t *testing.T) {
	tests := []struct {
		name, file, want string
		is               error
	}{
		{"department", "id;name;dept\nann;Ann;sales\nnew;New;Salse\n",
			`line 3, column "dept": no department "Salse" by id or name; known: eng, hr, sales`, core.ErrInvalid},
		{"shift", "id;name;shift\nnew;New;nite\n", `line 2, column "shift": no shift "nite"`, core.ErrInvalid},
		{"access level", "id;name;access_levels\nnew;New;staff|roof\n", `line 2, column "access_levels": no access level "roof"`, core.ErrInvalid},
		{"card of another", "id;cards\nbob;em:0102b0a5fd\n", `line 2, column "cards": card em:0102B0A5FD already belongs to "ann"`, core.ErrConflict},
		{"same physical card", "id;cards\nbob;dec:0045131261\n", `line 2, column "cards": card dec:0045131261 of "bob" reads the same as em:0102B0A5FD of "ann"`, core.ErrConflict},
		{"bad id", "id;name\nann;Ann\nnew person;New\n", `line 3, column "id": bad id "new person"`, core.ErrInvalid},
		{"new person without a name", "id;name\nnew;\n", `line 2, column "name": required: "new" is a new person`, core.ErrInvalid},
		{"new person, no name column", "ID;phone\nann;1\nnew;2\n", `line 3, column "ID": no person "new" is stored, and a new person needs a name`, core.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := peopleEngine(t)
			before := siteState(t, e)
			_, err := e.ImportPeople(hr, readCSV(t, tt.file), false)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error starting %q", err, tt.want)
			}
			var ce *core.CSVError
			if !errors.As(err, &ce) || !errors.Is(err, tt.is) {
				t.Errorf("got %T %v, want a *CSVError wrapping %v", err, err, tt.is)
			}
			if after := siteState(t, e); after != before {
				t.Errorf("a refused import changed the site or the trail:\n%s\n---\n%s", before, after)
			}
		})
	}
}

// TestImportPeopleAllOrNothing: good rows followed by a bad last line
// write nothing, not even an audit entry.
func TestImportPeopleAllOrNothing(t *testing.T) {
	e := peopleEngine(t)
	before := siteState(t, e)
	file := "id,name,phone,cards\nann,Ann,+33 7,uid:04A22B1C\nnew,New,,\nlast,Last,,uid:04A22B1A\n"
	_, err := e.ImportPeople(hr, readCSV(t, file), false)
	if want := `line 4, column "cards": card uid:04A22B1A already belongs to "bob"`; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
	if after := siteState(t, e); after != before {
		t.Fatalf("a refused import changed the site or the trail:\n%s\n---\n%s", before, after)
	}
}

func TestImportPeopleDryRun(t *testing.T) {
	e := peopleEngine(t)
	before := siteState(t, e)
	file := "id;name;department;cards\nann;Ann Martin;eng;uid:04A22B1C\nnew;Nouvelle Personne;Sales;em:0000000001\nbob;Bob Stone;eng;\n"
	dry, err := e.ImportPeople(hr, readCSV(t, file), true)
	if err != nil {
		t.Fatal(err)
	}
	if after := siteState(t, e); after != before {
		t.Fatalf("a dry run changed the site or the trail:\n%s\n---\n%s", before, after)
	}
	if _, err := e.Person(hr, "new"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("person new after a dry run: got %v, want not found", err)
	}
	if !dry.DryRun || len(dry.Added) != 1 || len(dry.Changed) != 1 || dry.Unchanged != 1 || dry.CardsAdded != 2 {
		t.Errorf("dry run: got %+v, want 1 added, 1 changed, 1 unchanged, 2 cards", dry)
	}
	real, err := e.ImportPeople(hr, readCSV(t, file), false)
	if err != nil {
		t.Fatal(err)
	}
	if real.DryRun {
		t.Error("a real run reports a dry run")
	}
	real.DryRun = true
	if !reflect.DeepEqual(dry, real) {
		t.Errorf("the dry run's plan differs from what the import did:\n%+v\n%+v", dry, real)
	}
	if _, err := e.Person(hr, "new"); err != nil {
		t.Errorf("person new after the import: %v", err)
	}

	// A dry run checks everything: a bad file is refused the same.
	_, err = e.ImportPeople(hr, readCSV(t, "id;shift\nann;nite\n"), true)
	if want := `line 2, column "shift": no shift "nite"`; err == nil || err.Error() != want {
		t.Errorf("bad file, dry run: got %v, want %q", err, want)
	}
}

func TestImportPeoplePermissions(t *testing.T) {
	e := peopleEngine(t)
	viewer := staffAccount(t, e, "viewer", "", core.PermPeopleView)
	editor := staffAccount(t, e, "editor", "", core.PermPeopleEdit)
	enroller := staffAccount(t, e, "enroller", "", core.PermPeopleEdit, core.PermCardsEnroll)
	noCards := "id;phone\nann;+33 7\n"
	withCard := "id;cards\nann;uid:04A22B1C\n"
	tests := []struct {
		who        core.Actor
		file       string
		dryRun     bool
		want, perm string
	}{
		{viewer, noCards, false, "forbidden", "people.edit"},
		{viewer, noCards, true, "forbidden", "people.edit"},
		{viewer, "id\n", false, "forbidden", "people.edit"},
		{editor, withCard, true, "forbidden", "cards.enroll"},
		{editor, withCard, false, "forbidden", "cards.enroll"},
		{editor, noCards, false, "", ""},
		{enroller, withCard, false, "", ""},
	}
	for _, tt := range tests {
		before := siteState(t, e)
		_, err := e.ImportPeople(tt.who, readCSV(t, tt.file), tt.dryRun)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.who, err)
			}
			continue
		}
		if !errors.Is(err, core.ErrForbidden) || !strings.Contains(err.Error(), tt.perm) {
			t.Errorf("%s, %q: got %v, want forbidden naming %s", tt.who, tt.file, err, tt.perm)
		}
		if after := siteState(t, e); after != before {
			t.Errorf("%s: a refused import changed the site or the trail", tt.who)
		}
	}
	// What the accounts did is theirs in the trail.
	actors := map[string]bool{}
	err := e.Audit(hr, core.AuditQuery{}, func(a core.AuditEntry) error {
		if a.Action == "people.import" {
			actors[a.Actor] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !actors["editor"] || !actors["enroller"] || len(actors) != 2 {
		t.Errorf("actors of people.import: got %v, want editor and enroller", actors)
	}
}

func FuzzReadPeopleCSV(f *testing.F) {
	f.Add("\uFEFFid;name;cards\nann;Ann;em:0102B0A5FD|uid:04 A2 2B 1A\n")
	f.Add("id,name,active\n\"a,b\",\"x\ny\",yes\n")
	f.Add("id;name;name\n")
	f.Add("id\n\"unterminated\n")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := core.ReadPeopleCSV(strings.NewReader(s))
		if err != nil {
			var ce *core.CSVError
			if !errors.As(err, &ce) || !errors.Is(err, core.ErrInvalid) {
				t.Fatalf("got %T %v, want a *CSVError", err, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range p.Rows {
			if r.ID == "" || seen[r.ID] || r.Line < 1 {
				t.Fatalf("row %+v: want a line and a unique id", r)
			}
			seen[r.ID] = true
			for _, c := range r.Cards {
				if code, err := core.ParseCode(c); err != nil || code.String() != c {
					t.Fatalf("card %q is not canonical", c)
				}
			}
		}
	})
}
