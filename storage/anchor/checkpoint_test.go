package anchor

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
)

// testKey is a key from a fixed seed: tests that compare text stay stable.
func testKey(seed byte) *Key {
	s := make([]byte, ed25519.SeedSize)
	for i := range s {
		s[i] = seed
	}
	return &Key{priv: ed25519.NewKeyFromSeed(s)}
}

// randomCheckpoint is a checkpoint of random heads, site and time, not
// signed.
func randomCheckpoint(r *rand.Rand) Checkpoint {
	head := func() Head {
		if r.IntN(8) == 0 {
			return Head{} // an empty chain
		}
		h := make([]byte, 32)
		for i := range h {
			h[i] = byte(r.UintN(256))
		}
		return Head{Seq: 1 + r.Uint64N(1<<40), Hash: hex.EncodeToString(h)}
	}
	site := make([]byte, 8)
	for i := range site {
		site[i] = byte(r.UintN(256))
	}
	return Checkpoint{Site: hex.EncodeToString(site), Events: head(), Audit: head(),
		At: time.Unix(r.Int64N(4e9), r.Int64N(1e9))}
}

// TestSignedCheckpointRoundTrip: whatever the checkpoint, its line parses
// back to it and verifies with its key, and only with its key.
func TestSignedCheckpointRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	k, other := testKey(1), testKey(2)
	for i := range 500 {
		c := k.Sign(randomCheckpoint(r))
		line := c.String()
		got, err := Parse(line)
		if err != nil {
			t.Fatalf("#%d: Parse(%q): %v", i, line, err)
		}
		if got.String() != line {
			t.Fatalf("#%d: round trip: got %q, want %q", i, got.String(), line)
		}
		if err := got.Verify([]PublicKey{k.Public()}); err != nil {
			t.Fatalf("#%d: Verify with its key: %v", i, err)
		}
		if err := got.Verify([]PublicKey{other.Public(), k.Public()}); err != nil {
			t.Fatalf("#%d: Verify among two keys: %v", i, err)
		}
		if err := got.Verify([]PublicKey{other.Public()}); !errors.Is(err, ErrUntrustedKey) {
			t.Fatalf("#%d: Verify with another key: got %v, want ErrUntrustedKey", i, err)
		}
		if err := got.Verify(nil); !errors.Is(err, ErrUntrustedKey) {
			t.Fatalf("#%d: Verify with no key: got %v, want ErrUntrustedKey", i, err)
		}
		if len(line) > 400 {
			t.Fatalf("#%d: %d characters: the footer of a report has room for about 400", i, len(line))
		}
	}
}

// TestAnyChangeIsRefused: a signed checkpoint with any field changed, or
// any character of its line changed, is refused, by Parse or by Verify.
// Only a change of the blanks between fields reads as the same
// checkpoint.
func TestAnyChangeIsRefused(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	k := testKey(1)
	trusted := []PublicKey{k.Public()}
	refused := func(line string) bool {
		c, err := Parse(line)
		if err != nil {
			return true
		}
		return c.Verify(trusted) != nil
	}
	fieldChanges := map[string]func(*Checkpoint){
		"site":        func(c *Checkpoint) { c.Site = flipHex(r, c.Site) },
		"events.seq":  func(c *Checkpoint) { c.Events.Seq++ },
		"events.hash": func(c *Checkpoint) { c.Events.Hash = flipHex(r, orHash(c.Events.Hash)) },
		"audit.seq":   func(c *Checkpoint) { c.Audit.Seq += 1 + r.Uint64N(1000) },
		"audit.hash":  func(c *Checkpoint) { c.Audit.Hash = flipHex(r, orHash(c.Audit.Hash)) },
		"at":          func(c *Checkpoint) { c.At = c.At.Add(time.Duration(1+r.IntN(86400)) * time.Second) },
		"key":         func(c *Checkpoint) { c.Key = flipHex(r, c.Key) },
		"sig":         func(c *Checkpoint) { c.Sig[r.IntN(len(c.Sig))] ^= byte(1 + r.UintN(255)) },
	}
	for i := range 300 {
		c := k.Sign(randomCheckpoint(r))
		for name, change := range fieldChanges {
			m := c
			m.Sig = append([]byte(nil), c.Sig...)
			change(&m)
			if line := m.String(); !refused(line) {
				t.Fatalf("#%d: %s changed: %q accepted", i, name, line)
			}
		}
		// One character replaced, anywhere, by any character.
		line := []byte(c.String())
		const alphabet = "0123456789abcdefABCDEFxyz=: -\t\nv"
		for range 20 {
			pos := r.IntN(len(line))
			m := append([]byte(nil), line...)
			m[pos] = alphabet[r.IntN(len(alphabet))]
			if m[pos] == line[pos] {
				continue
			}
			same := strings.Join(strings.Fields(string(m)), " ") == string(line)
			if !same && !refused(string(m)) {
				t.Fatalf("#%d: character %d changed to %q: %q accepted", i, pos, m[pos], m)
			}
		}
	}
}

// flipHex changes one hex digit of s.
func flipHex(r *rand.Rand, s string) string {
	b := []byte(s)
	i := r.IntN(len(b))
	for {
		c := "0123456789abcdef"[r.IntN(16)]
		if c != b[i] {
			b[i] = c
			return string(b)
		}
	}
}

// orHash is h, or some hash when h is empty.
func orHash(h string) string {
	if h == "" {
		return strings.Repeat("0", hashLen)
	}
	return h
}

func TestParseNamesTheFieldAtFault(t *testing.T) {
	good := testKey(1).Sign(Checkpoint{Site: "0123456789abcdef", Events: Head{Seq: 12, Hash: strings.Repeat("ab", 32)},
		At: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}).String()
	replace := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	tests := []struct {
		name, line, want string
	}{
		{"empty", "", `does not start with "frontdesk-checkpoint"`},
		{"other text", "hello world", `does not start with`},
		{"no version", Prefix, "no version"},
		{"newer version", replace(" v1 ", " v2 "), `version "v2" is not known`},
		{"misspelt field", replace(" key=", " kee="), "field 5 is"},
		{"one field too many", replace(" key=", " x=1 key="), "7 fields, want 6"},
		{"fields out of order", replace("site=", "audit="), "field 1 is"},
		{"one field too few", good[:strings.Index(good, " sig=")], "5 fields, want 6"},
		{"site too short", replace("site=0123456789abcdef", "site=0123"), "site="},
		{"site in capitals", replace("site=0123456789abcdef", "site=0123456789ABCDEF"), "lowercase hex"},
		{"seq not a number", replace("events=12:", "events=x12:"), "events="},
		{"seq with a leading zero", replace("events=12:", "events=012:"), "events="},
		{"hash too short", replace("events=12:abab", "events=12:ab"), "the hash must be 64"},
		{"empty chain with a hash", replace("audit=0:", "audit=0:"+strings.Repeat("ab", 32)), "an empty chain (0) has no hash"},
		{"chain without hash", replace("events=12:"+strings.Repeat("ab", 32), "events=12:"), "the hash must be 64"},
		{"local time", replace("at=2026-11-24T09:00:00Z", "at=2026-11-24T10:00:00+01:00"), "at="},
		{"time with fraction", replace("at=2026-11-24T09:00:00Z", "at=2026-11-24T09:00:00.5Z"), "at="},
		{"short signature", good[:len(good)-2], "sig="},
		{"text after", good + " more", "fields, want 6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.line)
			if err == nil || !errors.Is(err, core.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse: got %v, want ErrInvalid containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error on more than one line: %q", err)
			}
		})
	}
	if _, err := Parse(strings.ReplaceAll(good, " ", "\n  ")); err != nil {
		t.Fatalf("a checkpoint over several lines: %v", err)
	}
}

// TestScan reads checkpoints as they are found: one per line in the daily
// file, across lines when copied from a PDF's footer, among comments,
// with stray text and a line cut short by a crash.
func TestScan(t *testing.T) {
	k := testKey(1)
	var lines []string
	for i := range 3 {
		lines = append(lines, k.Sign(Checkpoint{Site: "0123456789abcdef", Events: Head{Seq: uint64(i + 1), Hash: strings.Repeat("cd", 32)},
			At: time.Date(2026, 11, 24+i, 0, 0, 0, 0, time.UTC)}).String())
	}
	wrapped := strings.Replace(strings.Replace(lines[1], " audit=", "\n   audit=", 1), " sig=", "\nsig=", 1)
	text := "# the daily file\n\n" + lines[0] + "\n" +
		lines[0][:50] + "\n" + // cut short
		wrapped + "\n" +
		"not a checkpoint\n" +
		lines[2] + "\n"
	entries, err := Scan(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		line int
		ok   bool
		seq  uint64
	}
	wants := []want{{3, true, 1}, {4, false, 0}, {5, true, 2}, {8, false, 0}, {9, true, 3}}
	if len(entries) != len(wants) {
		t.Fatalf("got %d entries %+v, want %d", len(entries), entries, len(wants))
	}
	for i, w := range wants {
		e := entries[i]
		if e.Line != w.line || (e.Err == nil) != w.ok || (w.ok && e.Checkpoint.Events.Seq != w.seq) {
			t.Errorf("entry %d: got line %d err %v seq %d, want line %d ok %v seq %d", i, e.Line, e.Err, e.Checkpoint.Events.Seq, w.line, w.ok, w.seq)
		}
		if e.Err != nil && !errors.Is(e.Err, core.ErrInvalid) {
			t.Errorf("entry %d: error %v does not wrap ErrInvalid", i, e.Err)
		}
	}
	if entries[2].Text != lines[1] {
		t.Errorf("wrapped checkpoint read as %q, want %q", entries[2].Text, lines[1])
	}
}

// FuzzParse: no input makes Parse panic, and what it accepts it writes
// back as text that parses to the same checkpoint.
func FuzzParse(f *testing.F) {
	k := testKey(1)
	f.Add(k.Sign(Checkpoint{Site: "0123456789abcdef", Events: Head{Seq: 7, Hash: strings.Repeat("ab", 32)}}).String())
	f.Add(Prefix + " v1 site= events=0: audit=0: at= key= sig=")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(c.String())
		if err != nil || again.String() != c.String() {
			t.Fatalf("Parse(%q) = %q, which reads back as %q, %v", s, c.String(), again.String(), err)
		}
		if _, err := Scan(strings.NewReader(s)); err != nil {
			t.Fatalf("Scan: %v", err)
		}
	})
}
