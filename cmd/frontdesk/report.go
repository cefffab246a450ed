package main

import (
	"fmt"
	"io"
	"strings"

	"frontdesk/core"
	"frontdesk/core/report"
)

// report writes a PDF report (DESIGN §4); with --json it prints the data
// the PDF is built from, fingerprint included, instead of or besides it.
func (c *command) report(args []string) error {
	fs := c.flags("report", "KIND --out FILE.pdf [--from DATE --to DATE] [--at TIME] [--person ID] [--department ID] [--door ID] [--paper A4|Letter]\n\nKIND: "+kindList())
	out := fs.String("out", "", "write the PDF to `FILE`")
	from := fs.String("from", "", "first `DATE` (timesheet, absences, doorlog)")
	to := fs.String("to", "", "last `DATE`, included")
	at := fs.String("at", "", "the attendance sheet at `TIME` (default now)")
	person := fs.String("person", "", "one person's `ID`")
	dept := fs.String("department", "", "the people of department `ID`")
	door := fs.String("door", "", "one door's `ID` (doorlog, access)")
	site := fs.String("site", "", "at the central site of a company, the events of site `ID`, or all for every site's (timesheet, absences); a branch's latest muster list (muster)")
	paper := fs.String("paper", "A4", "paper `SIZE`: A4 or Letter")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	kind, err := core.ParseReportKind(pos[0])
	if err != nil {
		return usagef("report: no kind %q (want %s)", pos[0], kindList())
	}
	if *out == "" && !c.json {
		return usagef("report: --out FILE.pdf is required")
	}
	if *out != "" && !strings.HasSuffix(strings.ToLower(*out), ".pdf") {
		return usagef("report: --out %s: the file name must end in .pdf", *out)
	}
	switch strings.ToLower(*paper) {
	case "a4":
		*paper = "A4"
	case "letter":
		*paper = "Letter"
	default:
		return usagef("report: --paper %s: want A4 or Letter", *paper)
	}
	if *site != "" && kind != core.ReportTimesheet && kind != core.ReportAbsences && kind != core.ReportMuster {
		return usagef("report: --site is for the timesheet, absences and muster reports")
	}
	q := core.ReportQuery{Kind: kind, Person: *person, Department: *dept, Door: *door, Site: *site}
	if *from != "" {
		if q.From, err = c.date("from", *from); err != nil {
			return err
		}
	}
	if *to != "" {
		if q.To, err = c.date("to", *to); err != nil {
			return err
		}
	}
	c.readOnly = true
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	if q.At, err = c.time("at", *at); err != nil {
		return err
	}
	r, err := c.api.Report(c.actor(), q)
	if err != nil {
		return err
	}
	// The PDF's footers carry a signed checkpoint of the logs
	// (checkpoint.go); a report is printed even when none can be made.
	var checkpoint string
	if *out != "" {
		var cerr error
		checkpoint, cerr = c.reportCheckpoint()
		err := writeFileAtomic(*out, func(w io.Writer) error {
			return report.Write(w, r, report.Options{Paper: *paper, Checkpoint: checkpoint, Version: buildVersion(), Language: c.language()})
		})
		if err != nil {
			// The report's own failure is the one line to read; a
			// checkpoint that could not be made either (a full disk)
			// goes with it unsaid.
			return fmt.Errorf("report: %w", err)
		}
		if cerr != nil {
			fmt.Fprintf(c.stderr, "frontdesk: warning: no new checkpoint for the report: %v\n", cerr)
		}
	}
	if c.json {
		return c.printJSON(struct {
			core.Report
			Fingerprint string `json:"fingerprint"`
			File        string `json:"file,omitempty"`
			Checkpoint  string `json:"checkpoint,omitempty"`
		}{r, r.Fingerprint, *out, checkpoint})
	}
	tr := c.tr()
	scope := r.Period + filterSuffix(r.Filter)
	if len(r.Scope) > 0 {
		parts := make([]string, len(r.Scope))
		for i := range r.Scope {
			parts[i] = tr.Reason(&r.Scope[i])
		}
		scope = strings.Join(parts, ", ")
	}
	c.say("wrote %s: %s, %s (%s)", printable(*out), strings.ToLower(tr.T(kind.Title())), printable(scope), r.Fingerprint)
	return nil
}

func filterSuffix(f string) string {
	if f == "" {
		return ""
	}
	return ", " + f
}

func kindList() string {
	names := make([]string, len(core.ReportKinds))
	for i, k := range core.ReportKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}
