package slacktest

import (
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// TestForgeEditsOnePayload: Forge alters the next payload the app gets
// (value and response_url of a click here), and only that one.
func TestForgeEditsOnePayload(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	got := make(chan slack.InteractionCallback, 2)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		_ = sm.Ack(*evt.Request)
		if cb, ok := evt.Data.(slack.InteractionCallback); ok {
			got <- cb
		}
	})
	api := apiClient(srv)
	_, ts, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionBlocks(slack.NewActionBlock("acts",
		slack.NewButtonBlockElement("approve", "deal-1", slack.NewTextBlockObject("plain_text", "Approve", false, false)))))
	if err != nil {
		t.Fatal(err)
	}
	srv.Forge(func(p map[string]any) {
		p["actions"].([]any)[0].(map[string]any)["value"] = "deal-2"
		p["response_url"] = "http://127.0.0.1:9/elsewhere"
	})
	click := func() (*Invocation, slack.InteractionCallback) {
		t.Helper()
		inv, err := srv.BlockAction("U0ALICE", InMessage("C0SALES", ts), Action{ActionID: "approve"})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case cb := <-got:
			return inv, cb
		case <-ctx.Done():
			t.Fatal("the click never reached the app")
		}
		panic("unreachable")
	}
	inv, cb := click()
	if v := cb.ActionCallback.BlockActions[0].Value; v != "deal-2" || cb.ResponseURL != "http://127.0.0.1:9/elsewhere" {
		t.Errorf("forged click: value %q, response_url %q", v, cb.ResponseURL)
	}
	if inv.ResponseURL != cb.ResponseURL {
		t.Errorf("invocation's response_url %q; the app got %q", inv.ResponseURL, cb.ResponseURL)
	}
	_, cb = click()
	if v := cb.ActionCallback.BlockActions[0].Value; v != "deal-1" || cb.ResponseURL == "http://127.0.0.1:9/elsewhere" {
		t.Errorf("the next click was edited too: value %q, response_url %q", v, cb.ResponseURL)
	}
}
