package slacktest

// Inputs that dispatch block_actions as the user types: an input block with
// "dispatch_action": true, whose text element's dispatch_action_config
// says when ("on_enter_pressed", "on_character_entered"). Sources:
// docs.slack.dev/reference/block-kit/composition-objects/dispatch-action-configuration-object
// (one or both trigger values; only text-like inputs take the object),
// docs.slack.dev/reference/block-kit/blocks/input-block (dispatch_action,
// a boolean, default false) and docs.slack.dev/reference/methods/views.update
// (hash: "represents view state to protect against possible race
// conditions"; hash_conflict when it is not the current one).

import (
	"fmt"
	"slices"
)

// Trigger values of dispatch_action_config.trigger_actions_on.
const (
	TriggerOnEnterPressed     = "on_enter_pressed"
	TriggerOnCharacterEntered = "on_character_entered"
)

// dispatchable are the elements that take a dispatch_action_config.
var dispatchable = map[string]bool{
	"plain_text_input": true, "email_text_input": true, "url_text_input": true,
	"number_input": true, "rich_text_input": true,
}

// dispatchAction checks an input block's dispatch_action flag: a boolean,
// and not true on a file_input, which cannot dispatch
// (docs.slack.dev/reference/block-kit/blocks/input-block: "incompatible
// with the file_input block element ... an unsupported type error will be
// raised").
func (v *validator) dispatchAction(ptr string, b map[string]any) {
	x, ok := b["dispatch_action"]
	if !ok {
		return
	}
	on, isBool := x.(bool)
	if !isBool {
		v.add(ptr+"/dispatch_action", "must be a boolean")
		return
	}
	if t := str(obj(b["element"]), "type"); on && t == "file_input" {
		v.add(ptr+"/dispatch_action", "unsupported type: dispatch_action is not allowed with a %s element", t)
	}
}

// dispatchConfig checks an element's dispatch_action_config: only on text
// inputs, with trigger_actions_on one or both of the two known triggers.
func (v *validator) dispatchConfig(ptr string, e map[string]any) {
	raw, ok := e["dispatch_action_config"]
	if !ok {
		return
	}
	ptr += "/dispatch_action_config"
	if t := str(e, "type"); !dispatchable[t] {
		v.add(ptr, "is not allowed on a %s element (only on text inputs)", t)
		return
	}
	cfg := obj(raw)
	if cfg == nil {
		v.add(ptr, "must be an object")
		return
	}
	for k := range cfg {
		if k != "trigger_actions_on" {
			v.add(ptr+"/"+k, "unknown field")
		}
	}
	list, isList := cfg["trigger_actions_on"].([]any)
	if _, present := cfg["trigger_actions_on"]; present && !isList {
		v.add(ptr+"/trigger_actions_on", "must be an array")
		return
	}
	if isList && len(list) == 0 {
		v.add(ptr+"/trigger_actions_on", "must be more than 0 items")
	}
	var seen []string
	for i, x := range list {
		s, _ := x.(string)
		switch {
		case s != TriggerOnEnterPressed && s != TriggerOnCharacterEntered:
			v.add(fmt.Sprintf("%s/trigger_actions_on/%d", ptr, i), "must be one of %s, %s", TriggerOnEnterPressed, TriggerOnCharacterEntered)
		case slices.Contains(seen, s):
			v.add(fmt.Sprintf("%s/trigger_actions_on/%d", ptr, i), "duplicate value %q", s)
		}
		seen = append(seen, s)
	}
}

// triggers is when an input dispatches block_actions: nothing without
// dispatch_action on its block; on Enter when its element has no
// dispatch_action_config (Slack's default); else what the config lists.
func triggers(l located) []string {
	if d, _ := l.block["dispatch_action"].(bool); !d || !l.inInput {
		return nil
	}
	cfg := obj(l.element["dispatch_action_config"])
	if cfg == nil {
		return []string{TriggerOnEnterPressed}
	}
	var out []string
	for _, x := range arr(cfg["trigger_actions_on"]) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// isTextInput reports whether the user types into el rather than picks.
func isTextInput(el map[string]any) bool { return dispatchable[str(el, "type")] }

// Type makes user type act.Value into the text input act.ActionID (set
// act.BlockID when several blocks hold it) of its visible modal viewID,
// replacing what the input held; max_length is enforced as the client
// does. The view state takes the text at once, so a later submission
// carries it.
//
// When the input's block has dispatch_action and its element's
// dispatch_action_config lists on_character_entered, the app gets a
// block_actions payload as Slack sends one while the user types (here one
// for the whole text, as a client batching keystrokes would): the action
// with its action_ts, and the view with its id, its current hash and the
// state values. Type then returns that Invocation; otherwise it returns a
// nil Invocation, Slack sending nothing before Enter (PressEnter) or Submit.
func (s *Server) Type(user, viewID string, act Action) (*Invocation, error) {
	return s.typeInto(user, viewID, act, TriggerOnCharacterEntered)
}

// PressEnter makes user press Enter in the text input act.ActionID of its
// visible modal viewID, after typing act.Value into it when act.Value is
// not empty. The app gets a block_actions payload (returned) when the
// input dispatches on_enter_pressed, the default of a dispatch_action
// input without dispatch_action_config; otherwise the Invocation is nil.
func (s *Server) PressEnter(user, viewID string, act Action) (*Invocation, error) {
	return s.typeInto(user, viewID, act, TriggerOnEnterPressed)
}

func (s *Server) typeInto(user, viewID string, act Action, trigger string) (*Invocation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.checkUserLocked(user)
	if err != nil {
		return nil, err
	}
	v, err := s.topModalLocked(user, viewID)
	if err != nil {
		return nil, err
	}
	loc, err := findElement(v.Blocks, act.ActionID, act.BlockID)
	if err != nil {
		return nil, err
	}
	if !loc.inInput || !isTextInput(loc.element) {
		return nil, fmt.Errorf("slacktest: %q is a %s, not a text input: use BlockAction or SubmitView", act.ActionID, str(loc.element, "type"))
	}
	aid := str(loc.element, "action_id")
	sv := obj(s.viewStateValuesLocked(v)[loc.blockID][aid])
	if act.Value != "" || trigger == TriggerOnCharacterEntered {
		if sv, err = s.stateValueLocked(loc.element, Action{ActionID: aid, Value: act.Value}, true); err != nil {
			return nil, err
		}
		s.setViewStateLocked(v.ID, loc.blockID, aid, sv)
	}
	if !slices.Contains(triggers(loc), trigger) {
		return nil, nil
	}
	return s.viewBlockActionLocked(u, v, loc, sv), nil
}
