package slack

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
	"github.com/dealpilot/dealpilot/manifests"
)

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

var unescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// unescapeEntities turns the entities Slack puts in escaped text back into
// the characters the user typed.
func unescapeEntities(s string) string { return unescaper.Replace(s) }

// mentionedIDs are the users text mentions, in Slack's markup.
func mentionedIDs(s string) []string {
	var ids []string
	for _, m := range userMarkup.FindAllStringSubmatch(s, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

var userMarkup = regexp.MustCompile(`<@([UW][A-Z0-9]+)(?:\|[^>]*)?>`)

// withoutSelfMention drops a leading mention of the bot itself from a
// message as Slack sends it ("<@UBOT> approve" is "approve"): people
// address the bot by name in a request's thread. A mention of anyone else
// stays, and makes the reply a word to that person, not a decision.
func withoutSelfMention(s, self string) string {
	t := strings.TrimSpace(s)
	if self == "" || !strings.HasPrefix(t, "<@"+self) {
		return s
	}
	end := strings.IndexByte(t, '>')
	if end < 0 || (t[len("<@"+self)] != '>' && t[len("<@"+self)] != '|') {
		return s
	}
	return strings.TrimLeftFunc(t[end+1:], func(r rune) bool { return unicode.IsSpace(r) || r == ':' || r == ',' })
}

// typedText is what a user typed, read from text as Slack sends it (a
// command with should_escape, or a message): markup is read first, then
// entities are unescaped once, so a "<" the user typed (sent as "&lt;")
// never becomes markup and markup never reaches the neutral bot.
//
//   - a user mention <@U0REP1|lea> or <@U0REP1> becomes the word "@lea"
//     (the name from the mention, else from name(id), else the id), and
//     mentions["@lea"] = "U0REP1" hands the user over by that word;
//   - a channel <#C0DESK|deal-desk> becomes "#deal-desk";
//   - <!here>, <!channel>, <!everyone> become "@here"…; a user group or a
//     date becomes its label;
//   - a link <https://x> becomes its URL; <http://x.com|x.com>, a domain the
//     user typed, stays as typed; any other label is kept with its URL,
//     "label (https://x)", so a link is never lost nor shown as markup.
//
// Text without markup is returned as it came, entities unescaped.
func typedText(s string, name func(id string) string) (text string, mentions map[string]domain.UserID) {
	var b strings.Builder
	for {
		open := strings.IndexByte(s, '<')
		if open < 0 {
			b.WriteString(unescapeEntities(s))
			return b.String(), mentions
		}
		end := strings.IndexByte(s[open:], '>')
		if end < 0 { // Slack never sends a bare "<"; keep it as text
			b.WriteString(unescapeEntities(s))
			return b.String(), mentions
		}
		b.WriteString(unescapeEntities(s[:open]))
		inner := s[open+1 : open+end]
		s = s[open+end+1:]
		target, label, _ := strings.Cut(inner, "|")
		label = unescapeEntities(label)
		switch {
		case strings.HasPrefix(target, "@"):
			id := target[1:]
			word := label
			if word == "" && name != nil {
				word = name(id)
			}
			if word == "" {
				word = id
			}
			word = "@" + strings.TrimPrefix(word, "@")
			if mentions == nil {
				mentions = map[string]domain.UserID{}
			}
			mentions[word] = domain.UserID(id)
			b.WriteString(word)
		case strings.HasPrefix(target, "#"):
			if label == "" {
				label = target[1:]
			}
			b.WriteString("#" + label)
		case strings.HasPrefix(target, "!"):
			switch cmd := target[1:]; {
			case label != "":
				b.WriteString(label)
			case cmd == "here" || cmd == "channel" || cmd == "everyone":
				b.WriteString("@" + cmd)
			}
		default:
			url := unescapeEntities(target)
			bare := url
			if i := strings.Index(url, ":"); i >= 0 {
				bare = strings.TrimPrefix(url[i+1:], "//")
			}
			switch {
			case label == "" || label == url:
				b.WriteString(url)
			case label == bare:
				b.WriteString(label)
			default:
				b.WriteString(label + " (" + url + ")")
			}
		}
	}
}

// escape makes user text safe inside mrkdwn: Slack reads only &, < and > as
// markup, so a deal named "<!channel>" or "<http://evil|bank>" is shown as
// typed and pings or links nothing.
func escape(s string) string { return escaper.Replace(s) }

// text renders a catalogue message in loc, escaping every argument that came
// from a user, rendering mentions as Slack mentions and the message's styles
// in mrkdwn (style.go).
func text(loc i18n.Locale, m bot.Msg) string {
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = arg(loc, a)
	}
	return withIcon(m.Icon, catalogue(loc, m.Key, args...))
}

// catalogue is the catalogue's message key in loc as mrkdwn: the catalogue
// is plain text, so its own &, < and > (a usage line's "<reason>") are
// escaped, once, before args, which the caller gives as mrkdwn already
// (escaped values, mentions, bold), fill it.
func catalogue(loc i18n.Locale, key string, args ...any) string {
	format := escape(i18n.T(loc, key)) // without args, T is the message as written
	if len(args) == 0 || !i18n.Has(key) {
		return format
	}
	return fmt.Sprintf(format, args...)
}

func arg(loc i18n.Locale, a any) any {
	switch v := a.(type) {
	case bot.Mention:
		return person(loc, domain.UserID(v))
	case domain.UserID:
		return person(loc, v)
	case desk.Users:
		return usersText(loc, v)
	case domain.UserList:
		ms := make([]string, len(v))
		for i, u := range v {
			ms[i] = mentionOf(u)
		}
		return strings.Join(ms, ", ")
	case domain.SplitList:
		return i18n.JoinSplits(loc, v, func(u domain.UserID) string { return person(loc, u) }) // ids, percentages, a catalogue word: no user text
	case bot.Msg:
		return text(loc, v)
	case bot.Strong:
		return strongArg(loc, v)
	case bot.ChannelRef:
		return channelLink(string(v))
	case botSelf:
		return selfMention(string(v), "")
	case botInvite:
		return "/invite " + selfMention(string(v), "")
	case botNamed:
		return selfMention("", string(v))
	case botInviteNamed:
		return "/invite " + selfMention("", string(v))
	case bot.Self: // rendered without withSelf: the shipped name
		return selfMention("", manifests.SlackBotName())
	case bot.InviteHow:
		return "/invite " + selfMention("", manifests.SlackBotName())
	case string:
		return escape(v)
	}
	if s, ok := i18n.Value(loc, a); ok { // an amount, a date, a field…
		return escape(s)
	}
	if v, ok := a.(fmt.Stringer); ok {
		return escape(v.String())
	}
	return a
}

// person renders who did something: an author that is not a person (the
// CRM import) as words, a user as a mention.
func person(loc i18n.Locale, u domain.UserID) string {
	if s, ok := i18n.Author(loc, u); ok {
		return escape(s)
	}
	return mentionOf(u)
}

// mentionOf renders a user id as a Slack mention; ids come from Slack or
// from the validated configuration, but are checked so text never becomes
// markup.
func mentionOf(u domain.UserID) string {
	if u == "" || len(u) > 32 {
		return escape(string(u))
	}
	for _, r := range u {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return escape(string(u))
		}
	}
	return "<@" + string(u) + ">"
}

// channelLink renders a channel id as a Slack channel link (#name for the
// reader); ids come from the configuration, but are checked like mentions.
func channelLink(id string) string {
	if id == "" || len(id) > 32 {
		return escape(id)
	}
	for _, r := range id {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return escape(id)
		}
	}
	return "<#" + id + ">"
}

// errorText is what a user reads for err, with times in tz: catalogue
// messages with their arguments escaped and users mentioned; a conflict
// names who changed the deal and when; anything else is generic.
func errorText(loc i18n.Locale, err error, tz *time.Location) string {
	var c *domain.Conflict
	if errors.As(err, &c) {
		return conflictText(loc, c, tz)
	}
	if es, ok := domain.ErrorsOf(err); ok {
		lines := make([]string, len(es))
		for i, e := range es {
			lines[i] = text(loc, bot.Msg{Key: e.Key, Args: e.Args})
		}
		return strings.Join(lines, "\n")
	}
	return escape(i18n.ErrorMessage(loc, err))
}

// conflictShown is how many changes a conflict lists; more end with "and N
// more" (the text goes into a modal's error, which Slack keeps short).
const conflictShown = 5

// conflictText says a form was refused because the deal changed after it
// was opened: each change since, who made it and when; or, when history
// does not say, who changed it last and when.
func conflictText(loc i18n.Locale, c *domain.Conflict, tz *time.Location) string {
	if len(c.Changes) == 0 {
		return text(loc, bot.M("deal.conflict", c.Deal.Ref(), c.By, c.At.In(tz).Format("15:04")))
	}
	lines := []string{text(loc, bot.M("deal.conflict_since", c.Deal.Ref()))}
	for i, e := range c.Changes {
		if i == conflictShown {
			lines = append(lines, text(loc, bot.M("deal.conflict_more", len(c.Changes)-i)))
			break
		}
		lines = append(lines, catalogue(loc, "deal.conflict_change", changeText(loc, e, c.Currency), person(loc, e.By), e.At.In(tz).Format("15:04")))
	}
	lines = append(lines, text(loc, bot.M("deal.conflict_reopen")))
	return strings.Join(lines, "\n")
}
