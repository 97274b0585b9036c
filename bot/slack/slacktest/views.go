package slacktest

import (
	"encoding/json"
	"fmt"
	"time"
)

type trigger struct {
	id      string
	created time.Time
	used    bool
	user    string
	inv     *Invocation
	viewID  string // the modal the interaction happened in, if any
}

func (s *Server) newTriggerLocked(user string, inv *Invocation, viewID string) string {
	t := &trigger{id: s.newTriggerIDLocked(), created: s.now(), user: user, inv: inv, viewID: viewID}
	s.triggers[t.id] = t
	return t.id
}

// checkTriggerLocked returns the trigger or Slack's error code for it.
func (s *Server) checkTriggerLocked(id string) (*trigger, string) {
	t, ok := s.triggers[id]
	switch {
	case !ok:
		return nil, "invalid_trigger_id"
	case t.used:
		return nil, "exchanged_trigger_id"
	case s.now().Sub(t.created) > s.cfg.triggerTTL:
		return nil, "expired_trigger_id"
	}
	return t, ""
}

func (s *Server) newHashLocked() string {
	return fmt.Sprintf("%d.%s", s.now().Unix(), s.randAlnumLocked(8))
}

// applyViewLocked copies the (validated) view request into v and rebuilds v.Raw.
func (s *Server) applyViewLocked(v *View, raw []byte) {
	val, _ := decodeJSON(raw)
	m := obj(val)
	v.Type = str(m, "type")
	v.CallbackID = str(m, "callback_id")
	v.PrivateMetadata = str(m, "private_metadata")
	v.ExternalID = str(m, "external_id")
	v.NotifyOnClose, _ = m["notify_on_close"].(bool)
	v.ClearOnClose, _ = m["clear_on_close"].(bool)
	v.Title = str(obj(m["title"]), "text")
	v.Submit = str(obj(m["submit"]), "text")
	v.Close = str(obj(m["close"]), "text")
	blocks, _ := json.Marshal(m["blocks"])
	v.Blocks = s.normalizeBlocksLocked(blocks)
	v.Hash = s.newHashLocked()
	v.UpdatedAt = s.now()
	v.Raw = s.viewObjectLocked(*v, m, nil)
}

// keepStateLocked keeps, across an update of view v, what the user entered
// in the elements the new view still holds with the same block_id,
// action_id and type, and forgets the rest: "Data entered or selected in
// input blocks can be preserved while updating views. The new view object
// ... should contain the same input blocks and elements with identical
// block_id and action_id values" (api.slack.com/methods/views.update). An
// input the update removed comes back empty if a later update restores it.
func (s *Server) keepStateLocked(v View) {
	st := s.viewState[v.ID]
	if st == nil {
		return
	}
	kept := map[string]map[string]any{}
	for _, l := range findElements(v.Blocks) {
		aid := str(l.element, "action_id")
		sv, ok := st[l.blockID][aid]
		if !ok || str(obj(sv), "type") != str(l.element, "type") {
			continue
		}
		if kept[l.blockID] == nil {
			kept[l.blockID] = map[string]any{}
		}
		kept[l.blockID][aid] = sv
	}
	s.viewState[v.ID] = kept
}

// viewObjectLocked renders a view as Slack returns it (and sends it in payloads).
func (s *Server) viewObjectLocked(v View, req map[string]any, state map[string]map[string]any) json.RawMessage {
	if req == nil {
		val, _ := decodeJSON(v.Raw)
		req = obj(val)
	}
	if state == nil {
		state = map[string]map[string]any{}
	}
	get := func(k string) any {
		if x, ok := req[k]; ok {
			return x
		}
		return nil
	}
	out := map[string]any{
		"id": v.ID, "team_id": TeamID, "type": v.Type, "blocks": v.Blocks,
		"private_metadata": v.PrivateMetadata, "callback_id": v.CallbackID,
		"state": map[string]any{"values": state}, "hash": v.Hash,
		"clear_on_close": v.ClearOnClose, "notify_on_close": v.NotifyOnClose,
		"previous_view_id": nilIfEmpty(v.PreviousViewID), "root_view_id": v.RootViewID,
		"app_id": AppID, "external_id": v.ExternalID, "app_installed_team_id": TeamID, "bot_id": BotID,
	}
	if v.Type == "modal" {
		out["title"], out["close"], out["submit"] = get("title"), get("close"), get("submit")
	}
	return mustJSON(out)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) putViewLocked(v View) {
	if _, ok := s.st.Views[v.ID]; !ok {
		s.st.ViewOrder = append(s.st.ViewOrder, v.ID)
	}
	s.st.Views[v.ID] = v
}

func (s *Server) externalIDTakenLocked(ext, except string) bool {
	if ext == "" {
		return false
	}
	for id, v := range s.st.Views {
		if id != except && v.Open && v.ExternalID == ext {
			return true
		}
	}
	return false
}

func viewExternalID(raw []byte) string {
	val, _ := decodeJSON(raw)
	return str(obj(val), "external_id")
}

func (s *Server) closeStackLocked(user string) {
	for _, id := range s.st.ModalStacks[user] {
		v := s.st.Views[id]
		v.Open = false
		s.st.Views[id] = v
	}
	delete(s.st.ModalStacks, user)
}

// openModalLocked opens (push=false) or pushes a validated modal for user.
func (s *Server) openModalLocked(user, triggerID string, raw []byte, push bool) View {
	v := View{ID: s.newIDLocked("V"), User: user, TriggerID: triggerID, Open: true, OpenedAt: s.now()}
	stack := s.st.ModalStacks[user]
	if push && len(stack) > 0 {
		v.RootViewID = stack[0]
		v.PreviousViewID = stack[len(stack)-1]
	} else {
		s.closeStackLocked(user)
		stack = nil
		v.RootViewID = v.ID
	}
	s.applyViewLocked(&v, raw)
	s.st.ModalStacks[user] = append(stack, v.ID)
	s.putViewLocked(v)
	verb := "opened"
	if push {
		verb = "pushed"
	}
	s.emitViewLocked(v, verb)
	return v
}

func (s *Server) apiViewsOpen(r *apiReq) apiResult { return s.viewsOpenOrPush(r, false) }
func (s *Server) apiViewsPush(r *apiReq) apiResult { return s.viewsOpenOrPush(r, true) }

func (s *Server) viewsOpenOrPush(r *apiReq, push bool) apiResult {
	t, code := s.checkTriggerLocked(r.str("trigger_id"))
	if code != "" {
		return slackErr(code)
	}
	raw := r.raw("view")
	if raw == nil {
		return slackErr("invalid_arguments", "[ERROR] missing required field: view [json-pointer:/view]")
	}
	if code, msgs := validateView(raw, surfaceModal); code != "" {
		return slackErr(code, msgs...)
	}
	if s.externalIDTakenLocked(viewExternalID(raw), "") {
		return slackErr("duplicate_external_id")
	}
	if push {
		stack := s.st.ModalStacks[t.user]
		if len(stack) == 0 {
			return slackErr("not_found", "[ERROR] views.push needs an open modal; use views.open")
		}
		if len(stack) >= MaxPushedViews {
			return slackErr("push_limit_reached")
		}
	}
	t.used = true
	v := s.openModalLocked(t.user, t.id, raw, push)
	if t.inv != nil {
		s.addResponseLocked(t.inv, Response{Kind: ResponseViewOpened, ViewID: v.ID, Text: v.Title, Blocks: v.Blocks})
	}
	return apiResult{"ok": true, "view": v.Raw}
}

func (s *Server) apiViewsUpdate(r *apiReq) apiResult {
	var v View
	found := false
	if id := r.str("view_id"); id != "" {
		v, found = s.st.Views[id]
	} else if ext := r.str("external_id"); ext != "" {
		for _, x := range s.st.Views {
			if x.ExternalID == ext && x.Open {
				v, found = x, true
			}
		}
	} else {
		return slackErr("invalid_arguments", "[ERROR] view_id or external_id is required")
	}
	if !found || !v.Open {
		return slackErr("not_found")
	}
	if h := r.str("hash"); h != "" && h != v.Hash {
		return slackErr("hash_conflict")
	}
	raw := r.raw("view")
	if raw == nil {
		return slackErr("invalid_arguments", "[ERROR] missing required field: view [json-pointer:/view]")
	}
	sf := surfaceModal
	if v.Type == "home" {
		sf = surfaceHome
	}
	if code, msgs := validateView(raw, sf); code != "" {
		return slackErr(code, msgs...)
	}
	if s.externalIDTakenLocked(viewExternalID(raw), v.ID) {
		return slackErr("duplicate_external_id")
	}
	s.applyViewLocked(&v, raw)
	s.keepStateLocked(v)
	v.Updates++
	s.putViewLocked(v)
	s.emitViewLocked(v, "updated")
	return apiResult{"ok": true, "view": v.Raw}
}

func (s *Server) apiViewsPublish(r *apiReq) apiResult {
	user := r.str("user_id")
	if _, ok := s.st.Users[user]; !ok {
		return slackErr("user_not_found")
	}
	raw := r.raw("view")
	if raw == nil {
		return slackErr("invalid_arguments", "[ERROR] missing required field: view [json-pointer:/view]")
	}
	if code, msgs := validateView(raw, surfaceHome); code != "" {
		return slackErr(code, msgs...)
	}
	var v View
	if id, ok := s.st.HomeViews[user]; ok {
		v = s.st.Views[id]
		if h := r.str("hash"); h != "" && h != v.Hash {
			return slackErr("hash_conflict")
		}
		v.Updates++
	} else {
		v = View{ID: s.newIDLocked("V"), User: user, Open: true, OpenedAt: s.now()}
		v.RootViewID = v.ID
		s.st.HomeViews[user] = v.ID
	}
	s.applyViewLocked(&v, raw)
	s.putViewLocked(v)
	s.emitViewLocked(v, "published")
	return apiResult{"ok": true, "view": v.Raw}
}
