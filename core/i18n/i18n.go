// Package i18n writes core's texts in the reader's language outside the
// window: reasons of events (core.Reason), the PDF reports, the command
// line's tables. It reads the translation files the window uses
// (assets.Translations, keyed by the English text) with go-i18n, so that
// plurals take the forms of each language (Russian has three), and keeps
// core free of both go-i18n and Fyne.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"frontdesk/assets"
	"frontdesk/core"
)

// Languages are the languages Frontdesk speaks, by code; English, the
// first, is the language of the keys and needs no file.
var Languages = core.Languages

// Supported reports whether code is one of Languages.
func Supported(code string) bool { return slices.Contains(Languages, code) }

// bundle holds every translation file, read once.
var bundle = sync.OnceValues(func() (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.ReadDir(assets.Translations, "translations")
	if err != nil {
		return b, err
	}
	for _, f := range files {
		name := path.Join("translations", f.Name())
		data, err := fs.ReadFile(assets.Translations, name)
		if err != nil {
			return b, err
		}
		if _, err := b.ParseMessageFileBytes(data, f.Name()); err != nil {
			return b, fmt.Errorf("translations %s: %w", f.Name(), err)
		}
	}
	return b, nil
})

// Translator writes texts in one language. The zero value and nil write
// English.
type Translator struct {
	lang string
	loc  *i18n.Localizer
}

// New returns the translator of language code ("en", "fr", "ru"); an
// unknown code gives English. An error reading the embedded files, which
// a test catches, also gives English.
func New(code string) *Translator {
	if t, ok := translators.Load(code); ok {
		return t.(*Translator)
	}
	t := &Translator{lang: "en"}
	if b, err := bundle(); err == nil && Supported(code) && code != "en" {
		t = &Translator{lang: code, loc: i18n.NewLocalizer(b, code)}
	}
	if Supported(code) {
		translators.Store(code, t)
	}
	return t
}

// translators holds the translator of each language, made once: a
// translator does not change, and the screens ask for one per row.
var translators sync.Map

// Check reports an error reading the translation files, for tests and
// for the program's start.
func Check() error {
	_, err := bundle()
	return err
}

// Language is the translator's language code.
func (t *Translator) Language() string {
	if t == nil || t.lang == "" {
		return "en"
	}
	return t.lang
}

// localize writes the message of id with data, in the plural form of
// count when count is not nil; english and one are the English forms.
func (t *Translator) localize(id, english, one string, count any, data map[string]string) string {
	if t == nil || t.loc == nil {
		if n, ok := count.(int); ok && n == 1 && one != "" {
			return core.Fill(one, data)
		}
		return core.Fill(english, data)
	}
	msg := &i18n.Message{ID: id, Other: english, One: one}
	if one == "" {
		msg.One = english
	}
	cfg := &i18n.LocalizeConfig{DefaultMessage: msg, TemplateData: data}
	if count != nil {
		cfg.PluralCount = count
	}
	s, err := t.loc.Localize(cfg)
	if err != nil {
		return core.Fill(english, data)
	}
	return s
}

// T is english in the translator's language, or english itself when the
// files have no translation.
func (t *Translator) T(english string) string {
	if t == nil || t.loc == nil {
		return english
	}
	s, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: english})
	if err != nil || s == "" {
		return english
	}
	return s
}

// F is fmt.Sprintf of format translated: the files key such texts by
// the format ("Page %d of %s").
func (t *Translator) F(format string, args ...any) string {
	return fmt.Sprintf(t.T(format), args...)
}

// Actor names who did something (core.Actor's String: "command line
// (root)", "system", "device desk", or an account's name) in the
// language; an account's name stays as it is.
func (t *Translator) Actor(by string) string {
	if name, ok := strings.CutPrefix(by, "command line ("); ok && strings.HasSuffix(name, ")") {
		return t.F("command line (%s)", strings.TrimSuffix(name, ")"))
	}
	if by == "system" {
		return t.T("system")
	}
	if name, ok := strings.CutPrefix(by, "device "); ok {
		return t.F("device %s", name)
	}
	return by
}

// N says count of something: key names the message, an object of the
// language's plural forms each with {{.Count}}; one and other are the
// English forms ("{{.Count}} person", "{{.Count}} people"). kv are
// more values the forms name, as name, value pairs ("Total", "3").
func (t *Translator) N(key, one, other string, count int, kv ...string) string {
	data := map[string]string{"Count": t.Number(count)}
	for i := 0; i+1 < len(kv); i += 2 {
		data[kv[i]] = kv[i+1]
	}
	if t == nil || t.loc == nil {
		if count == 1 {
			return core.Fill(one, data)
		}
		return core.Fill(other, data)
	}
	s, err := t.loc.Localize(&i18n.LocalizeConfig{
		DefaultMessage: &i18n.Message{ID: key, One: one, Other: other},
		PluralCount:    count, TemplateData: data,
	})
	if err != nil {
		if count == 1 {
			return core.Fill(one, data)
		}
		return core.Fill(other, data)
	}
	return s
}

// Reason writes r in the translator's language; nil is "".
func (t *Translator) Reason(r *core.Reason) string {
	if r == nil {
		return ""
	}
	other, one := r.Code.Text()
	if other == "" {
		return string(r.Code)
	}
	data := make(map[string]string, len(r.Args))
	for k, v := range r.Args {
		switch {
		case slices.Contains(core.WordArgs, k):
			v = t.T(v)
		case slices.Contains(core.ListArgs, k):
			v = t.Join(strings.Split(v, core.ListSep))
		default:
			v = t.instant(v)
		}
		data[k] = v
	}
	var count any
	if n, ok := r.Count(); ok && one != "" {
		count = n
	}
	return t.localize(other, other, one, count, data)
}

// Explain is why e happened, in the translator's language: its reason,
// or for an event logged before reasons existed its English explanation.
func (t *Translator) Explain(e core.Event) string {
	if e.Why == nil {
		return e.Explanation
	}
	return t.Reason(e.Why)
}

// maxNamed is how many items Join names before "and N more".
const maxNamed = 3

// Join joins items as "a, b and c" in the translator's language, naming
// at most maxNamed of them.
func (t *Translator) Join(items []string) string {
	switch {
	case len(items) > maxNamed+1:
		return t.F("%s and %d more", strings.Join(items[:maxNamed], ", "), len(items)-maxNamed)
	case len(items) < 2:
		return strings.Join(items, "")
	}
	return t.F("%s and %s", strings.Join(items[:len(items)-1], ", "), items[len(items)-1])
}

// DateLayout is the language's layout of a date for time.Format:
// "2006-01-02" in English (ISO, as the site file), "02/01/2006" in French,
// "02.01.2006" in Russian. The files hold it under the key "2006-01-02".
func (t *Translator) DateLayout() string { return t.T("2006-01-02") }

// Number writes n with the language's thousands separator: "12,345" in
// English, "12 345" (with a no-break space) in French and Russian.
func (t *Translator) Number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	if t.Language() != "en" {
		sep = "\u00a0"
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Decimal writes a decimal number given with a point ("12.5") with the
// language's decimal mark: "12,5" in French and Russian.
func (t *Translator) Decimal(s string) string {
	if t.Language() == "en" {
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}

// instant rewrites a value written as core writes instants and dates
// ("2006-01-02 15:04", "2006-01-02T15:04", RFC 3339, "2006-01-02") in the
// language's way; other
// values are returned as they are.
func (t *Translator) instant(v string) string {
	if t.Language() == "en" || len(v) < 10 {
		return v
	}
	layout := t.DateLayout()
	for _, in := range []string{"2006-01-02 15:04", "2006-01-02T15:04"} { // the second, core.FormatLocal's
		if d, err := time.Parse(in, v); err == nil {
			return d.Format(layout + " 15:04")
		}
	}
	if d, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return d.Format(layout + " 15:04")
	}
	if d, err := time.Parse("2006-01-02", v); err == nil {
		return d.Format(layout)
	}
	return v
}

// Has reports whether the files translate message id into the
// translator's language; English has every message.
func (t *Translator) Has(id string) bool {
	if t == nil || t.loc == nil {
		return true
	}
	_, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: id})
	return err == nil
}

// Result names an event's result in the translator's language: the
// files hold it under "result." and its code. English keeps the code
// itself ("denied_no_access"), which scripts reading a table already
// match; so does a result newer than the files.
func (t *Translator) Result(r core.Result) string {
	if t.Language() == "en" {
		return string(r)
	}
	id := "result." + string(r)
	if !t.Has(id) {
		return string(r)
	}
	return t.T(id)
}
