package core

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// JustifState is the state of a justification (DESIGN §2.4, seed 001's
// EtatJustificatif). Only valid justifications justify; the others
// organise the administrative work.
type JustifState string

// Justification states.
const (
	JustifPending  JustifState = "pending"
	JustifValid    JustifState = "valid"
	JustifInvalid  JustifState = "invalid"
	JustifModified JustifState = "modified"
)

// JustifStates lists the states in the order screens offer them.
var JustifStates = []JustifState{JustifPending, JustifValid, JustifInvalid, JustifModified}

// ParseJustifState reads a state's name. Errors wrap ErrInvalid.
func ParseJustifState(s string) (JustifState, error) {
	st := JustifState(s)
	if !slices.Contains(JustifStates, st) {
		return "", codedf("bad_choice", vals("value", s), "justification state %q: want pending, valid, invalid or modified", s)
	}
	return st, nil
}

// Justification covers a period of one person's absence or lateness with
// a reason and files (DESIGN §2.4).
type Justification struct {
	ID     string `json:"id"`
	Person string `json:"person"`
	// From and Until bound the period, From inclusive, Until exclusive;
	// stored in UTC.
	From  time.Time   `json:"from"`
	Until time.Time   `json:"until"`
	State JustifState `json:"state"`
	// Reason is personal data: seen only by holders of justif.view and by
	// whoever deposited the justification.
	Reason string `json:"reason,omitempty"`
	// DepositedBy names who created it (Actor.String), DepositedAt when.
	DepositedBy string    `json:"deposited_by"`
	DepositedAt time.Time `json:"deposited_at"`
	// Files is the trace of the files attached, deleted ones included, in
	// the order they were attached.
	Files []JustifFile `json:"files,omitempty"`
	// Withheld is set by Justifications, never stored: the reason or some
	// files are hidden from the actor who asked.
	Withheld bool `json:"withheld,omitempty"`
}

// JustifFile is one line of a justification's file trace (seed 001's
// _trace.csv): which file, deposited when and by whom, deleted when and by
// whom. The content is stored apart, as a StoredFile under KindFile with
// the same id, so that listing justifications never loads file bytes.
type JustifFile struct {
	// ID is unique in the store: "f1", "f2", ...
	ID string `json:"id"`
	// Name is the file name as given, for people.
	Name string `json:"name"`
	// ServerName is the safe ASCII name (see ServerName): what the file is
	// saved as.
	ServerName  string    `json:"server_name"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	DepositedBy string    `json:"deposited_by"`
	DepositedAt time.Time `json:"deposited_at"`
	// DeletedBy and DeletedAt are set when the file is deleted: its
	// content is gone, its trace line stays.
	DeletedBy string    `json:"deleted_by,omitempty"`
	DeletedAt time.Time `json:"deleted_at,omitzero"`
}

// Deleted reports whether the file's content was deleted.
func (f JustifFile) Deleted() bool { return !f.DeletedAt.IsZero() }

// StoredFile is the content of a justification's file, under KindFile.
type StoredFile struct {
	ID   string `json:"id"`
	Data []byte `json:"data"`
}

// MaxJustifFileSize is the largest file a justification may have.
const MaxJustifFileSize = 5 << 20

// CheckJustifFileSize returns an ErrInvalid error for a file of size bytes
// that is empty or larger than MaxJustifFileSize; name is the file's name,
// for the message. The command line calls it before reading a file.
func CheckJustifFileSize(name string, size int64) error {
	switch {
	case size <= 0:
		return phrasef(ErrInvalid, "file %s is empty", name)
	case size > MaxJustifFileSize:
		// Rounded up, so that a file just over the limit does not read
		// as "5.0 MB, more than 5 MB".
		mb := math.Ceil(float64(size)/(1<<20)*10) / 10
		return phrasef(ErrInvalid, "file %s is %.1f MB, more than the %d MB allowed", name, mb, MaxJustifFileSize>>20)
	}
	return nil
}

// maxServerName is the longest server name, id prefix included.
const maxServerName = 64

// maxExtension is the longest extension ServerName keeps apart from the
// stem; a longer ".part" is not an extension.
const maxExtension = 12

// transliterations spell common accented Latin letters in ASCII.
var transliterations = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'À': "A", 'Á': "A", 'Â': "A", 'Ã': "A", 'Ä': "A", 'Å': "A", 'Ā': "A", 'Ă': "A", 'Ą': "A",
	'æ': "ae", 'Æ': "AE", 'ç': "c", 'Ç': "C", 'ć': "c", 'Ć': "C", 'č': "c", 'Č': "C",
	'ď': "d", 'Ď': "D", 'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'È': "E", 'É': "E", 'Ê': "E", 'Ë': "E", 'Ē': "E", 'Ė': "E", 'Ę': "E", 'Ě': "E",
	'ğ': "g", 'Ğ': "G",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'ı': "i", 'į': "i",
	'Ì': "I", 'Í': "I", 'Î': "I", 'Ï': "I", 'Ī': "I", 'İ': "I", 'Į': "I",
	'ł': "l", 'Ł': "L", 'ľ': "l", 'Ľ': "L",
	'ñ': "n", 'Ñ': "N", 'ń': "n", 'Ń': "N", 'ň': "n", 'Ň': "N",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o",
	'Ò': "O", 'Ó': "O", 'Ô': "O", 'Õ': "O", 'Ö': "O", 'Ø': "O", 'Ō': "O", 'Ő': "O",
	'œ': "oe", 'Œ': "OE", 'ř': "r", 'Ř': "R",
	'ś': "s", 'Ś': "S", 'š': "s", 'Š': "S", 'ş': "s", 'Ş': "S", 'ß': "ss",
	'ť': "t", 'Ť': "T", 'ţ': "t", 'Ţ': "T", 'þ': "th", 'Þ': "TH",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u", 'ų': "u",
	'Ù': "U", 'Ú': "U", 'Û': "U", 'Ü': "U", 'Ū': "U", 'Ů': "U", 'Ű': "U", 'Ų': "U",
	'ý': "y", 'ÿ': "y", 'Ý': "Y", 'Ÿ': "Y",
	'ź': "z", 'Ź': "Z", 'ż': "z", 'Ż': "Z", 'ž': "z", 'Ž': "Z",
}

// asciiName spells s with [A-Za-z0-9._-] only: accented Latin letters
// transliterated, anything else an underscore, runs of underscores
// collapsed.
func asciiName(s string) string {
	var b strings.Builder
	put := func(c byte) {
		if c == '_' && strings.HasSuffix(b.String(), "_") {
			return
		}
		b.WriteByte(c)
	}
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '.', r == '-', r == '_':
			put(byte(r))
		case transliterations[r] != "":
			for _, c := range []byte(transliterations[r]) {
				put(c)
			}
		default:
			put('_')
		}
	}
	return b.String()
}

// ServerName returns the safe name a file given as name is saved as: the
// file id, a dash and the name's last path component in ASCII (accented
// Latin letters transliterated, anything outside [A-Za-z0-9._-] an
// underscore, repeats collapsed), at most 64 characters with the extension
// kept: "f3-certificat_medical.pdf". A name with nothing left is the id,
// with the extension if there is one: "f3.pdf", "f3".
func ServerName(id, name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = asciiName(strings.TrimSpace(name))
	stem, ext := name, ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= maxExtension && len(name)-i > 1 {
		stem, ext = name[:i], name[i:]
	}
	stem = strings.Trim(stem, "._-")
	room := maxServerName - len(id) - len("-") - len(ext)
	if len(stem) > room {
		stem = strings.TrimRight(stem[:max(room, 0)], "._-")
	}
	if stem == "" {
		return id + ext
	}
	return id + "-" + stem + ext
}

// Covered reports whether the union of the valid justifications among js
// covers [from, until) entirely: several may join to cover it, a gap
// anywhere leaves it uncovered. Justifications in other states are
// ignored, and so is their person: the caller passes one person's. An
// empty period (until not after from) is not covered.
func Covered(from, until time.Time, js []Justification) bool {
	if !from.Before(until) {
		return false
	}
	var valid []Justification
	for _, j := range js {
		if j.State == JustifValid && j.From.Before(j.Until) {
			valid = append(valid, j)
		}
	}
	slices.SortFunc(valid, func(a, b Justification) int { return a.From.Compare(b.From) })
	reached := from
	for _, j := range valid {
		if j.From.After(reached) {
			break // a gap: the later ones start later still
		}
		if j.Until.After(reached) {
			reached = j.Until
		}
		if !reached.Before(until) {
			return true
		}
	}
	return false
}

// Justified reports whether record r is justified by js (DESIGN §2.4): it
// is late or absent, and the valid justifications of its person cover it
// entirely.
func Justified(r AttendanceRecord, js []Justification) bool {
	if !r.State.Justifiable() {
		return false
	}
	own := make([]Justification, 0, len(js))
	for _, j := range js {
		if j.Person == r.Person {
			own = append(own, j)
		}
	}
	return Covered(r.From, r.Until, own)
}

// storedJustifications returns the justifications of person ("" for
// everyone) that overlap [from, to) (zero bounds are open), ordered by
// From, then id, in full: no permission check, nothing withheld. The
// timesheet and metrics use it inside their own transaction.
func storedJustifications(tx Tx, person string, from, to time.Time) ([]Justification, error) {
	var out []Justification
	err := tx.List(KindJustification, func(_ string, decode func(any) error) error {
		var j Justification
		if err := decode(&j); err != nil {
			return err
		}
		if (person == "" || j.Person == person) && periodMeets(j.From, j.Until, from, to) {
			out = append(out, j)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read justifications: %w", err)
	}
	slices.SortFunc(out, func(a, b Justification) int {
		if c := a.From.Compare(b.From); c != 0 {
			return c
		}
		return counterIDCompare(a.ID, b.ID)
	})
	return out, nil
}

// checkJustification checks a justification's person, period and state.
func checkJustification(j Justification) error {
	ps := checkPeriod(j.Person, j.From, j.Until)
	if _, err := ParseJustifState(string(j.State)); err != nil {
		ps = append(ps, fieldFrom("state", err))
	}
	if err := CheckNote(j.Reason); err != nil {
		ps = append(ps, fieldFrom("reason", err))
	}
	if err := ps.Err(); err != nil {
		return fmt.Errorf("justification: %w", err)
	}
	return nil
}

// seesJustifications checks that s may see justifications at all: with
// justif.view, justif.edit or attendance.view.
func seesJustifications(s subject) error {
	if s.has(PermJustifView) || s.has(PermJustifEdit) || s.has(PermAttendanceView) {
		return nil
	}
	return s.forbid(PermJustifView, "see justifications")
}

// seesFile reports whether s may see file f: holders of justif.view and
// whoever deposited it (seed 001).
func seesFile(s subject, f JustifFile) bool {
	return s.has(PermJustifView) || f.DepositedBy == s.actor.String()
}

// forViewer returns j as s may see it: without justif.view, the reason
// only for whoever deposited the justification, and only the files s
// deposited. Withheld says whether anything was hidden.
func forViewer(s subject, j Justification) Justification {
	j.Files = slices.Clone(j.Files)
	if s.has(PermJustifView) {
		return j
	}
	if j.DepositedBy != s.actor.String() && j.Reason != "" {
		j.Reason, j.Withheld = "", true
	}
	n := len(j.Files)
	j.Files = slices.DeleteFunc(j.Files, func(f JustifFile) bool { return !seesFile(s, f) })
	if len(j.Files) != n {
		j.Withheld = true
	}
	if len(j.Files) == 0 {
		j.Files = nil
	}
	return j
}

// AddJustification stores a new justification and returns it. The engine
// sets ID ("j1", ...), DepositedBy (the actor) and DepositedAt (now); the
// state defaults to pending, and any other state at creation needs
// justif.validate. Files are attached afterwards with AttachFile. Needs
// justif.edit. Errors: ErrInvalid for a bad period or state, ErrNotFound
// for an unknown person.
func (e *Engine) AddJustification(a Actor, j Justification) (Justification, error) {
	s, err := e.require(a, PermJustifEdit, "create justifications")
	if err != nil {
		return Justification{}, err
	}
	if j.State == "" {
		j.State = JustifPending
	}
	if j.State != JustifPending {
		if err := s.need(PermJustifValidate, "create a justification in state "+string(j.State)); err != nil {
			return Justification{}, err
		}
	}
	j.From, j.Until = j.From.UTC(), j.Until.UTC()
	j.Reason = normalizeNote(j.Reason)
	j.DepositedBy, j.DepositedAt = a.String(), e.now().UTC()
	j.Files, j.Withheld = nil, false
	if err := e.personToo(j.Person, checkJustification(j)); err != nil {
		return Justification{}, err
	}
	err = e.change(a, "justif.add", false, func(tx *auditTx) error {
		if _, err := get[Person](tx, KindPerson, j.Person); err != nil {
			return notFound("person", j.Person)
		}
		id, err := tx.NextID(KindJustification)
		if err != nil {
			return err
		}
		j.ID = id
		return tx.Put(KindJustification, j.ID, j)
	})
	if err != nil {
		return Justification{}, fmt.Errorf("add justification: %w", err)
	}
	e.log.Info("justification added", "justification", j.ID, "person", j.Person, "state", j.State, "by", a.String())
	return j, nil
}

// changeJustification applies fn to justification id in an audited
// change and returns it as s sees it.
func (e *Engine) changeJustification(s subject, action, id string, fn func(tx *auditTx, j *Justification) error) (Justification, error) {
	var out Justification
	err := e.change(s.actor, action, false, func(tx *auditTx) error {
		j, err := get[Justification](tx, KindJustification, id)
		if err != nil {
			return notFound("justification", id)
		}
		if err := fn(tx, &j); err != nil {
			return err
		}
		out = j
		return tx.Put(KindJustification, id, j)
	})
	if err != nil {
		return Justification{}, err
	}
	return forViewer(s, out), nil
}

// UpdateJustification changes the period and reason of justification
// j.ID; its person, state, depositor and files are kept, except that a
// valid justification whose period or reason changes becomes modified
// (to be validated again). Needs justif.edit. Errors: ErrNotFound,
// ErrInvalid for a bad period.
func (e *Engine) UpdateJustification(a Actor, j Justification) (Justification, error) {
	s, err := e.require(a, PermJustifEdit, "change justifications")
	if err != nil {
		return Justification{}, err
	}
	out, err := e.changeJustification(s, "justif.update", j.ID, func(_ *auditTx, cur *Justification) error {
		from, until := j.From.UTC(), j.Until.UTC()
		changed := !from.Equal(cur.From) || !until.Equal(cur.Until) || normalizeNote(j.Reason) != cur.Reason
		cur.From, cur.Until, cur.Reason = from, until, normalizeNote(j.Reason)
		if changed && cur.State == JustifValid {
			cur.State = JustifModified
		}
		return checkJustification(*cur)
	})
	if err != nil {
		return Justification{}, fmt.Errorf("change justification: %w", err)
	}
	e.log.Info("justification changed", "justification", out.ID, "state", out.State, "by", a.String())
	return out, nil
}

// SetJustificationState sets the state of justification id. Needs
// justif.validate. Errors: ErrNotFound, ErrInvalid for an unknown state.
func (e *Engine) SetJustificationState(a Actor, id string, state JustifState) (Justification, error) {
	s, err := e.require(a, PermJustifValidate, "change the state of justifications")
	if err != nil {
		return Justification{}, err
	}
	if _, err := ParseJustifState(string(state)); err != nil {
		return Justification{}, fmt.Errorf("set state of justification %s: %w", id, err)
	}
	out, err := e.changeJustification(s, "justif.set-state", id, func(_ *auditTx, j *Justification) error {
		j.State = state
		return nil
	})
	if err != nil {
		return Justification{}, fmt.Errorf("set state of justification %s: %w", id, err)
	}
	e.log.Info("justification state set", "justification", id, "state", state, "by", a.String())
	return out, nil
}

// DeleteJustification removes justification id and the content of its
// files, and returns what it was; the audit trail keeps it, file trace
// included. Needs justif.edit. Errors: ErrNotFound.
func (e *Engine) DeleteJustification(a Actor, id string) (Justification, error) {
	s, err := e.require(a, PermJustifEdit, "delete justifications")
	if err != nil {
		return Justification{}, err
	}
	var old Justification
	err = e.change(a, "justif.delete", false, func(tx *auditTx) error {
		if old, err = get[Justification](tx, KindJustification, id); err != nil {
			return notFound("justification", id)
		}
		for _, f := range old.Files {
			if err := deleteFileContent(tx, f); err != nil {
				return err
			}
		}
		return tx.Delete(KindJustification, id)
	})
	if err != nil {
		return Justification{}, fmt.Errorf("delete justification: %w", err)
	}
	e.log.Info("justification deleted", "justification", id, "by", a.String())
	return forViewer(s, old), nil
}

// deleteFileContent removes the content of f, if there is any. It goes
// around the audit: the trail records the file's trace line in its
// justification, never the bytes.
func deleteFileContent(tx *auditTx, f JustifFile) error {
	if _, ok, err := tx.Tx.Raw(KindFile, f.ID); err != nil || !ok {
		return err
	}
	return tx.Tx.Delete(KindFile, f.ID)
}

// Justifications returns the justifications of person ("" for everyone)
// that overlap [from, to), ordered by From; a zero from or to leaves that
// side open. With justif.view they are in full. Without it, with
// justif.edit or attendance.view, a justification's reason is shown only
// to whoever deposited it and a file only to whoever deposited that file;
// Withheld marks what was hidden. With none of the three: ErrForbidden.
func (e *Engine) Justifications(a Actor, person string, from, to time.Time) ([]Justification, error) {
	s, err := e.subject(a)
	if err != nil {
		return nil, err
	}
	if err := seesJustifications(s); err != nil {
		return nil, err
	}
	var out []Justification
	if err := e.store.View(func(tx Tx) error {
		out, err = storedJustifications(tx, person, from, to)
		return err
	}); err != nil {
		return nil, err
	}
	for i := range out {
		out[i] = forViewer(s, out[i])
	}
	return out, nil
}

// AttachFile attaches a file to justification id: data is stored under
// KindFile and a trace line added to the justification, with the name as
// given, its safe ServerName, size, SHA-256, and who deposited it when.
// Needs justif.edit. Errors: ErrInvalid for an empty file or one larger
// than MaxJustifFileSize (nothing is stored), ErrNotFound.
func (e *Engine) AttachFile(a Actor, id, name string, data []byte) (JustifFile, error) {
	s, err := e.require(a, PermJustifEdit, "attach files to justifications")
	if err != nil {
		return JustifFile{}, err
	}
	name = strings.TrimSpace(name)
	shown := name
	if shown == "" {
		shown = "without a name"
	}
	if err := CheckName(name); err != nil {
		return JustifFile{}, fmt.Errorf("file name %w", err)
	}
	if err := CheckJustifFileSize(shown, int64(len(data))); err != nil {
		return JustifFile{}, err
	}
	sum := sha256.Sum256(data)
	f := JustifFile{Name: name, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]),
		DepositedBy: a.String(), DepositedAt: e.now().UTC()}
	_, err = e.changeJustification(s, "justif.attach", id, func(tx *auditTx, j *Justification) error {
		fid, err := tx.NextID(KindFile)
		if err != nil {
			return err
		}
		f.ID, f.ServerName = fid, ServerName(fid, name)
		if f.Name == "" {
			f.Name = f.ServerName
		}
		// The bytes go around the audit (see deleteFileContent); the
		// trace line below is audited with the file's hash.
		if err := tx.Tx.Put(KindFile, fid, StoredFile{ID: fid, Data: data}); err != nil {
			return err
		}
		j.Files = append(j.Files, f)
		return nil
	})
	if err != nil {
		return JustifFile{}, fmt.Errorf("attach file %s to justification %s: %w", shown, id, err)
	}
	e.log.Info("justification file attached", "justification", id, "file", f.ID, "size", f.Size, "by", a.String())
	return f, nil
}

// justifFile finds file fid in j's trace.
func justifFile(j Justification, fid string) (int, error) {
	i := slices.IndexFunc(j.Files, func(f JustifFile) bool { return f.ID == fid })
	if i < 0 {
		return -1, phrasef(ErrNotFound, "justification %s has no file %q", j.ID, fid)
	}
	return i, nil
}

// fileAccess checks that s may see file f of justification jid, and that
// its content is still there.
func (e *Engine) fileAccess(s subject, jid string, f JustifFile) error {
	if !seesFile(s, f) {
		return fmt.Errorf("%w: %s may not see file %s of justification %s (only whoever deposited it and holders of %s)",
			ErrForbidden, s.actor, f.ID, jid, PermJustifView)
	}
	if f.Deleted() {
		return phrasef(ErrNotFound, "file %s (%s) of justification %s was deleted at %s by %s", f.ID, f.Name, jid, FormatLocal(f.DeletedAt.Truncate(time.Second), e.Location()), f.DeletedBy)
	}
	return nil
}

// FileContent returns the content of file fid of justification jid and
// its trace line. A file is visible only to whoever deposited it and to
// holders of justif.view (ErrForbidden for others); a deleted file is
// ErrNotFound, saying when and by whom it was deleted.
func (e *Engine) FileContent(a Actor, jid, fid string) ([]byte, JustifFile, error) {
	s, err := e.subject(a)
	if err != nil {
		return nil, JustifFile{}, err
	}
	if err := seesJustifications(s); err != nil {
		return nil, JustifFile{}, err
	}
	var data []byte
	var f JustifFile
	err = e.store.View(func(tx Tx) error {
		j, err := get[Justification](tx, KindJustification, jid)
		if err != nil {
			return notFound("justification", jid)
		}
		i, err := justifFile(j, fid)
		if err != nil {
			return err
		}
		f = j.Files[i]
		if err := e.fileAccess(s, jid, f); err != nil {
			return err
		}
		stored, err := get[StoredFile](tx, KindFile, fid)
		if err != nil {
			return fmt.Errorf("file %s of justification %s: content missing: %w", fid, jid, err)
		}
		data = stored.Data
		return nil
	})
	if err != nil {
		return nil, JustifFile{}, err
	}
	return data, f, nil
}

// DeleteFile deletes the content of file fid of justification jid and
// keeps its trace line, marked with who deleted it and when. Needs
// justif.edit, and to see the file (its depositor or justif.view).
// Errors: ErrNotFound, also for a file already deleted.
func (e *Engine) DeleteFile(a Actor, jid, fid string) (JustifFile, error) {
	s, err := e.require(a, PermJustifEdit, "delete files of justifications")
	if err != nil {
		return JustifFile{}, err
	}
	var f JustifFile
	_, err = e.changeJustification(s, "justif.delete-file", jid, func(tx *auditTx, j *Justification) error {
		i, err := justifFile(*j, fid)
		if err != nil {
			return err
		}
		if err := e.fileAccess(s, jid, j.Files[i]); err != nil {
			return err
		}
		j.Files[i].DeletedBy, j.Files[i].DeletedAt = a.String(), tx.at
		f = j.Files[i]
		return deleteFileContent(tx, f)
	})
	if err != nil {
		return JustifFile{}, fmt.Errorf("delete file %s of justification %s: %w", fid, jid, err)
	}
	e.log.Info("justification file deleted", "justification", jid, "file", fid, "by", a.String())
	return f, nil
}
