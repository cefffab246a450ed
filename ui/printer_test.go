package ui

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// fakeCUPS answers lpstat and lp as CUPS does, for a PC with printers
// (first is the default unless def says otherwise), and records each lp.
type fakeCUPS struct {
	printers []string
	def      string
	missing  bool     // no CUPS at all
	printed  []string // each lp's arguments, joined by spaces
	failLP   error
}

func (f *fakeCUPS) cups() cups {
	return cups{run: func(name string, args ...string) (string, error) {
		if f.missing {
			return "", errNoCUPS
		}
		switch strings.Join(append([]string{name}, args...), " ") {
		case "lpstat -e":
			return strings.Join(f.printers, "\n") + "\n", nil
		case "lpstat -d":
			if f.def == "" {
				return "no system default destination\n", nil
			}
			return "system default destination: " + f.def + "\n", nil
		}
		if name == "lp" {
			if f.failLP != nil {
				return "", f.failLP
			}
			f.printed = append(f.printed, strings.Join(args, " "))
			return "request id is " + args[1] + "-42 (1 file(s))\n", nil
		}
		return "", errors.New("unexpected command " + name)
	}}
}

func TestCUPSChoosesThePrinter(t *testing.T) {
	for _, tc := range []struct {
		name              string
		fake              fakeCUPS
		chosen            string
		wantUsed, wantJob string
		wantErr           string
	}{
		{"the default", fakeCUPS{printers: []string{"Front", "Back"}, def: "Back"}, "", "Back", "Back-42", ""},
		{"the chosen one", fakeCUPS{printers: []string{"Front", "Back"}, def: "Back"}, "Front", "Front", "Front-42", ""},
		{"the only one, no default", fakeCUPS{printers: []string{"Front"}}, "", "Front", "Front-42", ""},
		{"several, no default", fakeCUPS{printers: []string{"Front", "Back"}}, "", "", "", "choose one in the preferences"},
		{"no printer", fakeCUPS{}, "", "", "", "no printer is set up"},
		{"no CUPS", fakeCUPS{missing: true}, "", "", "", "needs CUPS"},
		{"lp fails", fakeCUPS{printers: []string{"Front"}, def: "Front", failLP: errors.New("lp: Front is stopped")}, "", "Front", "", "Front is stopped"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			used, job, err := tc.fake.cups().print("/tmp/x.pdf", tc.chosen)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want an error with %q", err, tc.wantErr)
				}
				if len(tc.fake.printed) != 0 {
					t.Errorf("printed %v after an error", tc.fake.printed)
				}
				return
			}
			if err != nil || used != tc.wantUsed || job != tc.wantJob {
				t.Fatalf("got %q %q %v, want %q %q", used, job, err, tc.wantUsed, tc.wantJob)
			}
			if want := "-d " + tc.wantUsed + " -- /tmp/x.pdf"; !slices.Equal(tc.fake.printed, []string{want}) {
				t.Errorf("lp %v, want [%s]", tc.fake.printed, want)
			}
		})
	}
}

// TestMusterListPrintsInOneTap: the reception's button makes the list and
// prints it on the printer of the preferences, saying how many people it
// lists and where it went; without a printer it opens it and says why.
func TestMusterListPrintsInOneTap(t *testing.T) {
	fa := test.NewTempApp(t)
	e, _ := receptionEngine(t)
	tap(t, e, "main-in", "em:0102B0A5FD") // Ann
	fake := &fakeCUPS{printers: []string{"Front", "Back"}, def: "Back"}
	fa.Preferences().SetString(prefPrinter, "Front")
	r, _, ui := newReception(t, e, staffAccount(t, e, "guard", "", core.PermAttendanceView))
	r.printer = fake.cups()
	opened := 0
	r.openURL = func(*url.URL) error { opened++; return nil }
	test.Tap(r.muster)
	ui.until(t, "the muster list", func() bool { return r.musterShown != "" })
	if want := "-d Front -- " + r.musterPath; !slices.Equal(fake.printed, []string{want}) {
		t.Errorf("lp %v, want [%s]", fake.printed, want)
	}
	for _, want := range []string{"1 person inside.", "Sent to the printer Front (job Front-42).", r.musterPath} {
		if !strings.Contains(r.musterShown, want) {
			t.Errorf("the dialog says %q, want %q", r.musterShown, want)
		}
	}
	if opened != 0 {
		t.Error("a printed list was opened too")
	}

	// No CUPS: it opens, and says why it was not printed.
	r.printer = (&fakeCUPS{missing: true}).cups()
	r.musterShown = ""
	test.Tap(r.muster)
	ui.until(t, "the muster list", func() bool { return r.musterShown != "" })
	if opened != 1 || !strings.Contains(r.musterShown, "It was not printed: printing needs CUPS") ||
		!strings.Contains(r.musterShown, "It is open on the screen") {
		t.Errorf("opened %d, the dialog says %q", opened, r.musterShown)
	}
}

// TestLoginScreenMusterList: with an owner (the process's, trusted as
// the command line) the login screen offers the muster list, which
// prints as that owner without a login; without one it offers nothing.
func TestLoginScreenMusterList(t *testing.T) {
	e, _ := receptionEngine(t)
	tap(t, e, "main-in", "em:0102B0A5FD")
	addStaffAccount(t, e, "someone", "", core.PermPeopleView)
	for _, owner := range []core.Actor{{}, core.CommandLine("reception-pc")} {
		a, ui, _ := newTestApp(t, e, Options{Owner: owner})
		fake := &fakeCUPS{printers: []string{"Front"}, def: "Front"}
		a.printer = fake.cups()
		a.musterDir = t.TempDir()
		var button *widget.Button
		for _, o := range test.LaidOutObjects(a.window.Content()) {
			if b, ok := o.(*widget.Button); ok && b.Text == "Muster list" {
				button = b
			}
		}
		if (button != nil) != (owner != core.Actor{}) {
			t.Fatalf("owner %v: muster button shown %v", owner, button != nil)
		}
		if button == nil {
			continue
		}
		test.Tap(button)
		ui.until(t, "the muster list", func() bool { return a.musterShown != "" })
		if len(fake.printed) != 1 || !strings.Contains(a.musterShown, "1 person inside.") {
			t.Errorf("printed %v, said %q", fake.printed, a.musterShown)
		}
		files, _ := filepath.Glob(filepath.Join(a.musterDir, "muster-*.pdf"))
		if len(files) != 1 {
			t.Errorf("muster files %v", files)
		} else if st, err := os.Stat(files[0]); err != nil || st.Size() == 0 {
			t.Errorf("muster file %v %v", st, err)
		}
		if a.session != nil {
			t.Error("the muster list logged someone in")
		}
	}
}
