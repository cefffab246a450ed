package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"frontdesk/core"
)

// importPeople is `frontdesk import-people FILE.csv [--dry-run]`: an HR
// list of people merged into the site through the engine, all or nothing
// (see core.ReadPeopleCSV and core.Engine.ImportPeople).
func (c *command) importPeople(args []string) error {
	fs := c.flags("import-people", "FILE.csv (- for standard input) [--dry-run]")
	dryRun := fs.Bool("dry-run", false, "check the file and print what would change, writing nothing")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	name := pos[0]
	var r io.Reader = c.stdin
	if name == "-" {
		name = "standard input"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	people, err := core.ReadPeopleCSV(r)
	if err != nil {
		return fileError(name, err)
	}
	if len(people.Ignored) > 0 {
		fmt.Fprintf(c.stderr, "ignored columns: %s\n", printable(strings.Join(people.Ignored, ", ")))
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	plan, err := c.api.ImportPeople(c.actor(), people, *dryRun)
	if err != nil {
		return fileError(name, err)
	}
	if c.json {
		return c.printJSON(plan)
	}
	printPeopleImport(c.stdout, plan)
	return nil
}

// fileError puts the file's name in front of an error about its content,
// as import does; other errors (forbidden, the store) are not the file's.
func fileError(name string, err error) error {
	var ce *core.CSVError
	if errors.As(err, &ce) {
		return fmt.Errorf("%s: %w", name, err)
	}
	return err
}

// printPeopleImport writes one line per person added (+) or changed (~),
// then the counts.
func printPeopleImport(w io.Writer, plan core.PeopleImport) {
	for _, p := range plan.Added {
		fmt.Fprintf(w, "+ %s  %s\n", printable(p.ID), printable(p.Name))
	}
	for _, p := range plan.Changed {
		changes := make([]string, len(p.Fields))
		for i, f := range p.Fields {
			changes[i] = fmt.Sprintf("%s: %s → %s", f.Field, fieldText(f.Field, f.Before), fieldText(f.Field, f.After))
		}
		fmt.Fprintf(w, "~ %s  %s\n", printable(p.ID), printable(strings.Join(changes, "; ")))
	}
	cards := "cards"
	if plan.CardsAdded == 1 {
		cards = "card"
	}
	fmt.Fprintf(w, "%d added, %d changed, %d unchanged, %d %s added\n",
		len(plan.Added), len(plan.Changed), plan.Unchanged, plan.CardsAdded, cards)
	if plan.DryRun {
		fmt.Fprintln(w, "dry run: nothing was written")
	}
}

// fieldText writes a field's value for people: free text quoted, ids,
// codes and flags as they are, "none" for nothing.
func fieldText(field, v string) string {
	switch {
	case field == core.ColumnName || field == core.ColumnPhone:
		return fmt.Sprintf("%q", v)
	case v == "":
		return "none"
	}
	return v
}
