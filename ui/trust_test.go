package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

// TestTrustAsksThenConnects: a service not trusted yet shows its address
// and fingerprint; nothing connects until "Trust and connect"; a failed
// connection says why and lets the user try again or cancel; a good one
// opens the app and closes the question.
func TestTrustAsksThenConnects(t *testing.T) {
	fa := test.NewTempApp(t)
	e, _ := siteEngine(t, feedSite, time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	const fp = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
	calls := 0
	answers := []error{errors.New("the service at 10.0.0.5:7443 presents another certificate"), nil}
	var opened core.API
	q := newTrustWindow(fa, Trust{Addr: "10.0.0.5:7443", Fingerprint: fp, Connect: func() (core.API, error) {
		err := answers[calls]
		calls++
		if err != nil {
			return nil, err
		}
		return e, nil
	}}, func(api core.API) { opened = api })
	ran := make(chan func(), 1)
	q.do = func(f func()) { ran <- f }
	q.window.Resize(fyne.NewSize(560, 300))
	q.window.Show()
	texts := strings.Join(shownTexts(q.window), "\n")
	for _, want := range []string{"10.0.0.5:7443", fp, "frontdesk serve"} {
		if !strings.Contains(texts, want) {
			t.Fatalf("the question does not show %q:\n%s", want, texts)
		}
	}
	if calls != 0 {
		t.Fatal("connected before the user trusted the service")
	}

	test.Tap(q.trust)
	if !q.trust.Disabled() || !q.cancel.Disabled() {
		t.Error("the buttons stay enabled while connecting")
	}
	(<-ran)()
	if calls != 1 || opened != nil {
		t.Fatalf("after a failed connection: %d calls, opened %v", calls, opened)
	}
	if !strings.Contains(q.status.Text, "another certificate") || q.trust.Disabled() || q.cancel.Disabled() {
		t.Fatalf("a failed connection shows %q, trust disabled %v, cancel disabled %v", q.status.Text, q.trust.Disabled(), q.cancel.Disabled())
	}

	test.Tap(q.trust)
	(<-ran)()
	if calls != 2 || opened != e {
		t.Fatalf("after trusting: %d calls, opened %v", calls, opened)
	}
	for _, w := range fa.Driver().AllWindows() {
		if w == q.window {
			t.Error("the question stays open once connected")
		}
	}
}

// TestTrustCancelConnectsNothing: Cancel ends without connecting.
func TestTrustCancelConnectsNothing(t *testing.T) {
	fa := test.NewTempApp(t)
	connected := false
	q := newTrustWindow(fa, Trust{Addr: "10.0.0.5:7443", Fingerprint: "SHA256:x", Connect: func() (core.API, error) {
		connected = true
		return nil, nil
	}}, func(core.API) { t.Error("opened after Cancel") })
	q.window.Show()
	test.Tap(q.cancel)
	if connected {
		t.Fatal("Cancel connected")
	}
}
