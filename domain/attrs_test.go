package domain

import "testing"

// TestAttrsFromEncoded: what Encoded gives comes back equal; anything
// else is refused, so a damaged copy never makes Attrs that Get, Names
// and Map would misread.
func TestAttrsFromEncoded(t *testing.T) {
	for _, tc := range []struct {
		name string
		enc  string
		want Attrs
		ok   bool
	}{
		{"None", "", Attrs{}, true},
		{"One", "industry\x00retail", Attrs{}.With("industry", "retail"), true},
		{"Three", "a\x001\x00b\x00two words\x00c\x00ü", AttrsOf(map[string]string{"c": "ü", "a": "1", "b": "two words"}), true},
		{"NameAlone", "industry", Attrs{}, false},
		{"TrailingNUL", "industry\x00retail\x00", Attrs{}, false},
		{"OddParts", "a\x001\x00b", Attrs{}, false},
		{"EmptyName", "\x00retail", Attrs{}, false},
		{"EmptyValue", "industry\x00", Attrs{}, false},
		{"EmptyValueBetween", "a\x00\x00b\x002", Attrs{}, false},
		{"NotSorted", "b\x001\x00a\x002", Attrs{}, false},
		{"NameTwice", "a\x001\x00a\x002", Attrs{}, false},
		{"LoneNUL", "\x00", Attrs{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AttrsFromEncoded(tc.enc)
			if (err == nil) != tc.ok {
				t.Fatalf("AttrsFromEncoded(%q) = %v, %v; want ok %v", tc.enc, got.Map(), err, tc.ok)
			}
			if got != tc.want {
				t.Errorf("AttrsFromEncoded(%q) = %v; want %v", tc.enc, got.Map(), tc.want.Map())
			}
			if tc.ok && got.Encoded() != tc.enc {
				t.Errorf("Encoded() = %q; want %q back", got.Encoded(), tc.enc)
			}
		})
	}
}

// TestAttrsGet: Get reads the encoding in place: the first, a middle and
// the last pair, a name that is a prefix of another, one not set.
func TestAttrsGet(t *testing.T) {
	a := AttrsOf(map[string]string{"industry": "retail", "ind": "x", "region": "north", "size": "51-200"})
	for _, tt := range []struct{ name, want string }{
		{"ind", "x"}, {"industry", "retail"}, {"region", "north"}, {"size", "51-200"}, {"in", ""}, {"sizes", ""}, {"", ""},
	} {
		if got := a.Get(tt.name); got != tt.want {
			t.Errorf("Get(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := (Attrs{}).Get("industry"); got != "" {
		t.Errorf("the zero Attrs gives %q", got)
	}
}
