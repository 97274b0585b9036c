package domain

import (
	"testing"
)

func TestCheckOneLine(t *testing.T) {
	tests := []struct {
		name, in string
		key      string // "" when accepted
		pos      int
	}{
		{"Plain", "Acme renewal", "", 0},
		{"Accents", "Société Générale — Île-de-France", "", 0},
		{"Arabic", "شركة الأفق", "", 0},
		{"Hebrew", "חברת אופק", "", 0},
		{"PersianZWNJ", "می\u200cخواهم", "", 0},
		{"EmojiZWJ", "👩\u200d💻 Dev tools", "", 0},
		{"EmojiVariationSelector", "❤\ufe0f Love", "", 0},
		{"CJK", "東京 支社", "", 0},
		{"IdeographicSpace", "東京\u3000支社", "", 0},
		{"ReplacementCharTyped", "Acme \ufffd", "", 0},
		{"Newline", "Acme\nrenewal", "text.hidden_line_break", 5},
		{"CarriageReturn", "Acme\rrenewal", "text.hidden_line_break", 5},
		{"LineSeparator", "Acme\u2028renewal", "text.hidden_line_break", 5},
		{"ParagraphSeparator", "Acme\u2029", "text.hidden_line_break", 5},
		{"NextLine", "Acme\u0085", "text.hidden_line_break", 5},
		{"RightToLeftOverride", "Acme \u202elawener", "text.hidden_bidi", 6},
		{"RightToLeftMark", "\u200fAcme", "text.hidden_bidi", 1},
		{"LeftToRightEmbedding", "Acme\u202a", "text.hidden_bidi", 5},
		{"RightToLeftIsolate", "Acme\u2067x\u2069", "text.hidden_bidi", 5},
		{"ArabicLetterMark", "Acme\u061c", "text.hidden_bidi", 5},
		{"ZeroWidthSpace", "Ac\u200bme", "text.hidden_invisible", 3},
		{"WordJoiner", "Ac\u2060me", "text.hidden_invisible", 3},
		{"ByteOrderMark", "\ufeffAcme", "text.hidden_invisible", 1},
		{"SoftHyphen", "Ac\u00adme", "text.hidden_invisible", 3},
		{"HangulFiller", "\u3164", "text.hidden_invisible", 1},
		{"BrailleBlank", "Acme\u2800", "text.hidden_invisible", 5},
		{"PrivateUse", "Acme\ue000", "text.hidden_invisible", 5},
		{"Unassigned", "Acme\u0378", "text.hidden_invisible", 5},
		{"Tab", "Acme\trenewal", "text.hidden_control", 5},
		{"Nul", "Acme\x00", "text.hidden_control", 5},
		{"Escape", "\x1b[31mAcme", "text.hidden_control", 1},
		{"NotUTF8", "Acme \xff", "text.hidden_bad_utf8", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := CheckOneLine(FieldName, tt.in)
			switch {
			case tt.key == "" && e != nil:
				t.Errorf("refused: %s", e)
			case tt.key != "" && e == nil:
				t.Errorf("accepted, want %s", tt.key)
			case tt.key != "":
				if e.Key != tt.key || e.Field != FieldName || e.Code != EINVALID || e.Args[2] != tt.pos {
					t.Errorf("got %s %v, want %s at %d", e.Key, e.Args, tt.key, tt.pos)
				}
			}
		})
	}
}

// TestClip: what a user typed is quoted whole up to max characters, else
// cut at max with "…"; characters are runes, never bytes.
func TestClip(t *testing.T) {
	for _, c := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"Empty", "", 5, ""},
		{"Shorter", "abc", 5, "abc"},
		{"Exactly", "abcde", 5, "abcde"},
		{"Longer", "abcdef", 5, "abcde…"},
		{"Accents", "ééééééé", 3, "ééé…"},
		{"Emoji", "🙂🙂🙂", 2, "🙂🙂…"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Clip(c.in, c.max); got != c.want {
				t.Errorf("Clip(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
			}
		})
	}
}
