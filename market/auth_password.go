package market

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id cost parameters for new password hashes.
// Each hash records its own, so they can be raised without invalidating
// stored passwords.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultPasswordParams are OWASP's recommended argon2id settings (19 MiB,
// 2 passes, 1 thread).
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// Password length limits, in bytes of UTF-8.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// hashPassword returns the PHC string
// "$argon2id$v=19$m=…,t=…,p=…$salt$hash" of password with a random salt.
func hashPassword(password string, p PasswordParams) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// verifyPassword reports whether password matches the PHC hash encoded. It
// returns an error only when encoded is not an argon2id hash it can read.
func verifyPassword(password, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("verify password: not an argon2id hash")
	}
	var v int
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, fmt.Errorf("verify password: unsupported argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, fmt.Errorf("verify password: parameters %q: %w", parts[3], err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("verify password: salt: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, fmt.Errorf("verify password: hash: bad encoding")
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// validatePassword checks the length of a new password.
func validatePassword(field, pw string) error {
	switch {
	case pw == "":
		return Invalid(field, "missing_field", "%s is required", field)
	case len(pw) < MinPasswordLen:
		return Invalid(field, "weak_password", "%s must have at least %d characters", field, MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return Invalid(field, "invalid_password", "%s must have at most %d characters", field, MaxPasswordLen)
	}
	return nil
}
