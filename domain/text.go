package domain

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// A name (a deal's, an account's) is one line of visible text. Characters
// that do not show, or that change how the text around them shows, let a
// name pass for another (two "Acme renewal" deals, one with a zero-width
// space), reorder what a card displays (right-to-left overrides), or break
// a message's layout (line breaks); CheckOneLine refuses them, naming the
// first one and where it is, so the user can type the name again.

// InvisibleKind says what kind of character CheckOneLine refused.
type InvisibleKind string

const (
	KindLineBreak InvisibleKind = "line_break" // \n, \r, U+2028, U+2029, U+0085
	KindBidi      InvisibleKind = "bidi"       // right-to-left and other direction controls
	KindInvisible InvisibleKind = "invisible"  // zero-width and other characters that show nothing
	KindControl   InvisibleKind = "control"    // tabs and other control characters
	KindEncoding  InvisibleKind = "bad_utf8"   // bytes that are not text
)

// hiddenLetters are letters and symbols that show as nothing.
var hiddenLetters = map[rune]bool{
	0x115F: true, 0x1160: true, 0x3164: true, 0xFFA0: true, // Hangul fillers
	0x2800: true, // braille blank
	0x034F: true, // combining grapheme joiner
}

// ClassifyHidden returns the kind of r when a name may not hold it.
func ClassifyHidden(r rune) (InvisibleKind, bool) {
	switch {
	case r == '\n' || r == '\r' || r == 0x0085 || r == 0x2028 || r == 0x2029 || r == '\v' || r == '\f':
		return KindLineBreak, true
	case r == 0x061C || r == 0x200E || r == 0x200F || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069):
		return KindBidi, true
	case r == 0x200C || r == 0x200D:
		// Zero-width (non-)joiners are needed by Persian and Indic scripts
		// and emoji sequences.
		return "", false
	case unicode.Is(unicode.Cc, r):
		return KindControl, true
	case unicode.Is(unicode.Cf, r), unicode.Is(unicode.Co, r), hiddenLetters[r]:
		return KindInvisible, true
	case !unicode.IsPrint(r) && !unicode.IsSpace(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Me, r):
		return KindInvisible, true // unassigned code points
	}
	return "", false
}

// CheckOneLine returns nil when s may be the value of a one-line name
// field f, else an error about f naming the first character refused: its
// kind, its code point and its position (counted in characters from 1).
func CheckOneLine(f Field, s string) *Error {
	pos := 0
	for i, r := range s {
		pos++
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return FieldErrorf(f, "text.hidden_"+string(KindEncoding), f, fmt.Sprintf("0x%02X", s[i]), pos)
			}
		}
		if kind, bad := ClassifyHidden(r); bad {
			return FieldErrorf(f, "text.hidden_"+string(kind), f, fmt.Sprintf("U+%04X", r), pos)
		}
	}
	return nil
}

// quoteMax is how much of what a user typed a parse error quotes back.
const quoteMax = 40

// Clip is the one way to shorten what a user typed for quoting it back in a
// message: s as it is when it has at most max characters (runes), else its
// first max followed by "…".
func Clip(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}
