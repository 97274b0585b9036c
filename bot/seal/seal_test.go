package seal

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

var (
	key      = bytes.Repeat([]byte{7}, KeySize)
	otherKey = bytes.Repeat([]byte{8}, KeySize)
)

func mustNew(t *testing.T, k []byte) *Sealer {
	t.Helper()
	s, err := New(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOpen(t *testing.T) {
	s := mustNew(t, key)
	good := s.Seal("view:deal_update", `{"d":12,"v":3}`)
	mac := good[len(prefix) : len(prefix)+macLen]
	flip := func(c byte) byte {
		if c == 'A' {
			return 'B'
		}
		return 'A'
	}
	tamperedSig := prefix + string(flip(mac[0])) + mac[1:] + good[len(prefix)+macLen:]
	tests := []struct {
		name    string
		sealer  *Sealer
		purpose string
		token   string
		want    string
		err     error
	}{
		{"Valid", s, "view:deal_update", good, `{"d":12,"v":3}`, nil},
		{"ValidEmptyValue", s, "button:deal_update", s.Seal("button:deal_update", ""), "", nil},
		{"TamperedBody", s, "view:deal_update", strings.Replace(good, `"d":12`, `"d":13`, 1), "", ErrForged},
		{"AppendedBody", s, "view:deal_update", good + " ", "", ErrForged},
		{"TamperedSignature", s, "view:deal_update", tamperedSig, "", ErrForged},
		{"WrongKey", mustNew(t, otherKey), "view:deal_update", good, "", ErrForged},
		{"OtherPurpose", s, "view:deal_next", good, "", ErrForged},
		{"Truncated", s, "view:deal_update", good[:len(good)-3], "", ErrForged},
		{"TruncatedIntoSignature", s, "view:deal_update", good[:len(prefix)+10], "", ErrForged},
		{"PrefixOnly", s, "view:deal_update", prefix, "", ErrForged},
		{"Empty", s, "view:deal_update", "", "", ErrNotSealed},
		{"Unsigned", s, "view:deal_update", `{"d":12,"v":3,"r":"http://127.0.0.1:9/"}`, "", ErrNotSealed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.sealer.Open(tt.purpose, tt.token)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Errorf("Open(%q, %q) = %q, %v; want %q, %v", tt.purpose, tt.token, got, err, tt.want, tt.err)
			}
		})
	}
}

// TestPurposeBoundary: the purpose's length is signed, so moving bytes
// between purpose and value does not keep a signature valid.
func TestPurposeBoundary(t *testing.T) {
	s := mustNew(t, key)
	tok := s.Seal("a:b", "c")
	if _, err := s.Open("a:", "s1."+tok[len(prefix):len(prefix)+macLen]+".bc"); !errors.Is(err, ErrForged) {
		t.Errorf("moved boundary opened: %v", err)
	}
}

func TestOverhead(t *testing.T) {
	s := mustNew(t, key)
	for _, v := range []string{"", "12", strings.Repeat("x", 2000)} {
		if got := len(s.Seal("p", v)); got != len(v)+Overhead {
			t.Errorf("sealed length %d for %d bytes; want %d", got, len(v), len(v)+Overhead)
		}
	}
}

func TestNewRefusesShortKey(t *testing.T) {
	if _, err := New(key[:KeySize-1]); err == nil {
		t.Error("New accepted a short key")
	}
	k := append([]byte(nil), key...)
	s := mustNew(t, k)
	tok := s.Seal("p", "v")
	k[0] ^= 1 // the caller's slice changing later does not change the sealer
	if _, err := s.Open("p", tok); err != nil {
		t.Errorf("sealer shares the caller's key slice: %v", err)
	}
}
