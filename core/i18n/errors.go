package i18n

import (
	"errors"
	"io/fs"
	"slices"
	"strings"

	"frontdesk/core"
)

// Saying finds in err the error that the files word in each language:
// a refusal (core.ForbiddenError), an object not found, a phrase of
// core's (core.PhraseError), a directory change refused at a branch, an
// id owned by another site, a refused login, a file that could not be
// read or written. It returns that error (said), which may be wrapped in
// err with some context before it, and its wording in a translator's
// language (say); nil and nil when err has none of them. Both the command
// line and the window say errors through it.
func Saying(err error) (say func(*Translator) string, said error) {
	var forbidden core.ForbiddenError
	if errors.As(err, &forbidden) {
		return func(t *Translator) string {
			if forbidden.Door != "" {
				return t.F("forbidden: '%s' does not own the door %s (%s covers only one's own doors)", t.Actor(forbidden.Actor), forbidden.Door, forbidden.Permission)
			}
			return t.F("forbidden: '%s' may not %s (%s)", t.Actor(forbidden.Actor), t.T(forbidden.About()), forbidden.Permission)
		}, forbidden
	}
	var missing *core.NotFoundError
	if errors.As(err, &missing) {
		return func(t *Translator) string {
			return t.F("not found: %s '%s'", t.T(missing.What), missing.ID)
		}, missing
	}
	var phrase *core.PhraseError
	if errors.As(err, &phrase) {
		return func(t *Translator) string {
			return t.F(phrase.Err.Error()+": %s", t.Phrase(phrase))
		}, phrase
	}
	var central *core.CentralError
	if errors.As(err, &central) {
		return func(t *Translator) string {
			if central.Central == "" {
				return t.F("%s/%s: the directory is changed at the central site, not at this branch", central.Kind, central.ID)
			}
			return t.F("%s/%s: the directory is changed at the central site %s, not at this branch", central.Kind, central.ID, central.Central)
		}, central
	}
	var own *core.SiteOwnError
	if errors.As(err, &own) {
		return func(t *Translator) string {
			if own.Here == "" {
				return t.F("%s/%s: the id is site %s's: that site changes it, and no other site may use it", own.Kind, own.ID, own.Site)
			}
			return t.F("%s/%s: the id is site %s's, not this site's (%s): that site changes it, and no other site may use it", own.Kind, own.ID, own.Site, own.Here)
		}, own
	}
	if errors.Is(err, core.ErrLogin) {
		// The engine words every refused login the same (core.Login).
		for _, text := range []string{LoginRefused, core.ErrLogin.Error()} {
			if strings.HasSuffix(err.Error(), text) {
				return func(t *Translator) string { return t.T(text) }, errors.New(text)
			}
		}
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) && slices.Contains(FileReasons, pathErr.Err.Error()) {
		return func(t *Translator) string {
			reason := t.T(pathErr.Err.Error())
			if pathErr.Op == "open" {
				return t.F("open %s: %s", pathErr.Path, reason)
			}
			return t.F("%s %s: %s", pathErr.Op, pathErr.Path, reason)
		}, pathErr
	}
	return nil, nil
}

// LoginRefused is the engine's one sentence for a refused login: a wrong
// username or password, an account locked or disabled.
const LoginRefused = "login refused: wrong username or password, or the account is locked or disabled"

// FileReasons are the reasons of a file that could not be read or
// written that the files translate, as the OS words them.
var FileReasons = []string{"no such file or directory", "permission denied", "is a directory", "not a directory", "file exists"}
