package i18n

import "regexp"

// commandRef is a command as the catalogue's text names it: a slash and
// the command's name at the start of a word ("/deal new", "(/forecast").
var commandRef = regexp.MustCompile(`(^|[^\p{L}\p{N}/])/([a-z]+)\b`)

// Commands rewrites each command the catalogue text s names ("/deal") as
// typed(name) says, name without its slash ("deal"); a name typed does not
// know (ok false) is left as it is. The catalogue writes a
// command as a Slack user types it; a transport whose users type it
// otherwise (on Teams, "deal help") says how, so that a hint names the
// command as the reader types it, with one catalogue for every platform.
// Apply it to catalogue text before its arguments fill it: a deal name
// that reads "/deal" is the user's, left alone.
func Commands(s string, typed func(name string) (string, bool)) string {
	return commandRef.ReplaceAllStringFunc(s, func(m string) string {
		sub := commandRef.FindStringSubmatch(m)
		if t, ok := typed(sub[2]); ok {
			return sub[1] + t
		}
		return m
	})
}
