package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeCSV writes a people file in a temporary folder and returns its path.
func writeCSV(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// hrList changes ann's phone and gives her a second card, leaves bob as he
// is, and adds tom with a card, his department given by name.
const hrList = "\uFEFFid;name;phone;department;cards;email\r\n" +
	"ann;Ann Martin;+33 7 00 00 00 00;sales;em:0102B0A5FD|uid:04A22B1C;ann@example.com\r\n" +
	"bob;;;Sales;;\r\n" +
	"tom;Tom Lee;;SALES;uid:04 A2 2B 1D;tom@example.com\r\n"

func TestImportPeopleDryRunThenReal(t *testing.T) {
	db := newSite(t)
	file := writeCSV(t, hrList)
	before := mustCLI(t, db, "export")

	plan := `+ tom  Tom Lee
~ ann  phone: "+33 6 12 34 56 78" → "+33 7 00 00 00 00"; cards: em:0102B0A5FD → em:0102B0A5FD, uid:04A22B1C
1 added, 1 changed, 1 unchanged, 2 cards added
`
	code, out, errs := cli(t, db, "import-people", file, "--dry-run")
	if code != 0 || out != plan+"dry run: nothing was written\n" || errs != "ignored columns: email\n" {
		t.Fatalf("dry run: exit %d\n%s\nstderr %q", code, out, errs)
	}
	if after := mustCLI(t, db, "export"); after != before {
		t.Fatal("a dry run changed the site")
	}

	code, out, errs = cli(t, db, "import-people", file)
	if code != 0 || out != plan || errs != "ignored columns: email\n" {
		t.Fatalf("import: exit %d\n%s\nstderr %q", code, out, errs)
	}
	exported := mustCLI(t, db, "export")
	for _, want := range []string{`"id": "tom"`, `"uid:04A22B1C"`, `"uid:04A22B1D"`, `"+33 7 00 00 00 00"`} {
		if !strings.Contains(exported, want) {
			t.Errorf("export after the import lacks %s", want)
		}
	}

	// Again, from standard input, as JSON: nothing left to do.
	code, out, _ = cliIn(t, hrList, db, "import-people", "-", "--json")
	var got struct {
		Added      []json.RawMessage `json:"added"`
		Changed    []json.RawMessage `json:"changed"`
		Unchanged  int               `json:"unchanged"`
		CardsAdded int               `json:"cards_added"`
		DryRun     bool              `json:"dry_run"`
	}
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
		t.Fatalf("--json: exit %d, %v: %s", code, err, out)
	}
	if len(got.Added) != 0 || len(got.Changed) != 0 || got.Unchanged != 3 || got.CardsAdded != 0 || got.DryRun {
		t.Errorf("--json again: got %s, want 3 unchanged", out)
	}
	if again := mustCLI(t, db, "export"); again != exported {
		t.Error("importing the same list again changed the site")
	}
}

func TestImportPeopleBadFile(t *testing.T) {
	db := newSite(t)
	before := mustCLI(t, db, "export")
	tests := []struct {
		name, file, want string
	}{
		{"unknown department", "id,name,department\nann,Ann Martin,sales\ntom,Tom Lee,Salse\n",
			`line 3, column "department": no department "Salse" by id or name; known: sales`},
		{"card of another", "id;name;cards\ntom;Tom Lee;uid:04A22B1A\n", `line 2, column "cards": card uid:04A22B1A already belongs to "bob"`},
		{"bad flag", "id;Active\nann;yes\nbob;perhaps\n", `line 3, column "Active": "perhaps": want yes, no`},
		{"wrong number of fields", "id;name\nann;Ann;x\n", `line 2: 3 fields, want 2 as in the header`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeCSV(t, tt.file)
			code, _, errs := cli(t, db, "import-people", file)
			want := "frontdesk: " + file + ": " + tt.want
			if code != 1 || !strings.HasPrefix(errs, want) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Fatalf("got exit %d %q, want exit 1 with one line starting %q", code, errs, want)
			}
			if after := mustCLI(t, db, "export"); after != before {
				t.Fatal("a refused import changed the site")
			}
		})
	}
	code, _, errs := cli(t, db, "import-people")
	if code != 2 || !strings.Contains(errs, "wrong number of arguments") {
		t.Errorf("no file: exit %d %q, want 2", code, errs)
	}
}

func TestImportPeopleForbidden(t *testing.T) {
	db := newSite(t)
	t.Setenv("FRONTDESK_NEW_PASSWORD", bobPassword)
	mustCLI(t, db, "account", "add", "--username", "mia", "--roles", "manager") // people.view, not people.edit
	t.Setenv("FRONTDESK_PASSWORD", bobPassword)
	file := writeCSV(t, hrList)
	before := mustCLI(t, db, "export")
	for _, args := range [][]string{{file}, {file, "--dry-run"}} {
		code, out, errs := cli(t, db, append([]string{"import-people", "--user", "mia"}, args...)...)
		if code != 4 || !strings.Contains(errs, "frontdesk: forbidden: mia may not import people (needs people.edit)") || out != "" {
			t.Errorf("%v as mia: exit %d %q %q, want 4 and forbidden", args, code, out, errs)
		}
	}
	if after := mustCLI(t, db, "export"); after != before {
		t.Fatal("a refused import changed the site")
	}
}
