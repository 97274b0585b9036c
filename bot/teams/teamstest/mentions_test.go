package teamstest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// TestMentionsComeWithTheirEntity: a message whose text has <at>…</at>
// is delivered only with a mention entity of that text, as Teams sends
// one; crafted, it goes.
func TestMentionsComeWithTheirEntity(t *testing.T) {
	srv := newServer(t)
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	ch := srv.AddChannel(Channel{ID: "19:general@thread.tacv2", Name: "General", TeamID: "19:team"})
	bot := http.NewServeMux()
	bot.HandleFunc("POST /api/messages", func(w http.ResponseWriter, r *http.Request) {})
	srv.SetBotEndpoint(newHTTPServer(t, bot) + "/api/messages")
	ctx := t.Context()
	entity := func(text string, who Account) json.RawMessage {
		b, _ := json.Marshal(map[string]any{"type": "mention", "text": text, "mentioned": who})
		return b
	}
	bare := srv.Message(alice, ch.ID, "<at>dealpilot</at> deal show D-1")
	if _, err := srv.Deliver(ctx, bare); err == nil || !strings.Contains(err.Error(), "without its mention entity") {
		t.Errorf("<at> without an entity: %v", err)
	}
	other := bare
	other.Entities = []json.RawMessage{entity("<at>Marc</at>", Account{ID: "29:marc"})}
	if _, err := srv.Deliver(ctx, other); err == nil {
		t.Error("<at> with another mention's entity was delivered")
	}
	ok := bare
	ok.Entities = []json.RawMessage{entity("<at>dealpilot</at>", srv.Bot())}
	if _, err := srv.Deliver(ctx, ok); err != nil {
		t.Errorf("a mention with its entity: %v", err)
	}
	// (in a 1:1 chat: in a channel, text with no mention of the bot never reaches it)
	if _, err := srv.Deliver(ctx, srv.Message(alice, srv.PersonalConversation(alice.ID), "&lt;at&gt;dealpilot&lt;/at&gt; typed literally")); err != nil {
		t.Errorf("an escaped <at>: %v", err)
	}
	if _, err := srv.DeliverCrafted(ctx, bare); err != nil {
		t.Errorf("crafted: %v", err)
	}
}

// TestChannelMessagesNeedTheBotsMention: in a channel (a thread under the
// bot's own message included) Teams hands the bot only the messages that
// mention it, unless the manifest declares ChannelMessage.Read.Group; a
// 1:1 chat's messages, and a card's Action.Submit, always reach it.
func TestChannelMessagesNeedTheBotsMention(t *testing.T) {
	rsc := []byte(`{"authorization":{"permissions":{"resourceSpecific":[{"name":"ChannelMessage.Read.Group","type":"Application"}]}}}`)
	for _, tc := range []struct {
		name    string
		opts    []Option
		unheard bool // an un-mentioned channel message is refused
	}{
		{name: "NoManifest", unheard: true},
		{name: "ManifestWithoutRSC", opts: []Option{WithManifest([]byte(`{"permissions":["identity"]}`))}, unheard: true},
		{name: "DelegatedOnly", opts: []Option{WithManifest([]byte(`{"authorization":{"permissions":{"resourceSpecific":[{"name":"ChannelMessage.Read.Group","type":"Delegated"}]}}}`))}, unheard: true},
		{name: "RSC", opts: []Option{WithManifest(rsc)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, tc.opts...)
			alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
			marc := srv.AddUser(User{ID: "29:marc", Name: "Marc", Installed: true})
			ch := srv.AddChannel(Channel{ID: "19:desk@thread.tacv2", Name: "Deal desk", TeamID: "19:team"})
			var got []string
			bot := http.NewServeMux()
			bot.HandleFunc("POST /api/messages", func(w http.ResponseWriter, r *http.Request) {
				var a Activity
				json.NewDecoder(r.Body).Decode(&a)
				got = append(got, a.Text)
			})
			srv.SetBotEndpoint(newHTTPServer(t, bot) + "/api/messages")
			ctx := t.Context()
			mention := func(a Activity, text string, who Account) Activity {
				b, _ := json.Marshal(map[string]any{"type": "mention", "text": text, "mentioned": who})
				a.Entities = append(a.Entities, b)
				return a
			}
			thread := ch.ID + ";messageid=1765000000001"

			unmentioned := []Activity{
				srv.Message(alice, thread, "reject too deep"),
				srv.Message(alice, ch.ID, "anyone seen the Acme deal?"),
				mention(srv.Message(alice, thread, "reject too deep"), "<at>dealpilot</at>", srv.Bot()), // an entity of no text
				mention(srv.Message(alice, thread, "<at>Marc</at> reject too deep"), "<at>Marc</at>", Account{ID: marc.ID, Name: "Marc"}),
			}
			for _, a := range unmentioned {
				_, err := srv.Deliver(ctx, a)
				if tc.unheard && !errors.Is(err, ErrNotMentioned) {
					t.Errorf("%q without the bot's mention: %v, want ErrNotMentioned", a.Text, err)
				}
				if !tc.unheard && err != nil {
					t.Errorf("%q with RSC: %v", a.Text, err)
				}
			}
			// A card the bot posted in the channel, with an Action.Submit.
			done := map[string]string{"verb": "done"}
			st, _, b := call(t, "POST", activitiesURL(srv, ch.ID), token(t, srv), map[string]any{"type": "message", "attachments": []map[string]any{{
				"contentType": AdaptiveCardType, "content": map[string]any{"type": "AdaptiveCard", "version": "1.5",
					"body":    []any{map[string]any{"type": "TextBlock", "text": "R-3"}},
					"actions": []any{map[string]any{"type": "Action.Submit", "title": "Done", "data": done}}}}}})
			var card struct{ ID string }
			if json.Unmarshal(b, &card); st != 200 {
				t.Fatalf("the card: %d %s", st, b)
			}
			heard := []Activity{
				mention(srv.Message(alice, thread, "<at>dealpilot</at> reject too deep"), "<at>dealpilot</at>", srv.Bot()),
				srv.Submit(alice, ch.ID, card.ID, done), // a click, not typed text
				mention(srv.Message(alice, ch.ID, "<at>dealpilot</at> pipeline"), "<at>dealpilot</at>", srv.Bot()),
				srv.Message(alice, srv.PersonalConversation(alice.ID), "pipeline"),
			}
			for _, a := range heard {
				if _, err := srv.Deliver(ctx, a); err != nil {
					t.Errorf("%q: %v", a.Text, err)
				}
			}
			want := len(heard)
			if !tc.unheard {
				want += len(unmentioned)
			}
			if len(got) != want {
				t.Errorf("the bot got %d messages, want %d: %q", len(got), want, got)
			}
			if _, err := srv.DeliverCrafted(ctx, srv.Message(alice, thread, "reject too deep")); err != nil {
				t.Errorf("crafted: %v", err)
			}
		})
	}
	if _, err := New(WithManifest([]byte(`{"authorization":`))); err == nil {
		t.Error("New took a manifest it cannot read")
	}
}
