package desk

import (
	"strings"
	"unicode"
)

// A decision word is either a command form, which may be followed by a
// comment after a space ("approve good margin", "reject price too low"),
// or a word that is just as often an ordinary word in a sentence ("Approved
// already", "Changes to the SLA are fine"), which decides only alone or
// with its comment set off by punctuation ("approved!", "changes: shorter
// trial").
type replyWord struct {
	verdict Verdict
	command bool // a comment may follow after a plain space
}

// replyWords are the first words of a thread reply that decide, in English
// and French, lower case.
var replyWords = map[string]replyWord{
	"approve": {Approve, true}, "approuver": {Approve, true}, "approuve": {Approve, true},
	"approved": {Approve, false}, "approuvé": {Approve, false}, "approuvée": {Approve, false},
	"reject": {Reject, true}, "refuser": {Reject, true}, "refuse": {Reject, true}, "rejeter": {Reject, true}, "rejette": {Reject, true},
	"rejected": {Reject, false}, "refusé": {Reject, false}, "refusée": {Reject, false}, "rejeté": {Reject, false}, "rejetée": {Reject, false},
	"changes": {Changes, true}, "modifier": {Changes, true},
}

// notACommand are words that, right after a decision word and a space,
// make the reply a sentence rather than a command: a condition ("approve
// if finance agrees"), a deferral ("approve later"), or the start of a
// sentence about the word ("changes to the SLA are fine", "approve of").
var notACommand = map[string]bool{
	// conditions, deferrals, negations
	"if": true, "when": true, "once": true, "unless": true, "after": true, "before": true, "only": true,
	"not": true, "yet": true, "later": true, "tomorrow": true, "maybe": true, "pending": true,
	"si": true, "quand": true, "dès": true, "sauf": true, "après": true, "avant": true, "seulement": true,
	"pas": true, "plus": true, "peut": true, "demain": true, "lorsque": true,
	// the word used as a noun or a verb in a sentence
	"to": true, "in": true, "of": true, "on": true, "for": true, "from": true, "by": true, "with": true,
	"are": true, "is": true, "were": true, "was": true, "be": true, "been": true,
	"look": true, "looks": true, "seem": true, "seems": true, "sound": true, "sounds": true,
	"made": true, "needed": true, "requested": true, "asked": true, "done": true, "applied": true, "already": true,
	"would": true, "will": true, "should": true, "could": true, "can": true, "must": true, "might": true,
	"have": true, "has": true, "had": true, "and": true, "or": true, "but": true, "so": true, "then": true,
	"i": true, "we": true, "you": true, "they": true, "he": true, "she": true, "it's": true, "that's": true,
	"the": true, "these": true, "those": true, "this": true, "that": true, "here": true, "there": true,
	"sont": true, "est": true, "ont": true, "me": true, "nous": true, "vous": true, "ça": true,
}

// commentSep sets a comment off from the decision word.
func commentSep(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(":,.;!-–—", r) }

// ParseReply reads a reply in a request's thread. It decides only when it
// is a command: the decision word first, alone or followed by a comment. A
// reply that starts with a mention ("@Marc approve") is addressed to that
// person and never decides; the transport removes a mention of the bot
// itself first ("@dealpilot approve" reaches ParseReply as "approve"). The words are
// "approve [comment]", "reject <reason>", "changes <what>" and in French
// "approuver", "refuser" (or "rejeter"), "modifier", matched
// case-insensitively; "approved", "rejected", "approuvé", "refusé",
// "rejeté" decide too, but only alone or with the comment set off by
// punctuation ("Approved!", "approved: fine"), as they are ordinary words
// in a sentence. A colon, comma, dash or stop after the word is dropped
// ("reject: price too low").
//
// It is not a decision (ok false, the reply is conversation) when the
// first word is not a decision word, when the reply asks a question (any
// "?"), or when the word after a plain space makes a sentence of it: a
// condition ("approve if finance agrees"), a deferral ("approve later"), a
// negation, or the word used as a noun ("changes to the SLA are fine by
// me"). A reject or changes without text still parses: Decide refuses it
// and says what is missing. Hesitant tells such near-misses apart.
func ParseReply(text string) (verdict Verdict, comment string, ok bool) {
	v, c, kind := readReply(text)
	if kind != replyCommand {
		return "", "", false
	}
	return v, c, true
}

// Hesitant reports whether a reply starts with a decision word but is not
// taken as a decision (a question, a condition, a sentence): the bot tells
// an approver how to decide rather than ignoring them silently.
func Hesitant(text string) (Verdict, bool) {
	v, _, kind := readReply(text)
	return v, kind == replySentence
}

type replyKind int

const (
	replyOther    replyKind = iota // conversation
	replyCommand                   // a decision
	replySentence                  // starts with a decision word, but is not a command
)

func readReply(text string) (Verdict, string, replyKind) {
	s := strings.TrimSpace(text)
	if strings.HasPrefix(s, "@") {
		// Addressed to someone ("@Marc approve this?"): a request to that
		// person, never a decision; an approver who wrote a decision word
		// is told how to decide.
		end := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ':' || r == ',' })
		if end < 0 {
			return "", "", replyOther
		}
		rest := strings.TrimLeftFunc(s[end:], func(r rune) bool { return unicode.IsSpace(r) || r == ':' || r == ',' })
		if v, _, kind := readReply(rest); kind != replyOther && !strings.HasPrefix(rest, "@") {
			return v, "", replySentence
		}
		return "", "", replyOther
	}
	end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		end = len(s)
	}
	word, rest := s[:end], s[end:]
	w, found := replyWords[strings.ToLower(word)]
	if !found {
		return "", "", replyOther
	}
	if rest != "" && strings.IndexFunc(rest, commentSep) != 0 {
		if strings.HasPrefix(rest, "?") {
			return w.verdict, "", replySentence // "approve?"
		}
		return "", "", replyOther // "approve2", "approve's", …
	}
	if strings.ContainsRune(s, '?') || strings.ContainsRune(s, '？') {
		return w.verdict, "", replySentence
	}
	comment := strings.TrimSpace(strings.TrimLeftFunc(rest, commentSep))
	if comment == "" {
		return w.verdict, "", replyCommand
	}
	// Set off by punctuation or a new line, the rest is a comment whatever
	// it says; after a plain space it must not make a sentence of the word.
	lead := rest[:len(rest)-len(strings.TrimLeftFunc(rest, commentSep))]
	if strings.ContainsAny(lead, ":,.;!-–—\n") {
		return w.verdict, comment, replyCommand
	}
	if !w.command {
		return w.verdict, "", replySentence
	}
	next := strings.ToLower(strings.FieldsFunc(comment, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(":,.;!", r)
	})[0])
	if notACommand[next] {
		return w.verdict, "", replySentence
	}
	return w.verdict, comment, replyCommand
}
