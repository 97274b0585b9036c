package store

import (
	"strings"
	"unicode"
)

// searchWords returns the distinct search words of texts: runs of letters and
// digits, lowercased and accent-folded, in first-seen order.
// "Société Générale" gives "societe", "generale"; "L'Oréal" gives "l", "oreal".
func searchWords(texts ...string) []string {
	var words []string
	seen := map[string]bool{}
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 && !seen[w.String()] {
			seen[w.String()] = true
			words = append(words, w.String())
		}
		w.Reset()
	}
	for _, text := range texts {
		for _, r := range text {
			switch {
			case unicode.Is(unicode.Mn, r):
				// A combining mark (a decomposed accent) folds to nothing and
				// does not split the word.
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				r = unicode.ToLower(r)
				if f, ok := folds[r]; ok {
					w.WriteString(f)
				} else {
					w.WriteRune(r)
				}
			default:
				flush()
			}
		}
		flush()
	}
	return words
}

// folds maps accented lowercase Latin (and Greek) letters to their base
// letters. Letters it does not know are kept as they are.
var folds = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ĳ': "ij"}
	for base, accented := range map[string]string{
		"a": "àáâãäåāăąǎǻ",
		"c": "çćĉċč",
		"d": "ďđð",
		"e": "èéêëēĕėęě",
		"g": "ĝğġģ",
		"h": "ĥħ",
		"i": "ìíîïĩīĭįıǐ",
		"j": "ĵ",
		"k": "ķ",
		"l": "ĺļľŀł",
		"n": "ñńņňŉ",
		"o": "òóôõöøōŏőǒǿ",
		"r": "ŕŗř",
		"s": "śŝşšș",
		"t": "ţťŧț",
		"u": "ùúûüũūŭůűųǔ",
		"w": "ŵ",
		"y": "ýÿŷ",
		"z": "źżž",
		// Greek tonos and dialytika.
		"α": "ά", "ε": "έ", "η": "ή", "ι": "ίϊΐ", "ο": "ό", "υ": "ύϋΰ", "ω": "ώ",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
