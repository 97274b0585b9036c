package teamstest

import (
	"encoding/json"
	"fmt"
	"regexp"
)

// atTag is a mention's markup in a message's text.
var atTag = regexp.MustCompile(`<at>.*?</at>`)

// checkMentions says why Teams could not have sent message a (nil when it
// could): every <at>…</at> in its text comes with a mention entity of
// that text, as a Teams client sends a mention; a user typing "<at>"
// literally has it sent escaped (&lt;at&gt;).
func checkMentions(a Activity) error {
	if a.Type != "message" {
		return nil
	}
	have := map[string]bool{}
	for _, raw := range a.Entities {
		var m struct {
			Type      string   `json:"type"`
			Text      string   `json:"text"`
			Mentioned *Account `json:"mentioned"`
		}
		if json.Unmarshal(raw, &m) == nil && m.Type == "mention" && m.Mentioned != nil && m.Mentioned.ID != "" {
			have[m.Text] = true
		}
	}
	for _, tag := range atTag.FindAllString(a.Text, -1) {
		if !have[tag] {
			return fmt.Errorf("teamstest: the text has %s without its mention entity: Teams sends a mention with one, and a typed \"<at>\" escaped (DeliverCrafted for a tampered client)", tag)
		}
	}
	return nil
}
