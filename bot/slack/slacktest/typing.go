package slacktest

import (
	"fmt"
	"regexp"
	"strings"
)

// How a test types. Text given to SlashCommand and Message is what the user
// typed in the composer, where these mark what the composer makes of it:
//
//	<@U0REP1>            a user picked from the @ autocomplete (<@U0REP1|x> too: the label is ignored)
//	<#C0DESK>            a channel picked from the # autocomplete (<#C0DESK|x> too)
//	<https://x|label>    a link made with the composer's link button
//	<https://x>          a pasted link (a bare https://x is linked the same way)
//
// Every other &, < and > is a character the user typed. The server sends
// the text to the app encoded as Slack encodes it: see encodeTyped.
var (
	typedRef  = regexp.MustCompile(`^<([@#])([A-Z0-9]+)(?:\|[^<>]*)?>`)
	typedLink = regexp.MustCompile(`^<((?:https?|mailto):[^\s<>|]+)(?:\|([^<>]*))?>`)
	bareURL   = regexp.MustCompile(`^https?://[^\s<>]+`)
)

// Encodings of typed text.
type encoding int

const (
	// encodeEscaped is a slash command with should_escape: true: &, <, >
	// as entities, users <@U…|name>, channels <#C…|name>, links <url> or
	// <url|label>.
	encodeEscaped encoding = iota
	// encodeMessage is a message event's text: escaped the same way, but
	// users as <@U…> (Slack no longer sends names in message text).
	encodeMessage
	// encodePlain is a slash command with should_escape: false: the text as
	// typed, users as @name, channels as #name, links as their URL.
	encodePlain
)

var entities = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// encodeTypedLocked encodes typed text (see the convention above) as Slack
// sends it to an app. A mention of an unknown user or channel is a mistake
// in the test.
func (s *Server) encodeTypedLocked(text string, enc encoding) (string, error) {
	var b strings.Builder
	plain := func(t string) {
		if enc == encodePlain {
			b.WriteString(t)
		} else {
			b.WriteString(entities.Replace(t))
		}
	}
	link := func(url, label string) {
		switch {
		case enc == encodePlain:
			b.WriteString(url)
		case label == "":
			b.WriteString("<" + entities.Replace(url) + ">")
		default:
			b.WriteString("<" + entities.Replace(url) + "|" + entities.Replace(label) + ">")
		}
	}
	atWordStart := true
	for i := 0; i < len(text); {
		rest := text[i:]
		if m := typedRef.FindStringSubmatch(rest); m != nil {
			id := m[2]
			if m[1] == "@" {
				u, ok := s.st.Users[id]
				if !ok {
					return "", fmt.Errorf("slacktest: %s mentions unknown user %s (AddUser it first)", m[0], id)
				}
				switch enc {
				case encodeEscaped:
					b.WriteString("<@" + id + "|" + u.Name + ">")
				case encodeMessage:
					b.WriteString("<@" + id + ">")
				default:
					b.WriteString("@" + u.Name)
				}
			} else {
				c, ok := s.st.Channels[id]
				if !ok || c.IsIM {
					return "", fmt.Errorf("slacktest: %s mentions unknown channel %s (AddChannel it first)", m[0], id)
				}
				if enc == encodePlain {
					b.WriteString("#" + c.Name)
				} else {
					b.WriteString("<#" + id + "|" + c.Name + ">")
				}
			}
			i += len(m[0])
			atWordStart = false
			continue
		}
		if m := typedLink.FindStringSubmatch(rest); m != nil {
			link(m[1], m[2])
			i += len(m[0])
			atWordStart = false
			continue
		}
		if atWordStart {
			if u := bareURL.FindString(rest); u != "" {
				u = strings.TrimRight(u, ".,;:!?)")
				link(u, "")
				i += len(u)
				atWordStart = false
				continue
			}
		}
		r := rest[:1]
		plain(r)
		atWordStart = r == " " || r == "\n" || r == "\t" || r == "("
		i++
	}
	return b.String(), nil
}
