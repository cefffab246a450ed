package main

import (
	"fmt"
	"strconv"
	"strings"

	"frontdesk/core"
)

// adjustmentJSON is a time bank correction as the command line prints it.
type adjustmentJSON struct {
	ID      string `json:"id"`
	Person  string `json:"person"`
	Date    string `json:"date"`
	Minutes int    `json:"minutes"`
	Reason  string `json:"reason"`
	By      string `json:"by"`
	At      string `json:"at"`
}

func (c *command) adjustmentJSON(a core.BalanceAdjustment) adjustmentJSON {
	return adjustmentJSON{ID: a.ID, Person: a.Person, Date: a.Date.String(), Minutes: a.Minutes, Reason: a.Reason,
		By: a.By, At: c.stamp(a.At)}
}

// signedHM writes minutes as h:mm with their sign: -1:30, 2:05.
func signedHM(m int) string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d:%02d", sign, m/60, m%60)
}

func (c *command) balance(args []string) error {
	const want = "want adjust, list or delete"
	if len(args) == 0 {
		return usagef("balance: %s", words(want))
	}
	switch args[0] {
	case "adjust":
		return c.balanceAdjust(args[1:])
	case "list":
		return c.balanceList(args[1:])
	case "delete":
		return c.balanceDelete(args[1:])
	}
	return usagef("balance: unknown subcommand %q: %s", args[0], words(want))
}

func (c *command) balanceAdjust(args []string) error {
	fs := c.flags("balance adjust", "--person ID --date DATE --minutes N --reason TEXT")
	person := fs.String("person", "", "person `ID`")
	date := fs.String("date", "", "the `DATE` it counts from")
	minutes := fs.String("minutes", "", "signed `N` of minutes: -120 takes two hours off (paid out), 90 adds an hour and a half")
	reason := fs.String("reason", "", "why, `TEXT` (required)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *person == "" || *date == "" || *minutes == "" || strings.TrimSpace(*reason) == "" {
		return usagef("balance adjust: --person, --date, --minutes and --reason are required")
	}
	d, err := c.date("date", *date)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(strings.TrimSpace(*minutes))
	if err != nil {
		return usagef("--minutes: %q is not a whole number of minutes, such as -120", *minutes)
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	adj, err := c.api.AdjustBalance(c.actor(), core.BalanceAdjustment{Person: *person, Date: d, Minutes: n, Reason: *reason})
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(c.adjustmentJSON(adj))
	}
	fmt.Fprintln(c.stdout, adj.ID)
	return nil
}

// balanceListJSON is what balance list --json prints: the person's bank
// at the end of the period (null when the site keeps none) and the
// corrections listed.
type balanceListJSON struct {
	Person      string           `json:"person"`
	From        string           `json:"from"`
	To          string           `json:"to"`
	Bank        *core.TimeBank   `json:"bank"`
	Corrections []adjustmentJSON `json:"corrections"`
}

func (c *command) balanceList(args []string) error {
	fs := c.flags("balance list", "--person ID [--from DATE --to DATE]")
	person := fs.String("person", "", "person `ID`")
	from := fs.String("from", "", "first `DATE` of the period (default: the first of this month)")
	to := fs.String("to", "", "last `DATE` of the period, included (default: today)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *person == "" {
		return usagef("balance list: --person is required")
	}
	if (*from == "") != (*to == "") {
		return usagef("balance list: --from and --to go together")
	}
	c.readOnly = true
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	q := core.TimesheetQuery{Person: *person}
	var err error
	if *from == "" {
		q.To = core.DateOf(c.api.Now(), c.api.Location())
		q.From = core.Date{Year: q.To.Year, Month: q.To.Month, Day: 1}
	} else {
		if q.From, err = c.date("from", *from); err != nil {
			return err
		}
		if q.To, err = c.date("to", *to); err != nil {
			return err
		}
	}
	ts, err := c.api.Timesheet(c.actor(), q)
	if err != nil {
		return err
	}
	// Without a period, every correction of the person; with one, those
	// dated inside it.
	var lf, lt core.Date
	if *from != "" {
		lf, lt = q.From, q.To
	}
	adjs, err := c.api.BalanceAdjustments(c.actor(), *person, lf, lt)
	if err != nil {
		return err
	}
	var bank *core.TimeBank
	if ts.Uses.Balance && len(ts.People) == 1 {
		bank = &ts.People[0].Bank
	}
	if c.json {
		out := balanceListJSON{Person: *person, From: q.From.String(), To: q.To.String(), Bank: bank, Corrections: []adjustmentJSON{}}
		for _, a := range adjs {
			out.Corrections = append(out.Corrections, c.adjustmentJSON(a))
		}
		return c.printJSON(out)
	}
	tab := newTable(c.stdout, 2, 8, 2, 0)
	c.header(tab, "ID", "DATE", "MINUTES", "REASON", "BY", "AT")
	for _, a := range adjs {
		tab.row(a.ID, a.Date, signedHM(a.Minutes), a.Reason, a.By, c.local(a.At))
	}
	if err := tab.flush(); err != nil {
		return err
	}
	tr := c.tr()
	fmt.Fprintln(c.stdout)
	if bank == nil {
		fmt.Fprintln(c.stdout, tr.T("The site keeps no time bank: set balance_from, or enter a correction."))
		return nil
	}
	fmt.Fprintf(c.stdout, tr.T("Time bank of %s from %s, period %s to %s:")+"\n", printable(*person), bank.From, q.From, q.To)
	sum := newTable(c.stdout, 2, 8, 2, 0)
	sum.row(tr.T("opening"), signedHM(bank.Opening))
	sum.row(tr.T("corrections"), signedHM(bank.Adjustments))
	sum.row(tr.T("closing"), signedHM(bank.Closing))
	return sum.flush()
}

func (c *command) balanceDelete(args []string) error {
	fs := c.flags("balance delete", "ID")
	pos, err := c.start(fs, args, 1, 1)
	if err != nil {
		return err
	}
	defer c.close()
	a, err := c.api.DeleteBalanceAdjustment(c.actor(), pos[0])
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(map[string]any{"deleted": c.adjustmentJSON(a)})
	}
	c.say("deleted %s (%s on %s for %s)", a.ID, signedHM(a.Minutes), a.Date, printable(a.Person))
	return nil
}

// bankRow is the timesheet table's line of a person's time bank: its
// closing, with the opening and corrections it comes from.
func (c *command) bankRow(tab *table, p core.PersonTimesheet, columns int) {
	tr := c.tr()
	b := p.Bank
	text := fmt.Sprintf(tr.T("closing %s (opening %s, corrections %s)"), signedHM(b.Closing), signedHM(b.Opening), signedHM(b.Adjustments))
	// In the last cell, which the table does not align: the other
	// columns keep the width of their figures.
	row := make([]any, columns)
	for i := range row {
		row[i] = ""
	}
	row[0], row[1], row[columns-1] = p.Person, tr.T("bank"), text
	tab.row(row...)
}
