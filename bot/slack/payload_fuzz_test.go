package slack

import (
	"encoding/json"
	"testing"

	"github.com/rs/zerolog"
	goslack "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/dealpilot/dealpilot/bot/seal"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// Payload seeds, shaped like the fixtures of slack-go's and the Bolt SDKs'
// tests (slash_commands, block_actions, view_submission, view_closed,
// block_suggestion, shortcut, events_api).
var payloadSeeds = []string{
	`{"token":"t","team_id":"T1","team_domain":"d","channel_id":"C1","channel_name":"sales","user_id":"U1","user_name":"lea","command":"/deal","text":"next D-1 Call by fri","api_app_id":"A1","response_url":"http://127.0.0.1/response/x","trigger_id":"1.2.abc"}`,
	`{"type":"block_actions","user":{"id":"U1","team_id":"T1"},"team":{"id":"T1"},"trigger_id":"1.2.3","response_url":"http://x/r","container":{"type":"message","channel_id":"C1","message_ts":"1.2"},"channel":{"id":"C1"},"actions":[{"type":"button","action_id":"deal_update","block_id":"b","value":"7","action_ts":"1.3"}]}`,
	`{"type":"view_submission","user":{"id":"U1"},"team":{"id":"T1"},"trigger_id":"1.2.4","view":{"id":"V1","type":"modal","callback_id":"deal_new","private_metadata":"{\"channel\":\"C1\",\"reply\":\"http://x/r\"}","blocks":[{"type":"input","block_id":"name","label":{"type":"plain_text","text":"Name"},"element":{"type":"plain_text_input","action_id":"name"}}],"state":{"values":{"name":{"name":{"type":"plain_text_input","value":"Acme"}},"close_date":{"close_date":{"type":"datepicker","selected_date":"2026-12-15"}},"stage":{"stage":{"type":"static_select","selected_option":{"text":{"type":"plain_text","text":"Q"},"value":"Qualification"}}},"owner":{"owner":{"type":"users_select","selected_user":"U2"}}}}}}`,
	`{"type":"view_closed","user":{"id":"U1"},"view":{"id":"V1","callback_id":"deal_update","private_metadata":"not json"},"is_cleared":false}`,
	`{"type":"block_suggestion","user":{"id":"U1"},"action_id":"deal","block_id":"deal","value":"acm","view":{"id":"V1","type":"modal"}}`,
	`{"type":"shortcut","callback_id":"new_deal","trigger_id":"1.2.5","user":{"id":"U1"}}`,
	`{"type":"view_submission","view":{"state":{"values":{"x":{"y":null}}},"blocks":[{"type":"section"},{"type":"input"}],"private_metadata":"{\"channel\":7}"}}`,
	`{"type":"event_callback","team_id":"T1","api_app_id":"A1","event_id":"Ev1","event":{"type":"app_home_opened","user":"U1","channel":"D1","tab":"home"}}`,
	`{"type":"event_callback","event":{"type":"message","channel":"C1","user":"U1","text":"hi","ts":"1.2"}}`,
	`{"type":"url_verification","challenge":"x"}`,
	`{}`, `[]`, `null`, `{"type":7}`, `{"view":{"blocks":"x"}}`,
}

// FuzzInteractivePayload feeds arbitrary JSON to the parse path slack-go's
// socketmode client takes for each envelope type (socketmode's parseEvent is
// private: the same json.Unmarshal into slack.SlashCommand and
// slack.InteractionCallback, and slackevents.ParseEvent) and then to our
// routing and form decoding: none may panic.
func FuzzInteractivePayload(f *testing.F) {
	for _, s := range payloadSeeds {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(1))
		f.Add([]byte(s), uint8(2))
	}
	sealer, err := seal.New(make([]byte, seal.KeySize))
	if err != nil {
		f.Fatal(err)
	}
	a := &App{seal: sealer, log: zerolog.Nop()}
	f.Fuzz(func(t *testing.T, raw []byte, kind uint8) {
		req := &socketmode.Request{EnvelopeID: "e1", Payload: raw}
		x := &exchange{req: req, log: zerolog.Nop()}
		switch kind % 3 {
		case 0:
			req.Type = socketmode.RequestTypeSlashCommands
			var cmd goslack.SlashCommand
			if json.Unmarshal(raw, &cmd) != nil {
				return
			}
			x.describe(socketmode.Event{Type: socketmode.EventTypeSlashCommand, Data: cmd, Request: req}, zerolog.Nop().With())
			_ = firstWord(cmd.Text)
		case 1:
			req.Type = socketmode.RequestTypeInteractive
			var cb goslack.InteractionCallback
			if json.Unmarshal(raw, &cb) != nil {
				return
			}
			x.describe(socketmode.Event{Type: socketmode.EventTypeInteractive, Data: cb, Request: req}, zerolog.Nop().With())
			vals := formValues(cb.View.State)
			_, _ = a.openMeta(cb.View, cb.User.ID)
			for _, act := range cb.ActionCallback.BlockActions {
				_, _ = a.openButton(act.ActionID, act.Value)
			}
			_ = firstInput(cb.View)
			_ = isViewSubmission(req)
			_ = firstInputBlock(req)
			var es domain.Errors
			for f := range vals {
				es = append(es, domain.FieldErrorf(f, "form.required"))
			}
			_ = fieldErrors(i18n.EN, cb.View, es)
		case 2:
			req.Type = socketmode.RequestTypeEventsAPI
			ev, err := slackevents.ParseEvent(raw, slackevents.OptionNoVerifyToken())
			if err != nil {
				return
			}
			x.describe(socketmode.Event{Type: socketmode.EventTypeEventsAPI, Data: ev, Request: req}, zerolog.Nop().With())
		}
	})
}
