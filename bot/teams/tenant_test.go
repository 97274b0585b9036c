package teams

import (
	"encoding/json"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

// TestForeignTenantChangesNothing: with TEAMS_TENANT_ID set, an activity
// from another tenant (anyone can sideload a manifest naming our bot id in
// their own tenant, and Microsoft then signs its traffic) is not handled,
// and does not move the tenant the bot opens conversations in: the desk
// channel keeps getting its posts.
func TestForeignTenantChangesNothing(t *testing.T) {
	e := newE2E(t)
	tc := configFor(e.srv)
	app, err := NewApp(AppOptions{Bot: e.bot, Client: NewClient(tc, WithClientClock(manualSleeper{e.clock})), AppID: tc.AppID,
		TenantID: tc.TenantID, ServiceURL: e.srv.ServiceURL(), Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	v := NewVerifier(tc, WithVerifierClock(e.clock.Now))
	e.srv.SetBotEndpoint(serve(t, NewHandler(v, app.Handle, WithHandlerLogf(t.Logf), WithHandlerClock(e.clock.Now)).Mux()) + MessagesPath)

	mallory := e.srv.AddUser(teamstest.User{ID: "29:mallory", AADObjectID: "6b0e3a1c-9f8d-4e7c-b6a5-d4c3b2a19080", Name: "Mallory", Installed: true})
	mconv := e.srv.PersonalConversation(mallory.ID)
	msg := e.srv.Message(mallory, mconv, "deal show D-1")
	msg.Conversation.TenantID = "f0f0f0f0-0000-4000-8000-00000000beef"
	msg.ChannelData, _ = json.Marshal(map[string]any{"tenant": map[string]string{"id": msg.Conversation.TenantID}})
	before := len(e.srv.Posted(mconv))
	if d, err := e.srv.Deliver(e.ctx, msg); err != nil || d.Status >= 500 {
		t.Fatalf("foreign activity: %v %+v", err, d)
	}
	if n := len(e.srv.Posted(mconv)); n != before {
		t.Errorf("the bot answered another tenant's user:\n%s", e.srv.TranscriptText())
	}
	if _, err := app.Post(e.ctx, desk01, "", bot.Announcement{Msgs: []bot.Msg{bot.M("deal.unchanged", "D-1")}}); err != nil {
		t.Errorf("after another tenant's activity the bot cannot post in its own channel: %v", err)
	}
}
