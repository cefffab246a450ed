package core

import "sync"

// CaptureDesk puts the desk readers in enrolment mode until release is
// called: a card tapped at a desk reader is read and logged as card_read,
// with its holder if it has one, and nobody is checked in or out, so the
// receptionist can enrol or identify a card by tapping it. Several screens
// may capture at once; the mode ends with the last release. Needs
// cards.enroll.
func (e *Engine) CaptureDesk(a Actor) (release func(), err error) {
	if _, err := e.require(a, PermCardsEnroll, "read cards at the desk for enrolment"); err != nil {
		return nil, err
	}
	e.enrolling.Add(1)
	var once sync.Once
	return func() { once.Do(func() { e.enrolling.Add(-1) }) }, nil
}
