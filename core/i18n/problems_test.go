package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"frontdesk/core"
)

// TestEveryProblemCodeHasASentence: each code core gives a problem (the
// table in core/problems.go, and every code its site-file checks pass to
// invalidAs) is worded, in every language, so no problem shows in English in a
// French or Russian window or command line.
func TestEveryProblemCodeHasASentence(t *testing.T) {
	codes := map[string]bool{}
	doc, err := os.ReadFile("../problems.go")
	if err != nil {
		t.Fatal(err)
	}
	listed := regexp.MustCompile(`^//\t([a-z_]+(?:, [a-z_]+)*),?(?:\s|$)`)
	table := false
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(line, "//\trequired") {
			table = true
		}
		if !strings.HasPrefix(line, "//") {
			table = false
		}
		if m := listed.FindStringSubmatch(line); table && m != nil {
			for _, c := range strings.Split(m[1], ", ") {
				codes[c] = true
			}
		}
	}
	if len(codes) < 30 {
		t.Fatalf("read %d codes from core/problems.go's table: has it moved?", len(codes))
	}
	sources, _ := filepath.Glob("../*.go")
	given := regexp.MustCompile(`invalidAs\([^,]+, "([a-z_]+)"`)
	for _, f := range sources {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range given.FindAllStringSubmatch(string(b), -1) {
			codes[m[1]] = true
		}
	}
	args := map[string]string{"value": "x1", "other": "x2", "name": "x3", "char": "U+0007",
		"length": "70", "max": "64", "min": "8", "digits": "3", "door": "d1", "default": "5m",
		"setting": "baud", "uses": "2", "kind": "relay"}
	for c := range codes {
		if problemSentences[c] == nil {
			t.Errorf("problem code %q has no sentence", c)
			continue
		}
		p := &core.FieldError{Field: "f", Code: c, Args: args, Problem: "english"}
		en := New("en").Problem(p)
		for _, l := range []string{"fr", "ru"} {
			if said := New(l).Problem(p); said == en {
				t.Errorf("problem code %q in %s: %q, the English sentence", c, l, said)
			}
		}
	}
}
