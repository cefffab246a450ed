package ui

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
	"frontdesk/core/i18n"
)

// A form's problems, each under its field. The engine reports every
// problem of a form at once (core.Problems), each naming its field and
// the rule broken by a code with its values; problemSpots shows each
// under its field, as "Owners: nobody called 'nobody'", in the window's
// language. The form's own checks (a date that does not read) make
// problems of the same kind (fieldError), collected with the others
// rather than stopping at the first.

// problemSpots are the places of a form's problems: a red label under
// each field, found by the engine's names of the field, and one under
// the form for the problems of no field it shows.
type problemSpots struct {
	fields map[string]*problemSpot
	rest   *widget.Label
}

// problemSpot is the red label under one field, and the field's name as
// the form shows it.
type problemSpot struct {
	label string
	text  *widget.Label
	lines []string
	// cell holds the field's widget over text, when under laid it out.
	cell *fyne.Container
}

// newProblemSpots makes the spots of a form whose other problems go to
// rest (a problemLabel under the form).
func newProblemSpots(rest *widget.Label) *problemSpots {
	return &problemSpots{fields: map[string]*problemSpot{}, rest: rest}
}

// under lays w over the red label of its problems: those of the engine's
// fields named ("owners": also "owners[1]"; "rules.doors": also
// "rules[0].doors[1]"), shown as the form's label
// names the field.
func (ps *problemSpots) under(w fyne.CanvasObject, label string, fields ...string) fyne.CanvasObject {
	text := ps.spot(label, fields...)
	cell := container.NewVBox(w, text)
	ps.fields[fields[0]].cell = cell
	return cell
}

// item is a form item of w under label, with the problems of fields
// under w.
func (ps *problemSpots) item(label string, w fyne.CanvasObject, fields ...string) *widget.FormItem {
	return widget.NewFormItem(label, ps.under(w, label, fields...))
}

// spot returns the red label for the problems of fields, for a form that
// places it itself.
func (ps *problemSpots) spot(label string, fields ...string) *widget.Label {
	s := &problemSpot{label: label, text: problemLabel()}
	for _, f := range fields {
		ps.fields[f] = s
	}
	return s.text
}

// clear hides every problem.
func (ps *problemSpots) clear() {
	for _, s := range ps.fields {
		s.lines = nil
		s.text.Hide()
	}
	if ps.rest != nil {
		ps.rest.Hide()
	}
}

// show shows the problems of err, each under its field, and reports
// whether err was about the input: invalid, in conflict or naming what
// does not exist. Anything else (a refusal, a store that failed) is left
// to the caller, with every spot cleared.
func (ps *problemSpots) show(err error) bool {
	ps.clear()
	if err == nil || errors.Is(err, core.ErrForbidden) ||
		!errors.Is(err, core.ErrInvalid) && !errors.Is(err, core.ErrConflict) && !errors.Is(err, core.ErrNotFound) {
		return false
	}
	var rest []string
	problems := core.ProblemsOf(err)
	for _, p := range problems {
		field := formField(p.Field)
		s := ps.fields[field]
		if s == nil {
			s = ps.fields[indexes.ReplaceAllString(field, "")]
		}
		if s == nil {
			s = ps.fields[listField(field)]
		}
		if s != nil && s.cell != nil && !s.cell.Visible() {
			s = nil // a field the form hides now: said under the form
		}
		text := problemText(p)
		if s == nil {
			if label, ok := fieldLabel(listField(field)); ok {
				text = withLabel(label, text)
			} else if field != "" {
				text = withLabel(field, text)
			}
			rest = append(rest, text)
			continue
		}
		if s.label != "" {
			text = withLabel(s.label, text)
		}
		s.lines = append(s.lines, text)
	}
	for _, s := range ps.fields {
		if len(s.lines) > 0 {
			s.text.SetText(strings.Join(s.lines, "\n"))
			s.text.Show()
		}
	}
	if len(problems) == 0 {
		rest = append(rest, errorText(err))
	}
	if len(rest) > 0 && ps.rest != nil {
		ps.rest.SetText(strings.Join(rest, "\n"))
		ps.rest.Show()
	}
	return true
}

// withLabel puts a field's label in front of its problem, as the
// window's language does: "Owners: ...", "Propriétaires : ...".
func withLabel(label, text string) string {
	return fmt.Sprintf(lang.L("%s: %s"), label, text)
}

// shownText is what the spot of field shows, "" when hidden.
func (ps *problemSpots) shownText(field string) string {
	if s := ps.fields[field]; s != nil && s.text.Visible() {
		return s.text.Text
	}
	return ""
}

// formField is a problem's field as a form knows it: a site file's path
// loses the list and index of its object, "doors[0].owners[1]" is
// "owners[1]", "site.timezone" is "timezone".
func formField(path string) string {
	return filePathHead.ReplaceAllString(path, "")
}

// filePathHead is the list and index that begins a site file path:
// "doors[0].", "site.".
var filePathHead = regexp.MustCompile(`^[a-z_]+(\[\d+\])?\.`)

// indexes are the indexes of a path: "rules[0].doors[1]" is
// "rules.doors" without them.
var indexes = regexp.MustCompile(`\[\d+\]`)

// listField is a field without its index: "owners[1]" is "owners".
func listField(field string) string {
	name, _, _ := strings.Cut(field, "[")
	return name
}

// errorText is err for people, in the window's language: an error of
// the engine's that the files word (a refusal, an object not found, a
// sentence of the engine's, a change refused at a branch, a refused
// login, a file) said in it after the context it came with; the problems
// of an input each said by its code, a line each; anything else its
// text without the sentinel's name.
func errorText(err error) string {
	tr := i18n.New(windowLanguage())
	if say, said := i18n.Saying(err); said != nil {
		text := say(tr)
		var phrase *core.PhraseError
		if errors.As(said, &phrase) {
			text = tr.Phrase(phrase) // the sentence, without the sentinel's name
		}
		if context, ok := strings.CutSuffix(err.Error(), said.Error()); ok && context != "" {
			return plainText(errors.New(context)) + text
		}
		return text
	}
	if problems := core.ProblemsOf(err); len(problems) > 0 {
		lines := make([]string, len(problems))
		for i, p := range problems {
			lines[i] = problemText(p)
		}
		return strings.Join(lines, "\n")
	}
	return plainText(err)
}

// plainText is err's message without the sentinel's name, which means
// nothing to people ("invalid: ...").
func plainText(err error) string {
	msg := err.Error()
	for _, sentinel := range []error{core.ErrInvalid, core.ErrConflict, core.ErrNotFound} {
		msg = strings.TrimPrefix(msg, sentinel.Error()+": ")
	}
	return msg
}

// fieldError is a problem with one field of a form, found before the
// engine is asked, worded already: it joins the engine's problems
// (core.Problems) and shows under its field.
func fieldError(field, problem string) *core.FieldError {
	return &core.FieldError{Field: field, Problem: problem, Err: core.ErrInvalid}
}

// required returns a problem for each empty value of values, given as
// value, field pairs: the form's own checks, which stop the engine from
// being asked, name the empty required fields too, so that the form shows
// every problem at once.
func required(values ...string) core.Problems {
	var ps core.Problems
	for i := 0; i+1 < len(values); i += 2 {
		if strings.TrimSpace(values[i]) == "" {
			ps = append(ps, &core.FieldError{Field: values[i+1], Problem: "required", Code: "required", Err: core.ErrInvalid})
		}
	}
	return ps
}

// problemText says a problem in the window's language: the sentence of
// its code with its values, or, for a problem without a code (a form's
// own, already worded), its text.
func problemText(p *core.FieldError) string {
	return i18n.New(windowLanguage()).Problem(p)
}
