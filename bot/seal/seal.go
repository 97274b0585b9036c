// Package seal signs the values the bot hands to a chat platform and gets
// back from it unchanged (a form's context, a button's value), so that what
// comes back is known to be what the bot sent: a value forged or altered
// on the way, or signed with another key, does not open.
//
// A sealed value is "s1." + the base64url HMAC-SHA256 of purpose and value
// (43 characters) + "." + the value, so it is the value's length plus
// Overhead. The purpose (the form or the button it belongs to) is signed
// with the value, so a value sealed for one purpose does not open for
// another. Nothing here is secret but the key: a sealed value is readable.
package seal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the size of a key, and the least a key may have.
const KeySize = 32

const (
	prefix = "s1."
	macLen = 43 // base64url without padding of 32 bytes
	// Overhead is what sealing adds to a value's length.
	Overhead = len(prefix) + macLen + 1
)

// Errors of Open. ErrNotSealed is a value that was never sealed (made by
// an older version, or by hand); ErrForged one whose signature does not
// match: altered, truncated, sealed for another purpose or with another key.
var (
	ErrNotSealed = errors.New("seal: the value is not sealed")
	ErrForged    = errors.New("seal: the signature does not match")
)

// Sealer seals and opens values with one key. It is safe for concurrent use.
type Sealer struct{ key []byte }

// New returns a Sealer for key, which must have at least KeySize bytes.
func New(key []byte) (*Sealer, error) {
	if len(key) < KeySize {
		return nil, fmt.Errorf("seal: a key has at least %d bytes, this one %d", KeySize, len(key))
	}
	return &Sealer{key: append([]byte(nil), key...)}, nil
}

// Seal returns value signed for purpose.
func (s *Sealer) Seal(purpose, value string) string {
	return prefix + s.mac(purpose, value) + "." + value
}

// Open returns the value sealed in token for purpose, or ErrNotSealed or
// ErrForged.
func (s *Sealer) Open(purpose, token string) (string, error) {
	if !strings.HasPrefix(token, prefix) {
		return "", ErrNotSealed
	}
	rest := token[len(prefix):]
	if len(rest) < macLen+1 || rest[macLen] != '.' {
		return "", ErrForged
	}
	got, value := rest[:macLen], rest[macLen+1:]
	if !hmac.Equal([]byte(got), []byte(s.mac(purpose, value))) {
		return "", ErrForged
	}
	return value, nil
}

// mac signs the purpose's length, the purpose and the value: no two
// (purpose, value) pairs sign the same bytes.
func (s *Sealer) mac(purpose, value string) string {
	h := hmac.New(sha256.New, s.key)
	fmt.Fprintf(h, "%d:%s:", len(purpose), purpose)
	h.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}
