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
// read or written. It returns that error, which may be wrapped in err
// with some context before it, and its wording in a translator's
// language; nil and nil when err has none of them. Both the command line
// and the window say errors through it.
func Saying(err error) (error, func(*Translator) string) {
	var forbidden core.ForbiddenError
	if errors.As(err, &forbidden) {
		return forbidden, func(t *Translator) string {
			if forbidden.Door != "" {
				return t.F("forbidden: '%s' does not own the door %s (%s covers only one's own doors)", t.Actor(forbidden.Actor), forbidden.Door, forbidden.Permission)
			}
			return t.F("forbidden: '%s' may not %s (%s)", t.Actor(forbidden.Actor), t.T(forbidden.About()), forbidden.Permission)
		}
	}
	var missing *core.NotFoundError
	if errors.As(err, &missing) {
		return missing, func(t *Translator) string {
			return t.F("not found: %s '%s'", t.T(missing.What), missing.ID)
		}
	}
	var phrase *core.PhraseError
	if errors.As(err, &phrase) {
		return phrase, func(t *Translator) string {
			return t.F(phrase.Err.Error()+": %s", t.Phrase(phrase))
		}
	}
	var central *core.CentralError
	if errors.As(err, &central) {
		return central, func(t *Translator) string {
			if central.Central == "" {
				return t.F("%s/%s: the directory is changed at the central site, not at this branch", central.Kind, central.ID)
			}
			return t.F("%s/%s: the directory is changed at the central site %s, not at this branch", central.Kind, central.ID, central.Central)
		}
	}
	var own *core.SiteOwnError
	if errors.As(err, &own) {
		return own, func(t *Translator) string {
			if own.Here == "" {
				return t.F("%s/%s: the id is site %s's: that site changes it, and no other site may use it", own.Kind, own.ID, own.Site)
			}
			return t.F("%s/%s: the id is site %s's, not this site's (%s): that site changes it, and no other site may use it", own.Kind, own.ID, own.Site, own.Here)
		}
	}
	if errors.Is(err, core.ErrLogin) {
		// The engine words every refused login the same (core.Login).
		for _, text := range []string{LoginRefused, core.ErrLogin.Error()} {
			if strings.HasSuffix(err.Error(), text) {
				return errors.New(text), func(t *Translator) string { return t.T(text) }
			}
		}
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) && slices.Contains(FileReasons, pathErr.Err.Error()) {
		return pathErr, func(t *Translator) string {
			reason := t.T(pathErr.Err.Error())
			if pathErr.Op == "open" {
				return t.F("open %s: %s", pathErr.Path, reason)
			}
			return t.F("%s %s: %s", pathErr.Op, pathErr.Path, reason)
		}
	}
	return nil, nil
}

// LoginRefused is the engine's one sentence for a refused login: a wrong
// username or password, an account locked or disabled.
const LoginRefused = "login refused: wrong username or password, or the account is locked or disabled"

// FileReasons are the reasons of a file that could not be read or
// written that the files translate, as the OS words them.
var FileReasons = []string{"no such file or directory", "permission denied", "is a directory", "not a directory", "file exists"}
