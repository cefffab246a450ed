package core_test

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"frontdesk/core"
)

// badText is text that breaks the text rule, as JSON writes it (raw, for
// bytes JSON cannot escape) and as Go holds it.
type badText struct {
	name string
	json string // the JSON string literal, quotes included
	text string
}

// badTexts are the ways text can break the rule: terminal escape codes
// and other control characters, direction overrides, bytes that are not
// UTF-8, and names over 200 characters.
func badTexts() []badText {
	long := strings.Repeat("é", core.MaxNameLength+1)
	return []badText{
		{"escape code", `"Ann \u001b[32mgranted\u001b[0m"`, "Ann \x1b[32mgranted\x1b[0m"},
		{"carriage return", `"Ann\rgranted"`, "Ann\rgranted"},
		{"line break", `"Ann\ngranted"`, "Ann\ngranted"},
		{"bell", `"Ann\u0007"`, "Ann\a"},
		{"NUL", `"Ann\u0000"`, "Ann\x00"},
		{"DEL", `"Ann\u007f"`, "Ann\x7f"},
		{"C1 next line", `"Ann\u0085Martin"`, "Ann\u0085Martin"},
		{"tab", `"Ann\tMartin"`, "Ann\tMartin"},
		{"direction override", `"Ann \u202egnp.exe"`, "Ann \u202egnp.exe"},
		{"not UTF-8", "\"Ann \xff\xfe\"", "Ann \xff\xfe"},
		{"cut UTF-8", "\"Ann \xc3\"", "Ann \xc3"},
		{"201 characters", strconv.Quote(long), long},
	}
}

// textSite has one object of every kind with text; each text field is a
// placeholder #PATH# that a test fills.
const textSite = `{
  "site": {"name": #site.name#, "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": #zones[0].name#}, {"id": "office", "name": "Office", "work": true}],
  "schedules": [{"id": "hours", "name": #schedules[0].name#, "week": {"mon": ["08:00-18:00"]}}],
  "holidays": [{"date": "2026-12-25", "name": #holidays[0].name#}],
  "shifts": [{"id": "day", "name": #shifts[0].name#, "week": {"mon": ["09:00-17:00"]}}],
  "doors": [{"id": "main", "name": #doors[0].name#, "from": "outside", "to": "office", "relay": "board:1"}],
  "devices": [{"id": "main-in", "kind": "serial-rdm6300", "port": #devices[0].port#, "door": "main", "direction": "in"},
              {"id": "board", "kind": "usb-dcttech-relay", "serial": #devices[1].serial#}],
  "access_levels": [{"id": "staff", "name": #access_levels[0].name#, "rules": [{"doors": ["main"]}]}],
  "departments": [{"id": "sales", "name": #departments[0].name#, "access_level": "staff", "shift": "day"}],
  "people": [{"id": "ann", "name": #people[0].name#, "phone": #people[0].phone#, "department": "sales"}],
  "grants": [{"person": "ann", "door": "main", "kind": "permanent", "by": #grants[0].by#}],
  "roles": [{"id": "guard", "name": #roles[0].name#, "permissions": ["doors.view"]}]
}`

// textFields are the placeholders of textSite.
func textFields() []string {
	var out []string
	for rest := textSite; ; {
		i := strings.IndexByte(rest, '#')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(rest[i+1:], '#')
		out = append(out, rest[i+1:i+1+j])
		rest = rest[i+j+2:]
	}
}

// fillTextSite gives field the JSON literal bad and every other field a
// good value.
func fillTextSite(field, bad string) string {
	doc := textSite
	for _, f := range textFields() {
		v := strconv.Quote("Good " + f)
		if f == field {
			v = bad
		}
		doc = strings.Replace(doc, "#"+f+"#", v, 1)
	}
	return doc
}

// TestSiteFileTextRule imports the site file with one text field broken
// at a time, in every way text can break: each import is refused, names
// the field's JSON path, and writes nothing.
func TestSiteFileTextRule(t *testing.T) {
	fields := textFields()
	if len(fields) < 14 {
		t.Fatalf("textSite has %d text fields: the placeholders are not found", len(fields))
	}
	e := newEngine(t, `{"site": {"timezone": "Europe/Paris"}}`, time.Date(2026, 11, 24, 9, 0, 0, 0, paris))
	good := fillTextSite("", "")
	if f, err := core.ReadSiteFile(strings.NewReader(good)); err != nil {
		t.Fatalf("the good site: %v", err)
	} else if err := e.Import(cli, f); err != nil {
		t.Fatalf("the good site: %v", err)
	}
	export := func() string {
		f, err := e.Export(cli)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := core.WriteSiteFile(&b, f); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	before := export()
	for _, field := range fields {
		for _, bad := range badTexts() {
			t.Run(field+"/"+bad.name, func(t *testing.T) {
				doc := fillTextSite(field, bad.json)
				f, err := core.ReadSiteFile(strings.NewReader(doc))
				if err == nil {
					err = e.Import(cli, f)
				}
				var fe *core.SiteFileError
				if !errors.As(err, &fe) || fe.Path != field || !errors.Is(err, core.ErrInvalid) {
					t.Fatalf("got %v, want an ErrInvalid naming %s", err, field)
				}
				if strings.ContainsFunc(err.Error(), unicode.IsControl) || !utf8.ValidString(err.Error()) {
					t.Errorf("the error repeats the bad text: %q", err)
				}
				if export() != before {
					t.Error("a refused import changed the site")
				}
			})
		}
	}
}

// TestPeopleCSVTextRule reads each text column of a people list with bad
// text: refused, naming the line and the column, whether the reader or
// the import finds it.
func TestPeopleCSVTextRule(t *testing.T) {
	e, _ := peopleAPIEngine(t)
	for _, col := range []string{"name", "phone", "department", "shift", "access_levels"} {
		for _, bad := range badTexts() {
			if strings.ContainsAny(bad.text, "\n\r") {
				continue // a CSV line break ends the row: see the quoted case below
			}
			t.Run(col+"/"+bad.name, func(t *testing.T) {
				doc := "id;" + col + "\nann2;" + bad.text + "\n"
				f, err := core.ReadPeopleCSV(strings.NewReader(doc))
				if err == nil {
					_, err = e.ImportPeople(cli, f, false)
				}
				var ce *core.CSVError
				if !errors.As(err, &ce) || ce.Line != 2 || ce.Column != col {
					t.Fatalf("got %v, want an error on line 2, column %q", err, col)
				}
				if _, err := e.Person(cli, "ann2"); !errors.Is(err, core.ErrNotFound) {
					t.Error("a refused list added the person")
				}
			})
		}
	}
	t.Run("quoted line break", func(t *testing.T) {
		f, err := core.ReadPeopleCSV(strings.NewReader("id;name\nann2;\"Ann\r\ngranted\"\n"))
		var ce *core.CSVError
		if !errors.As(err, &ce) || ce.Column != "name" || f != nil {
			t.Fatalf("got %v, want an error in column name", err)
		}
	})
}

// TestEngineTextRule gives bad text to every engine entry point that
// stores text from the screens and the command line: each is refused with
// ErrInvalid naming the field, and nothing is stored.
func TestEngineTextRule(t *testing.T) {
	e, _ := staffEngine(t)
	j, err := e.AddJustification(cli, core.Justification{Person: "ann", From: at("2026-11-24T09:00"), Until: at("2026-11-24T12:00")})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := e.AddAttendance(cli, core.AttendanceRecord{Person: "ann", From: at("2026-11-24T09:00"),
		Until: at("2026-11-24T12:00"), State: core.AttendanceAbsent})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", core.MaxNoteLength+1)
	paths := []struct {
		name, field string
		note        bool // a note: line breaks are allowed
		call        func(text string) error
	}{
		{"PutPerson name", "name", false, func(s string) error {
			_, err := e.PutPerson(cli, core.Person{ID: "newbie", Name: s})
			return err
		}},
		{"PutPerson phone", "phone", false, func(s string) error {
			_, err := e.PutPerson(cli, core.Person{ID: "newbie", Name: "Newbie", Phone: s})
			return err
		}},
		{"PutDepartment name", "name", false, func(s string) error {
			_, err := e.PutDepartment(cli, core.Department{ID: "newdept", Name: s})
			return err
		}},
		{"PutRole name", "name", false, func(s string) error {
			_, err := e.PutRole(cli, core.Role{ID: "newrole", Name: s, Permissions: []core.Permission{core.PermDoorsView}})
			return err
		}},
		{"AddGrant by", "by", false, func(s string) error {
			_, err := e.AddGrant(cli, core.Grant{Person: "ann", Door: "main", Kind: core.GrantPermanent, By: s})
			return err
		}},
		{"AttachFile name", "file name", false, func(s string) error {
			_, err := e.AttachFile(cli, j.ID, s, []byte("%PDF-1.4"))
			return err
		}},
		{"AddJustification reason", "reason", true, func(s string) error {
			_, err := e.AddJustification(cli, core.Justification{Person: "ann", From: at("2026-11-25T09:00"),
				Until: at("2026-11-25T12:00"), Reason: s})
			return err
		}},
		{"UpdateJustification reason", "reason", true, func(s string) error {
			_, err := e.UpdateJustification(cli, core.Justification{ID: j.ID, From: j.From, Until: j.Until, Reason: s})
			return err
		}},
		{"AddAttendance description", "description", true, func(s string) error {
			_, err := e.AddAttendance(cli, core.AttendanceRecord{Person: "ann", From: at("2026-11-25T09:00"),
				Until: at("2026-11-25T12:00"), State: core.AttendanceAbsent, Description: s})
			return err
		}},
		{"UpdateAttendance description", "description", true, func(s string) error {
			_, err := e.UpdateAttendance(cli, core.AttendanceRecord{ID: rec.ID, Person: "ann", From: rec.From,
				Until: rec.Until, State: rec.State, Description: s})
			return err
		}},
	}
	audit := func() int {
		n := 0
		if err := e.Audit(cli, core.AuditQuery{}, func(core.AuditEntry) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, p := range paths {
		bads := badTexts()
		if p.note {
			bads = append(bads, badText{name: "2001 characters", text: long})
		}
		for _, bad := range bads {
			t.Run(p.name+"/"+bad.name, func(t *testing.T) {
				if p.note && (bad.name == "line break" || bad.name == "carriage return" || bad.name == "201 characters") {
					if err := p.call(bad.text); err != nil {
						t.Fatalf("a note refused %q: %v", bad.text, err)
					}
					return
				}
				n := audit()
				err := p.call(bad.text)
				if !errors.Is(err, core.ErrInvalid) || !strings.Contains(err.Error(), p.field) {
					t.Fatalf("got %v, want ErrInvalid naming %s", err, p.field)
				}
				if audit() != n {
					t.Error("a refused change was written")
				}
			})
		}
	}
	t.Run("notes keep their line breaks", func(t *testing.T) {
		got, err := e.AddJustification(cli, core.Justification{Person: "ann", From: at("2026-11-26T09:00"),
			Until: at("2026-11-26T12:00"), Reason: "line one\r\nline two\rline three"})
		if err != nil {
			t.Fatal(err)
		}
		if want := "line one\nline two\nline three"; got.Reason != want {
			t.Errorf("got %q, want %q", got.Reason, want)
		}
	})
}

// TestTextRuleProperty checks the rule and EscapeText on random text:
// text is accepted exactly when it is UTF-8 without control or direction
// characters and short enough; EscapeText leaves accepted text alone and
// turns any text into a line without control characters or bad bytes.
func TestTextRuleProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 19))
	pieces := []string{"a", "é", "Ж", "名", " ", "\x1b", "\r", "\n", "\t", "\a", "\x00", "\x7f", "\u0085",
		"\u202e", "\u2066", "\u200f", "\xff", "\xc3", "\ufffd", `\`, "🙂"}
	for i := range 20000 {
		var b strings.Builder
		n := rng.IntN(12)
		if i%50 == 0 {
			n = core.MaxNameLength - 2 + rng.IntN(5)
		}
		for range n {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		want := utf8.ValidString(s) && utf8.RuneCountInString(s) <= core.MaxNameLength &&
			!strings.ContainsFunc(s, func(r rune) bool {
				return unicode.IsControl(r) || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
			})
		err := core.CheckName(s)
		if got := err == nil; got != want {
			t.Fatalf("name %q: accepted %v, want %v (%v)", s, got, want, err)
		}
		esc := core.EscapeText(s)
		if want && esc != s {
			t.Fatalf("EscapeText(%q) = %q: text that obeys the rule must not change", s, esc)
		}
		if !utf8.ValidString(esc) || strings.ContainsFunc(esc, func(r rune) bool {
			return unicode.IsControl(r) || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
		}) {
			t.Fatalf("EscapeText(%q) = %q still holds a control character", s, esc)
		}
	}
}
