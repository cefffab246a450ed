package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// Trust is a service on another PC whose certificate this user has not
// trusted yet: the window shows its fingerprint and connects only when
// the user trusts it, as SSH asks about a new host.
type Trust struct {
	// Addr is the service's HOST:PORT; Fingerprint its certificate's
	// (SHA256:...).
	Addr, Fingerprint string
	// Connect connects trusting Fingerprint, and remembers it for this
	// user. It runs off the UI thread.
	Connect func() (core.API, error)
}

// RunTrusting is Run for a service the user has not trusted yet: it
// first asks, then opens the app on what t.Connect returns. Cancel, or
// closing the question, ends it without connecting.
func RunTrusting(ctx context.Context, t Trust, opts Options) error {
	fa := desktopApp(opts)
	var stop func()
	q := newTrustWindow(fa, t, func(api core.API) {
		a := New(fa, api, opts)
		stop = a.start(ctx)
		a.window.Show()
	})
	q.window.Show()
	fa.Run()
	if stop != nil {
		stop()
	}
	return nil
}

// trustWindow asks whether to trust a service's certificate.
type trustWindow struct {
	window  fyne.Window
	trust   *widget.Button
	cancel  *widget.Button
	status  *widget.Label
	connect func() (core.API, error)
	// opened shows the app once connected, on the UI thread.
	opened func(core.API)
	// do runs a function on the UI thread (fyne.Do; direct in tests).
	do func(func())
}

func newTrustWindow(fa fyne.App, t Trust, opened func(core.API)) *trustWindow {
	q := &trustWindow{window: fa.NewWindow(lang.L("Frontdesk — a new service")), connect: t.Connect, opened: opened, do: fyne.Do}
	intro := widget.NewLabel(fmt.Sprintf(lang.L("This is the first connection of this account to the Frontdesk service at %s. Its certificate's fingerprint is:"), t.Addr))
	intro.Wrapping = fyne.TextWrapWord
	fp := widget.NewLabelWithStyle(t.Fingerprint, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	fp.Selectable = true
	check := widget.NewLabel(lang.L("Check it with the service's administrator: frontdesk serve prints it when it starts. Connect only if it is the same."))
	check.Wrapping = fyne.TextWrapWord
	q.status = widget.NewLabel("")
	q.status.Wrapping = fyne.TextWrapWord
	q.cancel = widget.NewButton(lang.L("Cancel"), fa.Quit)
	q.trust = widget.NewButton(lang.L("Trust and connect"), q.accept)
	q.trust.Importance = widget.HighImportance
	q.window.SetContent(container.NewPadded(container.NewVBox(intro, fp, check, q.status,
		container.NewHBox(layout.NewSpacer(), q.cancel, q.trust))))
	q.window.Resize(fyne.NewSize(560, 300))
	return q
}

// accept connects trusting the fingerprint; the question stays, with
// the reason, when that fails.
func (q *trustWindow) accept() {
	q.trust.Disable()
	q.cancel.Disable()
	q.status.SetText(lang.L("Connecting…"))
	go func() {
		api, err := q.connect()
		q.do(func() {
			if err != nil {
				q.status.SetText(errorText(err))
				q.trust.Enable()
				q.cancel.Enable()
				return
			}
			q.opened(api)
			q.window.Close()
		})
	}()
}
