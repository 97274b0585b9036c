package teamstest

import (
	"encoding/json"
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
	if _, err := srv.Deliver(ctx, srv.Message(alice, ch.ID, "&lt;at&gt;dealpilot&lt;/at&gt; typed literally")); err != nil {
		t.Errorf("an escaped <at>: %v", err)
	}
	if _, err := srv.DeliverCrafted(ctx, bare); err != nil {
		t.Errorf("crafted: %v", err)
	}
}
