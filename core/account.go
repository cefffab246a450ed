package core

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Account is a staff login: receptionists, bosses, managers, admins.
// Employees who only tap badges need none.
type Account struct {
	Username string `json:"username"`
	// Person is who the account belongs to: a boss's doors are the doors
	// this person owns. Optional for service accounts.
	Person   string   `json:"person,omitempty"`
	Roles    []string `json:"roles"`
	Disabled bool     `json:"disabled,omitempty"`
	// PasswordHash is an argon2id hash in the PHC string format; never
	// logged, never in the audit trail.
	PasswordHash string `json:"password_hash"`
	// FailedLogins counts wrong passwords since the last good login or
	// lockout; LockedUntil is set when it reaches MaxFailedLogins.
	FailedLogins int       `json:"failed_logins,omitempty"`
	LockedUntil  time.Time `json:"locked_until,omitzero"`
}

// Login rules (DESIGN §2.5).
const (
	// MinPasswordLen is the fewest characters a password may have.
	MinPasswordLen = 10
	// MaxFailedLogins wrong passwords in a row lock the account for
	// LockoutTime.
	MaxFailedLogins = 5
	LockoutTime     = 5 * time.Minute
)

// argon2id parameters: OWASP's minimum for argon2id (19 MiB, 2 passes, 1
// lane), which costs tens of milliseconds on the reception PC, too much
// for guessing and little for a login. They are stored in each hash, so
// they can be raised later without breaking old hashes.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// CheckPasswordRules checks a new password: at least MinPasswordLen
// characters, not only spaces.
func CheckPasswordRules(pw string) error {
	if n := utf8.RuneCountInString(pw); n < MinPasswordLen {
		return fmt.Errorf("%w: %w", ErrInvalid, codedf("password_short", vals("min", strconv.Itoa(MinPasswordLen)),
			"password too short: %d characters, want at least %d", n, MinPasswordLen))
	}
	if strings.TrimSpace(pw) == "" {
		return fmt.Errorf("%w: %w", ErrInvalid, codedf("password_blank", nil, "password is only spaces"))
	}
	return nil
}

// HashPassword checks pw against the rules and returns its argon2id hash:
// $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH, base64 without padding.
func HashPassword(pw string) (string, error) {
	if err := CheckPasswordRules(pw); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := deriveKey(pw, argonHash{memory: argonMemory, time: argonTime, threads: argonThreads, salt: salt}, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// argonHash is a parsed PHC string.
type argonHash struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

// parsePasswordHash reads a hash HashPassword wrote. It bounds the cost
// parameters so that a hash from a crafted site file cannot make a login
// take minutes or gigabytes.
func parsePasswordHash(s string) (argonHash, error) {
	var h argonHash
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return h, fmt.Errorf("%w: password hash: want $argon2id$v=19$m=...,t=...,p=...$salt$hash", ErrInvalid)
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return h, fmt.Errorf("%w: password hash: argon2 version %q, want v=%d", ErrInvalid, parts[2], argon2.Version)
	}
	var threads uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.memory, &h.time, &threads); err != nil {
		return h, fmt.Errorf("%w: password hash: parameters %q: want m=M,t=T,p=P", ErrInvalid, parts[3])
	}
	if h.memory < 8*1024 || h.memory > 1024*1024 || h.time < 1 || h.time > 16 || threads < 1 || threads > 16 {
		return h, fmt.Errorf("%w: password hash: parameters %q out of range", ErrInvalid, parts[3])
	}
	h.threads = uint8(threads)
	b64 := base64.RawStdEncoding
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil || len(h.salt) < 8 {
		return h, fmt.Errorf("%w: password hash: bad salt", ErrInvalid)
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return h, fmt.Errorf("%w: password hash: bad key", ErrInvalid)
	}
	return h, nil
}

// CheckPasswordHash reports whether s is a password hash this version can
// check: the site file's password_hash must be one.
func CheckPasswordHash(s string) error {
	_, err := parsePasswordHash(s)
	return err
}

// PasswordMatches reports whether pw is the password of hash, in time
// that does not depend on where the two differ. It derives exactly one
// key whatever hash is: a hash it cannot read is checked as dummyHash
// and matches nothing, so that a damaged or foreign hash takes as long
// as a real one.
func PasswordMatches(hash, pw string) bool {
	h, err := parsePasswordHash(hash)
	if err != nil {
		h, _ = parsePasswordHash(dummyHash)
	}
	key := deriveKey(pw, h, uint32(len(h.key)))
	return err == nil && subtle.ConstantTimeCompare(key, h.key) == 1
}

// dummyHash is checked when a login names no account, so that the answer
// costs what a wrong password costs, one key derivation, and does not
// tell which usernames exist. It has today's parameters and a key that
// no known password gives; writing it costs nothing (a hash made at the
// first login would cost a second derivation on that login).
var dummyHash = fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
	argon2.Version, argonMemory, argonTime, argonThreads,
	base64.RawStdEncoding.EncodeToString([]byte("frontdesk-nobody")),
	base64.RawStdEncoding.EncodeToString(make([]byte, argonKeyLen)))

// keyDerivations counts the argon2 keys derived by this process.
var keyDerivations atomic.Uint64

// KeyDerivations returns how many argon2 keys this process has derived:
// tests check that every login, accepted or refused, costs exactly one.
func KeyDerivations() uint64 { return keyDerivations.Load() }

// deriveKey is the one place an argon2 key is derived: a password's key
// with h's salt and parameters, n bytes long.
func deriveKey(pw string, h argonHash, n uint32) []byte {
	keyDerivations.Add(1)
	return argon2.IDKey([]byte(pw), h.salt, h.time, h.memory, h.threads, n)
}
