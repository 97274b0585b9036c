package desk

import (
	"strings"
	"unicode"
)

// replyWords are the first words of a thread reply that decide, in English
// and French, lower case.
var replyWords = map[string]Verdict{
	"approve": Approve, "approved": Approve, "approuver": Approve, "approuve": Approve, "approuvé": Approve,
	"reject": Reject, "rejected": Reject, "refuser": Reject, "refuse": Reject, "refusé": Reject,
	"changes": Changes, "modifier": Changes,
}

// ParseReply reads a reply in a request's thread: "approve [comment]",
// "reject <reason>", "changes <what>", or in French "approuver",
// "refuser", "modifier" (and "approved", "approuvé", "rejected", "refusé").
// The word is matched case-insensitively and must be the first word, after
// an optional leading mention such as "@dealpilot" (the transport turns a
// platform's mention into such a word); a colon, comma or dash after it is
// dropped ("reject: price too low"). ok is false for any other message,
// which is then just conversation. A reject or changes without text still
// parses: Decide refuses it and says what is missing.
func ParseReply(text string) (verdict Verdict, comment string, ok bool) {
	s := strings.TrimSpace(text)
	if strings.HasPrefix(s, "@") {
		end := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ':' || r == ',' })
		if end < 0 {
			return "", "", false
		}
		s = strings.TrimLeftFunc(s[end:], func(r rune) bool { return unicode.IsSpace(r) || r == ':' || r == ',' })
	}
	end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		end = len(s)
	}
	word, rest := s[:end], s[end:]
	v, found := replyWords[strings.ToLower(word)]
	if !found {
		return "", "", false
	}
	sep := func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(":,.;!-–—", r) }
	if rest != "" && strings.IndexFunc(rest, sep) != 0 {
		return "", "", false // "approve2", "approve's", …
	}
	return v, strings.TrimSpace(strings.TrimLeftFunc(rest, sep)), true
}
