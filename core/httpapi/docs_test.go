package httpapi

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDocsListEveryRoute: docs/api.md names every route the server
// registers, with its method.
func TestDocsListEveryRoute(t *testing.T) {
	b, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	// A table row may give several methods for one path: "`GET`, `PUT`,
	// `DELETE /v1/people/{id}`", or several paths for one method.
	rows := regexp.MustCompile(`(?m)^\| (.*) \|.*\|$`).FindAllStringSubmatch(doc, -1)
	s := newSite(t, time.Now, siteOptions{empty: true})
	for _, p := range NewServer(s.engine, Options{}).patterns {
		method, path, _ := strings.Cut(p, " ")
		found := false
		for _, r := range rows {
			named := strings.Contains(r[1], path+"`") || strings.Contains(r[1], path+"?")
			if named && strings.Contains(r[1], method) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("docs/api.md does not list %s", p)
		}
	}
}
