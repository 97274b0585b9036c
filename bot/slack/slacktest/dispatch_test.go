package slacktest

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// rawBlock is a block written as JSON, for shapes slack-go cannot build.
type rawBlock string

func (b rawBlock) BlockType() slack.MessageBlockType { return "raw" }
func (b rawBlock) ID() string                        { return "" }
func (b rawBlock) MarshalJSON() ([]byte, error)      { return []byte(b), nil }

// textInput is an input block with a plain-text input "pct" and extra, the
// JSON fields to add to the block (dispatch_action) and to the element.
func textInput(block, element string) rawBlock {
	if block != "" {
		block = "," + block
	}
	if element != "" {
		element = "," + element
	}
	return rawBlock(`{"type":"input","block_id":"pct_block","label":{"type":"plain_text","text":"Discount"}` + block +
		`,"element":{"type":"plain_text_input","action_id":"pct","max_length":5` + element + `}}`)
}

func TestDispatchActionConfigRefused(t *testing.T) {
	tests := []struct {
		name  string
		block rawBlock
		want  string // "" when Slack accepts the view
	}{
		{"OK", textInput(`"dispatch_action":true`, `"dispatch_action_config":{"trigger_actions_on":["on_character_entered","on_enter_pressed"]}`), ""},
		{"OKNoConfig", textInput(`"dispatch_action":true`, ""), ""},
		{"ErrUnknownTrigger", textInput(`"dispatch_action":true`, `"dispatch_action_config":{"trigger_actions_on":["on_blur"]}`),
			"/dispatch_action_config/trigger_actions_on/0"},
		{"ErrEmptyTriggers", textInput(`"dispatch_action":true`, `"dispatch_action_config":{"trigger_actions_on":[]}`),
			"must be more than 0 items [json-pointer:/view/blocks/0/element/dispatch_action_config/trigger_actions_on]"},
		{"ErrTriggersNotList", textInput(`"dispatch_action":true`, `"dispatch_action_config":{"trigger_actions_on":"on_enter_pressed"}`),
			"must be an array [json-pointer:/view/blocks/0/element/dispatch_action_config/trigger_actions_on]"},
		{"ErrDuplicateTrigger", textInput(`"dispatch_action":true`, `"dispatch_action_config":{"trigger_actions_on":["on_enter_pressed","on_enter_pressed"]}`),
			"duplicate value"},
		{"ErrUnknownField", textInput(`"dispatch_action":true`, `"dispatch_action_config":{"trigger_actions_on":["on_enter_pressed"],"debounce":300}`),
			"/dispatch_action_config/debounce"},
		{"ErrDispatchActionNotBool", textInput(`"dispatch_action":"yes"`, ""), "must be a boolean [json-pointer:/view/blocks/0/dispatch_action]"},
		{"ErrConfigOnSelect", rawBlock(`{"type":"input","block_id":"stage_block","dispatch_action":true,"label":{"type":"plain_text","text":"Stage"},` +
			`"element":{"type":"static_select","action_id":"stage","options":[{"text":{"type":"plain_text","text":"Won"},"value":"won"}],` +
			`"dispatch_action_config":{"trigger_actions_on":["on_character_entered"]}}}`),
			"not allowed on a static_select element"},
		{"OKSelect", rawBlock(`{"type":"input","block_id":"stage_block","dispatch_action":true,"label":{"type":"plain_text","text":"Stage"},` +
			`"element":{"type":"static_select","action_id":"stage","options":[{"text":{"type":"plain_text","text":"Won"},"value":"won"}]}}`), ""},
		{"ErrFileInput", rawBlock(`{"type":"input","block_id":"file_block","dispatch_action":true,"label":{"type":"plain_text","text":"Contract"},` +
			`"element":{"type":"file_input","action_id":"contract"}}`),
			"unsupported type: dispatch_action is not allowed with a file_input element [json-pointer:/view/blocks/0/dispatch_action]"},
	}
	srv := newServer(t)
	api := apiClient(srv)
	ctx := testCtx(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "")
			if err != nil {
				t.Fatal(err)
			}
			_, err = api.OpenViewContext(ctx, inv.TriggerID, modal("Deal", tt.block))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var se slack.SlackErrorResponse
			if !errors.As(err, &se) || se.Err != "invalid_arguments" || !strings.Contains(strings.Join(se.ResponseMetadata.Messages, "\n"), tt.want) {
				t.Fatalf("want invalid_arguments naming %q, got %v %+v", tt.want, err, se.ResponseMetadata)
			}
		})
	}
}

// liveModal opens a modal holding input for alice and returns it; the bot
// records every block_actions payload in got.
func liveModal(t *testing.T, srv *Server, input slack.Block) (View, func() []slack.InteractionCallback) {
	t.Helper()
	ctx := testCtx(t)
	var mu sync.Mutex
	var got []slack.InteractionCallback
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		switch evt.Type {
		case socketmode.EventTypeSlashCommand:
			_ = sm.Ack(*evt.Request)
			cmd := evt.Data.(slack.SlashCommand)
			if _, err := sm.OpenViewContext(ctx, cmd.TriggerID, modal("Deal", input)); err != nil {
				t.Errorf("views.open: %v", err)
			}
		case socketmode.EventTypeInteractive:
			// Recorded before the ack: the tests read what arrived once
			// the ack is in, so it must be there by then.
			mu.Lock()
			got = append(got, evt.Data.(slack.InteractionCallback))
			mu.Unlock()
			_ = sm.Ack(*evt.Request)
		default:
			_ = sm.Ack(*evt.Request)
		}
	})
	inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := inv.WaitView(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return v, func() []slack.InteractionCallback {
		mu.Lock()
		defer mu.Unlock()
		return append([]slack.InteractionCallback(nil), got...)
	}
}

func TestTypeDispatchesOnCharacterEntered(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	v, got := liveModal(t, srv, textInput(`"dispatch_action":true`, `"dispatch_action_config":{"trigger_actions_on":["on_character_entered"]}`))

	inv, err := srv.Type("U0ALICE", v.ID, Action{ActionID: "pct", Value: "25"})
	if err != nil || inv == nil {
		t.Fatalf("typing sent nothing: %v", err)
	}
	if _, err := inv.WaitAck(ctx); err != nil {
		t.Fatal(err)
	}
	cbs := got()
	if len(cbs) != 1 {
		t.Fatalf("%d payloads, want 1", len(cbs))
	}
	cb := cbs[0]
	a := cb.ActionCallback.BlockActions
	if cb.Type != slack.InteractionTypeBlockActions || len(a) != 1 || a[0].ActionID != "pct" || a[0].BlockID != "pct_block" ||
		a[0].Value != "25" || a[0].ActionTs == "" {
		t.Fatalf("payload %+v actions %+v", cb, a)
	}
	if cb.View.ID != v.ID || cb.View.Hash != v.Hash || cb.View.State == nil || cb.View.State.Values["pct_block"]["pct"].Value != "25" {
		t.Fatalf("view in payload: id %s hash %s (want %s %s) state %+v", cb.View.ID, cb.View.Hash, v.ID, v.Hash, cb.View.State)
	}
	if cb.Container.ViewID != v.ID || cb.TriggerID == "" {
		t.Fatalf("container %+v trigger %q", cb.Container, cb.TriggerID)
	}
	// The client refuses what max_length refuses.
	if _, err := srv.Type("U0ALICE", v.ID, Action{ActionID: "pct", Value: "123456"}); err == nil {
		t.Fatal("6 characters typed into a max_length 5 input")
	}
	// A text input is typed into, not clicked.
	if _, err := srv.BlockAction("U0ALICE", InView(v.ID), Action{ActionID: "pct", Value: "30"}); err == nil {
		t.Fatal("BlockAction on a text input")
	}
	// Enter is not a trigger of this input.
	if inv, err := srv.PressEnter("U0ALICE", v.ID, Action{ActionID: "pct"}); err != nil || inv != nil {
		t.Fatalf("Enter dispatched on an on_character_entered input: %v %v", inv, err)
	}
}

func TestTypeWithoutCharacterTrigger(t *testing.T) {
	tests := []struct {
		name      string
		input     rawBlock
		onEnter   bool // PressEnter dispatches
		submitted string
	}{
		{"NoDispatchAction", textInput("", `"dispatch_action_config":{"trigger_actions_on":["on_character_entered"]}`), false, "12"},
		{"DispatchActionFalse", textInput(`"dispatch_action":false`, ""), false, "12"},
		{"DefaultIsEnter", textInput(`"dispatch_action":true`, ""), true, "12"},
		{"EnterOnly", textInput(`"dispatch_action":true`, `"dispatch_action_config":{"trigger_actions_on":["on_enter_pressed"]}`), true, "12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			ctx := testCtx(t)
			v, got := liveModal(t, srv, tt.input)
			inv, err := srv.Type("U0ALICE", v.ID, Action{ActionID: "pct", Value: "12"})
			if err != nil || inv != nil {
				t.Fatalf("typing dispatched: %v %v", inv, err)
			}
			inv, err = srv.PressEnter("U0ALICE", v.ID, Action{ActionID: "pct"})
			if err != nil || (inv != nil) != tt.onEnter {
				t.Fatalf("Enter dispatched %v, want %v (%v)", inv != nil, tt.onEnter, err)
			}
			if inv != nil {
				if _, err := inv.WaitAck(ctx); err != nil {
					t.Fatal(err)
				}
				if cbs := got(); len(cbs) != 1 || cbs[0].View.State.Values["pct_block"]["pct"].Value != "12" {
					t.Fatalf("payloads %+v", cbs)
				}
			}
			// What was typed is in the view state all the same.
			sub, err := srv.SubmitView("U0ALICE", v.ID, Values{})
			if err != nil {
				t.Fatal(err)
			}
			var p struct {
				View struct {
					State struct {
						Values map[string]map[string]struct{ Value string }
					}
				}
			}
			if err := json.Unmarshal(sub.Payload, &p); err != nil || p.View.State.Values["pct_block"]["pct"].Value != tt.submitted {
				t.Fatalf("submitted state %+v %v", p.View.State.Values, err)
			}
		})
	}
}

func TestViewsUpdateStaleHashRefused(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	api := apiClient(srv)
	in := textInput(`"dispatch_action":true`, `"dispatch_action_config":{"trigger_actions_on":["on_character_entered"]}`)
	v, got := liveModal(t, srv, in)

	// Two keystrokes made on the same version of the view carry its hash.
	for _, s := range []string{"2", "25"} {
		inv, err := srv.Type("U0ALICE", v.ID, Action{ActionID: "pct", Value: s})
		if err != nil || inv == nil {
			t.Fatal(err)
		}
		if _, err := inv.WaitAck(ctx); err != nil {
			t.Fatal(err)
		}
	}
	cbs := got()
	if len(cbs) != 2 || cbs[0].View.Hash != v.Hash || cbs[1].View.Hash != v.Hash {
		t.Fatalf("hashes %q %q, want both %q (typing does not change it)", cbs[0].View.Hash, cbs[1].View.Hash, v.Hash)
	}
	// The first update made with it wins; the second is refused.
	first, err := api.UpdateViewContext(ctx, modal("At 25", in), "", cbs[1].View.Hash, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if first.Hash == v.Hash || first.Hash == "" {
		t.Fatalf("views.update kept hash %q", first.Hash)
	}
	if _, err := api.UpdateViewContext(ctx, modal("At 2", in), "", cbs[0].View.Hash, v.ID); err == nil || err.Error() != "hash_conflict" {
		t.Fatalf("stale hash: %v", err)
	}
	if cur, _ := srv.View(v.ID); cur.Title != "At 25" || cur.Hash != first.Hash {
		t.Fatalf("view is %q %s after the refused update", cur.Title, cur.Hash)
	}
	// The typed text survives the update (same block_id and action_id),
	// and the next keystroke carries the new hash.
	inv, err := srv.Type("U0ALICE", v.ID, Action{ActionID: "pct", Value: "250"})
	if err != nil || inv == nil {
		t.Fatal(err)
	}
	if _, err := inv.WaitAck(ctx); err != nil {
		t.Fatal(err)
	}
	if cbs := got(); cbs[2].View.Hash != first.Hash {
		t.Fatalf("next keystroke carries hash %q, want %q", cbs[2].View.Hash, first.Hash)
	}
	// views.publish changes an App Home's hash the same way.
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocksN(1)}}
	h1, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0ALICE", View: home})
	if err != nil {
		t.Fatal(err)
	}
	h2, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0ALICE", View: home, Hash: &h1.Hash})
	if err != nil || h2.Hash == h1.Hash {
		t.Fatalf("publish with the current hash: %v (hash %q → %q)", err, h1.Hash, h2.Hash)
	}
	if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0ALICE", View: home, Hash: &h1.Hash}); err == nil || err.Error() != "hash_conflict" {
		t.Fatalf("publish with a stale hash: %v", err)
	}
}

// stageSelect is an input block with a static select "stage" that
// dispatches block_actions when an option is picked.
const stageSelect = rawBlock(`{"type":"input","block_id":"stage","dispatch_action":true,"label":{"type":"plain_text","text":"Stage"},` +
	`"element":{"type":"static_select","action_id":"stage","options":[` +
	`{"text":{"type":"plain_text","text":"Qualification"},"value":"Qualification"},` +
	`{"text":{"type":"plain_text","text":"Discovery"},"value":"Discovery"}]}}`)

// needInput is an input block "need" with a plain-text input.
const needInput = rawBlock(`{"type":"input","block_id":"need","label":{"type":"plain_text","text":"Need"},` +
	`"element":{"type":"plain_text_input","action_id":"need"}}`)

// What a user entered survives views.update where the new view holds the
// same block_id and action_id, and only there; views.update needs the id
// of an open view.
func TestViewsUpdateKeepsInputsWithSameIDs(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	api := apiClient(srv)
	v, got := liveModal(t, srv, stageSelect)

	inv, err := srv.BlockAction("U0ALICE", InView(v.ID), Action{ActionID: "stage", Value: "Discovery"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inv.WaitAck(ctx); err != nil {
		t.Fatal(err)
	}
	cbs := got()
	if len(cbs) != 1 || cbs[0].View.State.Values["stage"]["stage"].SelectedOption.Value != "Discovery" || cbs[0].View.Hash != v.Hash {
		t.Fatalf("payloads %+v", cbs)
	}
	if _, err := api.UpdateViewContext(ctx, modal("Deal", stageSelect, needInput), "", v.Hash, "V0NOSUCH"); err == nil || err.Error() != "not_found" {
		t.Fatalf("views.update of an unknown view: %v", err)
	}
	up, err := api.UpdateViewContext(ctx, modal("Deal", stageSelect, needInput), "", cbs[0].View.Hash, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Type("U0ALICE", v.ID, Action{ActionID: "need", Value: "Faster closes"}); err != nil {
		t.Fatal(err)
	}
	// state is the view's state as the next block_actions payload carries it.
	state := func() map[string]map[string]slack.BlockAction {
		t.Helper()
		inv, err := srv.BlockAction("U0ALICE", InView(v.ID), Action{ActionID: "stage", Value: "Discovery"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := inv.WaitAck(ctx); err != nil {
			t.Fatal(err)
		}
		cbs := got()
		return cbs[len(cbs)-1].View.State.Values
	}
	// The pick made before the update is still there, with the text typed after.
	if st := state(); st["stage"]["stage"].SelectedOption.Value != "Discovery" || st["need"]["need"].Value != "Faster closes" {
		t.Fatalf("state after the update: %+v", st)
	}
	// An update without the Need input forgets it; restoring it brings it back empty.
	up, err = api.UpdateViewContext(ctx, modal("Deal", stageSelect), "", up.Hash, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.UpdateViewContext(ctx, modal("Deal", stageSelect, needInput), "", up.Hash, v.ID); err != nil {
		t.Fatal(err)
	}
	if st := state(); st["need"]["need"].Value != "" || st["stage"]["stage"].SelectedOption.Value != "Discovery" {
		t.Fatalf("state after removing and restoring Need: %+v", st)
	}
}
