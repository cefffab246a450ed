package ui

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
)

// prefPrinter is the preference naming the CUPS destination reports and
// muster lists print to; "" is the system's default printer.
const prefPrinter = "printer"

// errNoCUPS: the PC cannot print from Frontdesk (no lp or lpstat).
var errNoCUPS = errors.New("printing needs CUPS (the lp and lpstat commands), which is not installed on this PC")

// errNoPrinter: CUPS is there but has no printer.
var errNoPrinter = errors.New("no printer is set up on this PC")

// cups prints through the lp and lpstat commands of CUPS.
type cups struct {
	// run runs a command and returns its standard output; default
	// exec with a timeout.
	run func(name string, args ...string) (string, error)
}

// systemCUPS is the PC's CUPS.
var systemCUPS = cups{run: func(name string, args ...string) (string, error) {
	if _, err := exec.LookPath(name); err != nil {
		return "", errNoCUPS
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return string(out), fmt.Errorf("%s: %s", name, msg)
		}
		return string(out), fmt.Errorf("%s: %w", name, err)
	}
	return string(out), nil
}}

// printers lists the CUPS destinations, and the default one ("" when
// none is set).
func (c cups) printers() (names []string, def string, err error) {
	if c.run == nil {
		return nil, "", errNoCUPS
	}
	out, err := c.run("lpstat", "-e")
	if err != nil {
		return nil, "", err
	}
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			names = append(names, l)
		}
	}
	if d, err := c.run("lpstat", "-d"); err == nil {
		// "system default destination: NAME", or "no system default
		// destination".
		if _, name, ok := strings.Cut(d, "destination: "); ok {
			def = strings.TrimSpace(name)
		}
	}
	return names, def, nil
}

var lpJob = regexp.MustCompile(`request id is (\S+)`)

// print sends the PDF at path to printer ("" for the default one) and
// returns the printer used and the job's id.
func (c cups) print(path, printer string) (used, job string, err error) {
	names, def, err := c.printers()
	if err != nil {
		return "", "", err
	}
	switch {
	case len(names) == 0:
		return "", "", errNoPrinter
	case printer == "" && def == "":
		printer = names[0] // one printer and no default: that one
		if len(names) > 1 {
			return "", "", errors.New("no default printer: choose one in the preferences")
		}
	case printer == "":
		printer = def
	}
	out, err := c.run("lp", "-d", printer, "--", path)
	if err != nil {
		return printer, "", err
	}
	if m := lpJob.FindStringSubmatch(out); m != nil {
		job = m[1]
	}
	return printer, job, nil
}

// printedWords says where a print went, in the window's language.
func printedWords(printer, job string) string {
	if job == "" {
		return fmt.Sprintf(lang.L("Sent to the printer %s."), printer)
	}
	return fmt.Sprintf(lang.L("Sent to the printer %s (job %s)."), printer, job)
}
