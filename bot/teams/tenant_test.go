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

// foreign makes a come from another tenant than the local Teams'.
func foreign(a teamstest.Activity) teamstest.Activity {
	a.Conversation.TenantID = "f0f0f0f0-0000-4000-8000-00000000beef"
	a.ChannelData, _ = json.Marshal(map[string]any{"tenant": map[string]string{"id": a.Conversation.TenantID}})
	return a
}

// TestSecondTenantRefusedOnceOneIsKnown: an App given no tenant (serve
// requires TEAMS_TENANT_ID; this is the library's own guard) serves the
// first tenant it hears from and refuses any other from then on, also
// after a restart (the tenant is kept): another tenant's message is not
// answered, its invoke is answered 403, and the bot keeps posting in its
// own tenant.
func TestSecondTenantRefusedOnceOneIsKnown(t *testing.T) {
	e := newE2E(t) // no TenantID in AppOptions
	e.deliver(e.srv.Message(e.lea, e.srv.PersonalConversation(e.lea.ID), "deal show D-1"))
	mallory := e.srv.AddUser(teamstest.User{ID: "29:mallory", AADObjectID: "6b0e3a1c-9f8d-4e7c-b6a5-d4c3b2a19080", Name: "Mallory", Installed: true})
	mconv := e.srv.PersonalConversation(mallory.ID)
	for _, restart := range []bool{false, true} {
		if restart {
			e.reopen()
		}
		if d, err := e.srv.Deliver(e.ctx, foreign(e.srv.Message(mallory, mconv, "deal show D-1"))); err != nil || d.Status >= 500 {
			t.Fatalf("restart %v: another tenant's message: %v %+v", restart, err, d)
		}
		d, err := e.srv.DeliverCrafted(e.ctx, foreign(e.srv.TaskFetch(mallory, mconv, "1", map[string]any{commandKey: "deal update D-1"}))) // the bot posted her no card
		if err != nil || d.Status != 403 {
			t.Fatalf("restart %v: another tenant's invoke: %v, status %d", restart, err, d.Status)
		}
		e.settle()
		if n := len(e.srv.Posted(mconv)); n != 0 {
			t.Fatalf("restart %v: the bot answered another tenant's user:\n%s", restart, e.srv.TranscriptText())
		}
		if _, err := e.app.Post(e.ctx, desk01, "", bot.Announcement{Msgs: []bot.Msg{bot.M("deal.unchanged", "D-1")}}); err != nil {
			t.Errorf("restart %v: after another tenant's activity the bot cannot post in its own channel: %v", restart, err)
		}
	}
}
