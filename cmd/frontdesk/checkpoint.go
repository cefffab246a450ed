package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"frontdesk/core"
	"frontdesk/core/httpapi"
	"frontdesk/core/i18n"
	"frontdesk/storage"
	"frontdesk/storage/anchor"
)

// anchorError is a log that does not hold to a signed checkpoint, or that
// no longer extends the last one: exit status 3, as for damage.
type anchorError struct {
	msg string
	// say words msg in a language; nil keeps msg.
	say func(tr *i18n.Translator) string
}

func (e anchorError) Error() string { return e.msg }

// anchorSaid is the anchorError worded by say.
func anchorSaid(say func(tr *i18n.Translator) string) anchorError {
	return anchorError{msg: say(nil), say: say}
}

// in is the error in tr's language (errorLines).
func (e anchorError) in(tr *i18n.Translator) string {
	if e.say == nil {
		return e.msg
	}
	return e.say(tr)
}

// checkpointer makes the signed checkpoints of one database and appends
// them to its checkpoint file (docs/checkpoints.md). It is safe for
// concurrent use: the window's reports and the daily checkpoint share it.
type checkpointer struct {
	db     *storage.DB
	dbPath string
	// dir is the folder of the key and files; "" is anchor.Dir().
	dir string
	now core.Clock
	mu  sync.Mutex
}

// checkpoints is m's checkpointer, made at first use.
func (m *Main) checkpoints() *checkpointer {
	m.anchorsOnce.Do(func() {
		now := m.Now
		if now == nil {
			now = time.Now
		}
		m.anchors = &checkpointer{db: m.DB, dbPath: m.DBPath, dir: m.ConfigDir, now: now}
	})
	return m.anchors
}

// folder is where the key and the checkpoint files are.
func (cp *checkpointer) folder() (string, error) {
	if cp.dir != "" {
		return cp.dir, nil
	}
	return anchor.Dir()
}

// file is the database's checkpoint file.
func (cp *checkpointer) file() (string, error) {
	dir, err := cp.folder()
	if err != nil {
		return "", err
	}
	return anchor.FileFor(dir, cp.dbPath), nil
}

// make signs where the event log and the audit trail end and appends the
// checkpoint to the file, which it returns. It first checks that both
// chains still extend the last checkpoint of the file that this PC's key
// signed (from their first entry when there is none): a log changed or
// cut off since is never signed over, and the error, an anchorError,
// says so. The walk of the chains ends with ctx.
func (cp *checkpointer) make(ctx context.Context) (anchor.Checkpoint, string, error) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	dir, err := cp.folder()
	if err != nil {
		return anchor.Checkpoint{}, "", err
	}
	key, err := anchor.OpenKey(dir)
	if err != nil {
		return anchor.Checkpoint{}, "", err
	}
	site, err := cp.db.SiteID(true)
	if err != nil {
		return anchor.Checkpoint{}, "", err
	}
	path := anchor.FileFor(dir, cp.dbPath)
	ours := []anchor.PublicKey{key.Public()}
	last, found, err := anchor.Latest(path, func(c anchor.Checkpoint) bool { return c.Verify(ours) == nil })
	if err != nil {
		return anchor.Checkpoint{}, "", err
	}
	if found && last.Site != site {
		return anchor.Checkpoint{}, "", anchorSaid(func(tr *i18n.Translator) string {
			return tr.F("no checkpoint made: the checkpoint file %s ends with one of site %s, and this database is site %s: "+
				"another database was at %s, or this one's identity was changed; move the file aside to start a new series",
				path, last.Site, site, cp.dbPath)
		})
	}
	heads := [2]anchor.Head{}
	for i, chain := range []storage.Chain{storage.EventLog, storage.AuditTrail} {
		from := storage.Link{}
		if found {
			h := last.Events
			if chain == storage.AuditTrail {
				h = last.Audit
			}
			from = storage.Link{Seq: h.Seq, Hash: h.Hash}
		}
		st, err := cp.db.CheckChain(ctx, chain, from)
		if err != nil {
			return anchor.Checkpoint{}, "", err
		}
		if st.Broken != 0 {
			if !found {
				return anchor.Checkpoint{}, "", anchorSaid(func(tr *i18n.Translator) string {
					return tr.F("no checkpoint made: the %s is damaged: %s; run frontdesk verify",
						chainName(tr, chain), chainFault(tr, chain, st))
				})
			}
			return anchor.Checkpoint{}, "", anchorSaid(func(tr *i18n.Translator) string {
				return tr.F("no checkpoint made: the %s no longer extends the checkpoint of %s: %s; run frontdesk verify --checkpoint %s "+
					"(if events were lost by restoring an older backup, move that file aside to start a new series)",
					chainName(tr, chain), last.At.Format(time.RFC3339), chainFault(tr, chain, st), path)
			})
		}
		heads[i] = anchor.Head{Seq: st.Last.Seq, Hash: st.Last.Hash}
	}
	c := key.Sign(anchor.Checkpoint{Site: site, Events: heads[0], Audit: heads[1], At: cp.now()})
	if found && c.String() == last.String() {
		return c, path, nil // made twice in a second: the file has it
	}
	if err := anchor.Append(path, c); err != nil {
		return anchor.Checkpoint{}, "", err
	}
	return c, path, nil
}

// forReport is the checkpoint a report's footer carries: a new one, or
// when none can be made, the latest this PC's key signed in the file.
// The error says why no new one was made; the line is "" when there is
// none at all.
func (cp *checkpointer) forReport() (string, error) {
	c, _, err := cp.make(context.Background())
	if err == nil {
		return c.String(), nil
	}
	path, ferr := cp.file()
	if ferr != nil {
		return "", err
	}
	dir, _ := cp.folder()
	key, kerr := anchor.LoadKey(dir)
	if kerr != nil {
		return "", err
	}
	ours := []anchor.PublicKey{key.Public()}
	last, found, _ := anchor.Latest(path, func(c anchor.Checkpoint) bool { return c.Verify(ours) == nil })
	if !found {
		return "", err
	}
	return last.String(), err
}

// reportCheckpoint is forReport for the window: the reason no new
// checkpoint was made goes to the log.
func reportCheckpoint(m *Main) func() string {
	return func() string {
		line, err := m.checkpoints().forReport()
		if err != nil {
			m.Log.Warn("report checkpoint", "err", err)
		}
		return line
	}
}

// checkpointEvery is how often the running app looks whether a day has
// passed since its last checkpoint.
const checkpointEvery = time.Minute

// runCheckpoints appends a checkpoint at once, then one the first time
// each day (in the site's zone) it looks, until ctx ends. runDevices makes
// the last one, once the devices have stopped (stopCheckpoint). A
// checkpoint that cannot be made is logged and tried again the next day.
func runCheckpoints(ctx context.Context, m *Main) {
	every := m.CheckpointEvery
	if every <= 0 {
		every = checkpointEvery
	}
	today := func() core.Date { return core.DateOf(m.Now(), m.Engine.Location()) }
	last := today()
	writeCheckpoint(ctx, m, "start")
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
		if d := today(); d != last {
			last = d
			writeCheckpoint(ctx, m, "daily")
		}
	}
}

// stopCheckpointWithin bounds the checkpoint made at a stop: the first
// one of a large log walks all of it, and a service must stop within 2 s.
const stopCheckpointWithin = time.Second

// stopCheckpoint makes the running app's checkpoint at a clean stop.
func stopCheckpoint(m *Main) {
	ctx, cancel := context.WithTimeout(context.Background(), stopCheckpointWithin)
	defer cancel()
	writeCheckpoint(ctx, m, "stop")
}

// writeCheckpoint makes one checkpoint of the running app and logs it.
func writeCheckpoint(ctx context.Context, m *Main, why string) {
	c, path, err := m.checkpoints().make(ctx)
	if err != nil {
		m.Log.Error("checkpoint", "when", why, "err", err)
		return
	}
	m.Log.Info("checkpoint", "when", why, "file", path, "events", c.Events.Seq, "audit", c.Audit.Seq)
}

// checkpointJSON is what `checkpoint --json` prints.
type checkpointJSON struct {
	Checkpoint string      `json:"checkpoint"`
	Site       string      `json:"site"`
	Events     anchor.Head `json:"events"`
	Audit      anchor.Head `json:"audit"`
	At         string      `json:"at"`
	Key        string      `json:"key"`
	File       string      `json:"file"`
	// New is false when the database was in use and the checkpoint is
	// the latest its running app wrote.
	New bool `json:"new"`
}

func newCheckpointJSON(c anchor.Checkpoint, file string, fresh bool) checkpointJSON {
	return checkpointJSON{Checkpoint: c.String(), Site: c.Site, Events: c.Events, Audit: c.Audit,
		At: c.At.Format(time.RFC3339), Key: c.Key, File: file, New: fresh}
}

// checkpoint prints a new signed checkpoint of the database and appends
// it to its checkpoint file; with --public-key, the key that checks them.
func (c *command) checkpoint(args []string) error {
	fs := c.flags("checkpoint", "[--public-key]")
	pub := fs.Bool("public-key", false, "print the public key that checks this PC's checkpoints, for verify --key on another PC")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *pub {
		return c.publicKey()
	}
	err := c.open()
	if errors.Is(err, storage.ErrInUse) {
		return c.latestCheckpoint(err)
	}
	if err != nil {
		return err
	}
	defer c.close()
	if err := c.api.Authorize(c.actor(), core.PermBackupRun); err != nil {
		return err
	}
	var cp anchor.Checkpoint
	var path string
	if c.remote != nil {
		// The service signs with its key and keeps the file.
		text, err := c.remote.Checkpoint(c.actor())
		if err != nil {
			return err
		}
		if cp, err = anchor.Parse(text); err != nil {
			return err
		}
		path = "the checkpoint file of the service on " + c.remote.Where()
	} else {
		var err error
		if cp, path, err = c.main.checkpoints().make(context.Background()); err != nil {
			return err
		}
	}
	if c.json {
		return c.printJSON(newCheckpointJSON(cp, path, true))
	}
	fmt.Fprintln(c.stdout, cp)
	fmt.Fprintf(c.stderr, "frontdesk: checkpoint appended to %s\n", path)
	return nil
}

// latestCheckpoint answers `checkpoint` while another Frontdesk holds the
// database: with the latest checkpoint its running app wrote, and says so.
func (c *command) latestCheckpoint(inUse error) error {
	cp := &checkpointer{dbPath: c.db}
	path, err := cp.file()
	if err != nil {
		return inUse
	}
	dir, _ := cp.folder()
	key, err := anchor.LoadKey(dir)
	if err != nil {
		return inUse
	}
	ours := []anchor.PublicKey{key.Public()}
	last, found, err := anchor.Latest(path, func(c anchor.Checkpoint) bool { return c.Verify(ours) == nil })
	if err != nil || !found {
		return inUse
	}
	if c.json {
		return c.printJSON(newCheckpointJSON(last, path, false))
	}
	fmt.Fprintln(c.stdout, last)
	fmt.Fprintf(c.stderr, "frontdesk: %v; this is the latest checkpoint the running app wrote, at %s (%s)\n",
		inUse, last.At.Local().Format("2006-01-02 15:04:05"), path)
	return nil
}

// publicKey prints the public half of this PC's checkpoint key, made at
// first use.
func (c *command) publicKey() error {
	cp := &checkpointer{}
	dir, err := cp.folder()
	if err != nil {
		return err
	}
	key, err := anchor.OpenKey(dir)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(map[string]string{"key": key.Public().ID(), "public_key": key.Public().String(), "file": anchor.KeyPath(dir)})
	}
	fmt.Fprintln(c.stdout, key.Public())
	return nil
}

// checkpointFlags are verify's --checkpoint and --key.
type checkpointFlags struct {
	sources, keys listFlag
}

// listFlag is a flag that may be given more than once.
type listFlag []string

func (l *listFlag) String() string     { return fmt.Sprint([]string(*l)) }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// addCheckpointFlags adds --checkpoint and --key to verify's flags.
func addCheckpointFlags(fs *flag.FlagSet) *checkpointFlags {
	f := &checkpointFlags{}
	fs.Var(&f.sources, "checkpoint", "check the logs against the checkpoints of `FILE` (such as the daily checkpoint file), or against one checkpoint's TEXT; may be repeated")
	fs.Var(&f.keys, "key", "also trust the public `KEY` (ed25519:HEX, or a file holding it or a PEM PUBLIC KEY); may be repeated")
	return f
}

// checkProblem is one check a checkpoint fails. Check is a stable code:
// format, key, signature, site, events.unchanged, events.complete,
// audit.unchanged, audit.complete.
type checkProblem struct {
	Check   string `json:"check"`
	Message string `json:"message"` // in English, for programs and logs

	// say words the problem in a language; nil for a message of another
	// part, English only.
	say func(tr *i18n.Translator) string
}

// problemSaid is a problem of check worded by say: Message is its
// English.
func problemSaid(check string, say func(tr *i18n.Translator) string) checkProblem {
	return checkProblem{Check: check, Message: say(nil), say: say}
}

// in is the problem in tr's language.
func (p checkProblem) in(tr *i18n.Translator) string {
	if p.say == nil {
		return p.Message
	}
	return p.say(tr)
}

// checkpointResult is how one checkpoint fared.
type checkpointResult struct {
	// Source is where it was read: FILE:LINE, or text:LINE.
	Source     string         `json:"source"`
	Checkpoint string         `json:"checkpoint"`
	At         string         `json:"at,omitempty"`
	Events     *anchor.Head   `json:"events,omitempty"`
	Audit      *anchor.Head   `json:"audit,omitempty"`
	Holds      bool           `json:"holds"`
	Problems   []checkProblem `json:"problems"`

	at time.Time
}

// checkpointReport is what verify --checkpoint found.
type checkpointReport struct {
	Checked int `json:"checked"`
	Hold    int `json:"hold"`
	// Latest is the latest checkpoint that holds; nil when none does.
	Latest *checkpointResult `json:"latest_holding"`
	// Ends are the last entries of the event log and the audit trail.
	EventsEnd uint64             `json:"events_end"`
	AuditEnd  uint64             `json:"audit_end"`
	Results   []checkpointResult `json:"checkpoints"`
}

// err is the report's outcome: an anchorError when a checkpoint does not
// hold.
func (r *checkpointReport) err() error {
	var say func(tr *i18n.Translator) string
	switch n := r.Checked - r.Hold; {
	case n == 0:
		return nil
	case r.Checked == 1:
		say = func(tr *i18n.Translator) string { return tr.T("the checkpoint does not hold") }
	default:
		say = func(tr *i18n.Translator) string {
			return tr.N("{{.Count}} of {{.Total}} checkpoints do not hold", "{{.Count}} of {{.Total}} checkpoints do not hold",
				"{{.Count}} of {{.Total}} checkpoints do not hold", n, "Total", tr.Number(r.Checked))
		}
	}
	return anchorSaid(say)
}

// checkCheckpoints checks the logs against every checkpoint the flags
// give, with this PC's key and those of --key.
func (c *command) checkCheckpoints(f *checkpointFlags) (*checkpointReport, error) {
	var entries []anchor.Entry
	var sources []string
	for _, src := range f.sources {
		es, name, err := readCheckpoints(src)
		if err != nil {
			return nil, err
		}
		entries = append(entries, es...)
		for range es {
			sources = append(sources, name)
		}
	}
	var evWant, auWant []uint64
	for _, e := range entries {
		if e.Err == nil {
			evWant = append(evWant, e.Checkpoint.Events.Seq)
			auWant = append(auWant, e.Checkpoint.Audit.Seq)
		}
	}
	var site string
	var evs, aud storage.ChainState
	given := f.keys
	cp := &checkpointer{dbPath: c.db}
	if c.remote != nil {
		// The service walks the live chains; its own key is trusted with
		// this PC's and those given.
		ch, err := c.remote.Chains(c.actor(), httpapi.ChainsQuery{Events: evWant, Audit: auWant})
		if err != nil {
			return nil, err
		}
		site, evs, aud = ch.Site, ch.Events, ch.Audit
		if ch.PublicKey != "" {
			given = append(slices.Clip(given), ch.PublicKey)
		}
	} else {
		cp = c.main.checkpoints()
		db := c.main.DB
		var err error
		if site, err = db.SiteID(false); err != nil {
			return nil, err
		}
		if evs, err = db.CheckChain(context.Background(), storage.EventLog, storage.Link{}, evWant...); err != nil {
			return nil, err
		}
		if aud, err = db.CheckChain(context.Background(), storage.AuditTrail, storage.Link{}, auWant...); err != nil {
			return nil, err
		}
	}
	keys, err := trustedKeys(cp, given)
	if err != nil {
		return nil, err
	}
	rep := &checkpointReport{Checked: len(entries), EventsEnd: evs.Last.Seq, AuditEnd: aud.Last.Seq}
	for i, e := range entries {
		r := checkpointResult{Source: fmt.Sprintf("%s:%d", sources[i], e.Line), Checkpoint: e.Text, Problems: []checkProblem{}}
		if e.Err != nil {
			r.Problems = append(r.Problems, checkProblem{Check: "format", Message: e.Err.Error()})
		} else {
			cp := e.Checkpoint
			r.at, r.At = cp.At, cp.At.Format(time.RFC3339)
			r.Events, r.Audit = &cp.Events, &cp.Audit
			r.Problems = append(r.Problems, checkAgainst(cp, keys, site, evs, aud)...)
		}
		r.Holds = len(r.Problems) == 0
		rep.Results = append(rep.Results, r)
	}
	for i := range rep.Results {
		r := &rep.Results[i]
		if !r.Holds {
			continue
		}
		rep.Hold++
		if rep.Latest == nil || !r.at.Before(rep.Latest.at) {
			rep.Latest = r
		}
	}
	return rep, nil
}

// readCheckpoints reads the checkpoints of --checkpoint's value: its text
// when it starts like one, else the file it names. A file that cannot be
// read or holds no checkpoint is bad usage.
func readCheckpoints(src string) ([]anchor.Entry, string, error) {
	if strings.HasPrefix(strings.TrimSpace(src), anchor.Prefix) {
		es, err := anchor.Scan(strings.NewReader(src))
		for _, e := range es {
			if e.Err != nil {
				return nil, "", usagef("--checkpoint: %v", e.Err)
			}
		}
		return es, "text", err
	}
	es, err := anchor.ReadFile(src)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", usagef("--checkpoint %s: neither a checkpoint (frontdesk-checkpoint ...) nor a file", src)
		}
		return nil, "", usagef("--checkpoint: %v", err)
	}
	if len(es) == 0 {
		return nil, "", usagef("--checkpoint %s: the file holds no checkpoint", src)
	}
	return es, src, nil
}

// trustedKeys are this PC's key, when it has one, and those of --key.
func trustedKeys(cp *checkpointer, given []string) ([]anchor.PublicKey, error) {
	var keys []anchor.PublicKey
	dir, err := cp.folder()
	if err != nil {
		return nil, err
	}
	local, err := anchor.LoadKey(dir)
	switch {
	case err == nil:
		keys = append(keys, local.Public())
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	for _, g := range given {
		text := g
		if b, err := os.ReadFile(g); err == nil {
			text = string(b)
		}
		k, err := anchor.ParsePublicKey(text)
		if err != nil {
			return nil, usagef("--key: %v", err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, usagef("--checkpoint: no trusted key: this PC has no checkpoint key (%s); give the signer's public key with --key "+
			"(frontdesk checkpoint --public-key prints it on the PC that signs)", anchor.KeyPath(dir))
	}
	return keys, nil
}

// checkAgainst checks one well-formed checkpoint: its key and signature,
// its site, then each chain.
func checkAgainst(cp anchor.Checkpoint, keys []anchor.PublicKey, site string, evs, aud storage.ChainState) []checkProblem {
	if err := cp.Verify(keys); err != nil {
		// In English the message is the check's own, which names the
		// trusted keys; the other languages say the same.
		if errors.Is(err, anchor.ErrUntrustedKey) {
			english := fmt.Errorf("%w (give the signer's public key with --key)", err).Error()
			ids := make([]string, len(keys))
			for i, k := range keys {
				ids[i] = k.ID()
			}
			return []checkProblem{problemSaid("key", func(tr *i18n.Translator) string {
				if tr.Language() == "en" {
					return english
				}
				return tr.F("signed by key %s, which this PC does not trust (trusted: %s): give the signer's public key with --key",
					cp.Key, tr.Join(ids))
			})}
		}
		english := err.Error()
		return []checkProblem{problemSaid("signature", func(tr *i18n.Translator) string {
			if tr.Language() == "en" {
				return english
			}
			return tr.F("the checkpoint is not what key %s signed: it was altered", cp.Key)
		})}
	}
	switch {
	case site == "":
		return []checkProblem{problemSaid("site", func(tr *i18n.Translator) string {
			return tr.F("the checkpoint is of site %s, and this database has no site identity: "+
				"another site's checkpoint, or this database's identity was removed", cp.Site)
		})}
	case site != cp.Site:
		return []checkProblem{problemSaid("site", func(tr *i18n.Translator) string {
			return tr.F("the checkpoint is of site %s, and this database is site %s: "+
				"another site's checkpoint, or this database's identity was changed", cp.Site, site)
		})}
	}
	return append(chainProblems("events", storage.EventLog, cp.Events, evs),
		chainProblems("audit", storage.AuditTrail, cp.Audit, aud)...)
}

// chainProblems checks one chain against its head in a checkpoint: that
// it is unchanged up to the head (intact from its first entry, the head
// with the same hash) and that nothing after it was cut off (it still
// reaches the head).
func chainProblems(code string, chain storage.Chain, h anchor.Head, st storage.ChainState) []checkProblem {
	if h.Seq == 0 {
		return nil // the chain was empty: nothing to lose
	}
	var ps []checkProblem
	if st.Last.Seq < h.Seq {
		ps = append(ps, problemSaid(code+".complete", func(tr *i18n.Translator) string {
			return tr.F("%s cut off: it ends at %s, the checkpoint saw %s: %s missing",
				chainName(tr, chain), entryName(tr, chain, st.Last.Seq), entryName(tr, chain, h.Seq),
				entryCount(tr, chain, int(h.Seq-st.Last.Seq)))
		}))
	}
	switch {
	case st.Broken != 0 && st.Broken <= h.Seq:
		ps = append(ps, problemSaid(code+".unchanged", func(tr *i18n.Translator) string {
			return tr.F("%s changed up to %s: %s", chainName(tr, chain), entryName(tr, chain, h.Seq), chainFault(tr, chain, st))
		}))
	case st.Last.Seq >= h.Seq && st.Hashes[h.Seq] != h.Hash:
		ps = append(ps, problemSaid(code+".unchanged", func(tr *i18n.Translator) string {
			return tr.F("%s changed up to %s: its hash is %s, the checkpoint's %s: "+
				"entries up to it were changed and the chain recomputed",
				chainName(tr, chain), entryName(tr, chain, h.Seq), shortHash(tr, st.Hashes[h.Seq]), shortHash(tr, h.Hash))
		}))
	}
	return ps
}

// chainFault says what is wrong with the first broken entry of a chain
// (storage.ChainState's Fault and Args), naming the entry.
func chainFault(tr *i18n.Translator, chain storage.Chain, st storage.ChainState) string {
	entry := entryName(tr, chain, st.Broken)
	a := st.Args
	switch st.Fault {
	case "missing":
		return tr.F("%s: missing", entry)
	case "ends_before":
		return tr.F("%s: missing: the chain ends at %s", entry, a["end"])
	case "bad_key":
		return tr.F("%s: a key is not a sequence number", entry)
	case "undecodable":
		return tr.F("%s: cannot be decoded: %s", entry, a["error"])
	case "wrong_seq":
		return tr.F("%s: its seq field says %s", entry, a["value"])
	case "hash_mismatch":
		return tr.F("%s: hash does not match its content", entry)
	case "anchor_mismatch":
		return tr.F("%s: its hash is %s, not %s as when it was anchored", entry, a["value"], a["want"])
	case "prev_mismatch":
		return tr.F("%s: prev_hash does not match %s", entry, entryName(tr, chain, st.Broken-1))
	}
	return st.Why
}

// chainName names a chain: "event log", "audit trail".
func chainName(tr *i18n.Translator, chain storage.Chain) string { return tr.T(string(chain)) }

// entryName names an entry of chain: "event 12", "audit entry 12"; 0 is
// the chain's start.
func entryName(tr *i18n.Translator, chain storage.Chain, seq uint64) string {
	if chain == storage.AuditTrail {
		if seq == 0 {
			return tr.T("its start (no audit entry left)")
		}
		return tr.F("audit entry %d", seq)
	}
	if seq == 0 {
		return tr.T("its start (no event left)")
	}
	return tr.F("event %d", seq)
}

// entryCount is "1 event", "3 audit entries".
func entryCount(tr *i18n.Translator, chain storage.Chain, n int) string {
	if chain == storage.AuditTrail {
		return tr.N("{{.Count}} audit entries", "{{.Count}} audit entry", "{{.Count}} audit entries", n)
	}
	return tr.N("{{.Count}} events", "{{.Count}} event", "{{.Count}} events", n)
}

// shortHash is the start of a hash, enough to tell two apart.
func shortHash(tr *i18n.Translator, h string) string {
	if h == "" {
		return tr.T("no hash")
	}
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}

// printCheckpointReport writes what verify --checkpoint found: each
// checkpoint that does not hold and why, then the latest that holds and
// what it proves.
func (c *command) printCheckpointReport(r *checkpointReport) {
	tr := c.tr()
	when := func(res *checkpointResult) string {
		if res.at.IsZero() {
			return res.Source
		}
		return tr.F("%s, made %s,", res.Source, c.local(res.at))
	}
	for i := range r.Results {
		res := &r.Results[i]
		if res.Holds {
			continue
		}
		c.say("checkpoint %s DOES NOT HOLD:", when(res))
		for _, p := range res.Problems {
			fmt.Fprintf(c.stdout, "  %s\n", p.in(tr))
		}
	}
	switch {
	case r.Checked == 1 && r.Hold == 1:
		c.say("ok: the checkpoint holds")
	case r.Checked == 1:
		c.say("the checkpoint does not hold")
	case r.Hold == r.Checked:
		fmt.Fprintln(c.stdout, tr.N("ok: {{.Count}} of {{.Total}} checkpoints hold", "ok: {{.Count}} of {{.Total}} checkpoints hold",
			"ok: {{.Count}} of {{.Total}} checkpoints hold", r.Hold, "Total", tr.Number(r.Checked)))
	default:
		fmt.Fprintln(c.stdout, tr.N("{{.Count}} of {{.Total}} checkpoints hold", "{{.Count}} of {{.Total}} checkpoints hold",
			"{{.Count}} of {{.Total}} checkpoints hold", r.Hold, "Total", tr.Number(r.Checked)))
	}
	l := r.Latest
	if l == nil {
		return
	}
	if r.Checked > 1 {
		c.say("the latest that holds: %s", strings.TrimSuffix(when(l), ","))
	}
	c.say("  event log: unchanged up to %s, nothing cut off after it (it ends at %s)",
		entryName(tr, storage.EventLog, l.Events.Seq), entryName(tr, storage.EventLog, r.EventsEnd))
	c.say("  audit trail: unchanged up to %s, nothing cut off after it (it ends at %s)",
		entryName(tr, storage.AuditTrail, l.Audit.Seq), entryName(tr, storage.AuditTrail, r.AuditEnd))
}
