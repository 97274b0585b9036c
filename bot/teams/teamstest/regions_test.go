package teamstest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func membersURL(serviceURL, conv, query string) string {
	return serviceURL + "v3/conversations/" + url.PathEscape(conv) + "/pagedmembers" + query
}

// TestConversationsAtTheirOwnServiceURL: a tenant spread over two regions:
// each channel (and a user's 1:1 conversation) answers at the service URL
// of its team's region, 404 at the other; a region nobody is served from
// is no service at all; activities from a channel carry its region's
// service URL and its team.
func TestConversationsAtTheirOwnServiceURL(t *testing.T) {
	srv := newServer(t)
	srv.AddChannel(Channel{ID: "19:emea@thread.tacv2", TeamID: "19:team-emea", Region: "emea"})
	srv.AddChannel(Channel{ID: "19:amer@thread.tacv2", TeamID: "19:team-amer"})
	bob := srv.AddUser(User{ID: "29:bob", Name: "Bob", Installed: true, Region: "emea"})
	tok := token(t, srv)
	msg := map[string]any{"type": "message", "text": "hi"}
	emea, def := srv.ServiceURLFor("emea"), srv.ServiceURL()
	if def != srv.ServiceURLFor("") || emea == def {
		t.Fatalf("service URLs %s, %s", emea, def)
	}
	for _, tt := range []struct {
		name, svc, conv string
		status          int
	}{
		{"ChannelAtItsRegion", emea, "19:emea@thread.tacv2", 200},
		{"ChannelAtAnother", def, "19:emea@thread.tacv2", 404},
		{"DefaultChannel", def, "19:amer@thread.tacv2", 200},
		{"DefaultChannelAtEmea", emea, "19:amer@thread.tacv2", 404},
		{"PersonalAtItsRegion", emea, srv.PersonalConversation(bob.ID), 200},
		{"PersonalAtAnother", def, srv.PersonalConversation(bob.ID), 404},
		{"UnknownRegion", srv.ServiceURLFor("apac"), "19:amer@thread.tacv2", 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if st, _, b := call(t, "POST", tt.svc+"v3/conversations/"+url.PathEscape(tt.conv)+"/activities", tok, msg); st != tt.status {
				t.Errorf("send to %s at %s = %d %s, want %d", tt.conv, tt.svc, st, b, tt.status)
			}
		})
	}
	// a new channel thread and a 1:1 conversation: at their region only
	post := func(svc string, body map[string]any) int {
		st, _, _ := call(t, "POST", svc+"v3/conversations", tok, body)
		return st
	}
	thread := map[string]any{"isGroup": true, "bot": srv.Bot(), "activity": msg,
		"channelData": map[string]any{"channel": map[string]string{"id": "19:emea@thread.tacv2"}, "tenant": map[string]string{"id": srv.TenantID()}}}
	if a, b := post(emea, thread), post(def, thread); a != 201 || b != 404 {
		t.Errorf("a thread in the emea channel: %d at emea, %d at the default, want 201 and 404", a, b)
	}
	personal := map[string]any{"bot": srv.Bot(), "members": []Account{{ID: bob.ID}}, "channelData": map[string]any{"tenant": map[string]string{"id": srv.TenantID()}}}
	if a, b := post(emea, personal), post(def, personal); a != 201 || b != 404 {
		t.Errorf("Bob's 1:1 conversation: %d at emea, %d at the default, want 201 and 404", a, b)
	}
	// what Teams sends from there says where it is served and its team
	a := srv.Message(bob, "19:emea@thread.tacv2", "hi")
	var cd struct {
		Team struct{ ID string } `json:"team"`
	}
	json.Unmarshal(a.ChannelData, &cd)
	if a.ServiceURL != emea || cd.Team.ID != "19:team-emea" {
		t.Errorf("an activity from the emea channel: serviceUrl %s, team %q", a.ServiceURL, cd.Team.ID)
	}
}

// TestPagedMembers: a page of a conversation's members, with a
// continuation; the token is checked, an unknown conversation is 404.
func TestPagedMembers(t *testing.T) {
	srv := newServer(t)
	srv.AddChannel(Channel{ID: "19:sales@thread.tacv2", TeamID: "19:team"})
	for i := range 60 {
		srv.AddUser(User{ID: "29:u" + string(rune('A'+i/26)) + string(rune('a'+i%26)), Name: "U"})
	}
	tok := token(t, srv)
	var page struct {
		Members           []Account `json:"members"`
		ContinuationToken string    `json:"continuationToken"`
	}
	st, _, b := call(t, "GET", membersURL(srv.ServiceURL(), "19:sales@thread.tacv2", "?pageSize=1"), tok, nil)
	if json.Unmarshal(b, &page); st != 200 || len(page.Members) != 50 || page.ContinuationToken == "" {
		t.Fatalf("first page (pageSize 1 counts as 50): %d, %d members, continuation %q", st, len(page.Members), page.ContinuationToken)
	}
	st, _, b = call(t, "GET", membersURL(srv.ServiceURL(), "19:sales@thread.tacv2", "?pageSize=50&continuationToken="+page.ContinuationToken), tok, nil)
	page.ContinuationToken = ""
	if json.Unmarshal(b, &page); st != 200 || len(page.Members) != 10 || page.ContinuationToken != "" {
		t.Fatalf("last page: %d, %d members, continuation %q", st, len(page.Members), page.ContinuationToken)
	}
	for _, tt := range []struct {
		name, conv, tok, query string
		status                 int
	}{
		{"NoToken", "19:sales@thread.tacv2", "", "", 401},
		{"UnknownConversation", "19:nowhere@thread.tacv2", tok, "", 404},
		{"BadPageSize", "19:sales@thread.tacv2", tok, "?pageSize=zero", 400},
	} {
		if st, _, b := call(t, "GET", membersURL(srv.ServiceURL(), tt.conv, tt.query), tt.tok, nil); st != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, st, b, tt.status)
		}
	}
}

// TestUninstalledTeam: a team the app is not installed in, or was removed
// from, answers 403 BotNotInConversationRoster to everything for its
// channels (members, send, a new thread) while another team's still
// answer; Teams sends nothing from it but the notice of the removal; the
// app installed again, it answers.
func TestUninstalledTeam(t *testing.T) {
	srv := newServer(t)
	srv.AddChannel(Channel{ID: "19:desk@thread.tacv2", TeamID: "19:finance"})
	srv.AddChannel(Channel{ID: "19:sales@thread.tacv2", TeamID: "19:sales"})
	srv.AddChannel(Channel{ID: "19:hr@thread.tacv2", TeamID: "19:hr", NotInstalled: true})
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	srv.SetBotEndpoint(newHTTPServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })) + "/api/messages")
	tok := token(t, srv)
	msg := map[string]any{"type": "message", "text": "hi"}
	refused := func(conv string) (members, send, thread int, code string) {
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		var b []byte
		members, _, b = call(t, "GET", membersURL(srv.ServiceURL(), conv, ""), tok, nil)
		json.Unmarshal(b, &e)
		send, _, _ = call(t, "POST", activitiesURL(srv, conv), tok, msg)
		thread, _, _ = call(t, "POST", srv.ServiceURL()+"v3/conversations", tok, map[string]any{"isGroup": true, "bot": srv.Bot(), "activity": msg,
			"channelData": map[string]any{"channel": map[string]string{"id": conv}, "tenant": map[string]string{"id": srv.TenantID()}}})
		return members, send, thread, e.Error.Code
	}
	if m, s, th, code := refused("19:hr@thread.tacv2"); m != 403 || s != 403 || th != 403 || code != "BotNotInConversationRoster" {
		t.Errorf("a team the app is not installed in: members %d, send %d, thread %d, %s", m, s, th, code)
	}
	if m, s, th, _ := refused("19:desk@thread.tacv2"); m != 200 || s != 200 || th != 201 {
		t.Fatalf("an installed team: members %d, send %d, thread %d", m, s, th)
	}
	srv.UninstallFromTeam("19:finance")
	if m, s, th, code := refused("19:desk@thread.tacv2"); m != 403 || s != 403 || th != 403 || code != "BotNotInConversationRoster" {
		t.Errorf("after the app was removed from the team: members %d, send %d, thread %d, %s", m, s, th, code)
	}
	if m, s, th, _ := refused("19:sales@thread.tacv2"); m != 200 || s != 200 || th != 201 {
		t.Errorf("another team after the removal: members %d, send %d, thread %d", m, s, th)
	}
	ctx := context.Background()
	if _, err := srv.Deliver(ctx, srv.MessageToBot(alice, "19:desk@thread.tacv2", "deal help")); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("a message from a team the app left: %v, want ErrNotInstalled", err)
	}
	for _, a := range []Activity{srv.BotRemovedFromTeam(alice, "19:finance"), srv.AppUninstalledFromTeam(alice, "19:finance")} {
		d, err := srv.Deliver(ctx, a)
		if err != nil || d.Status != 200 {
			t.Fatalf("the notice of the removal (%s): %v", a.Type, err)
		}
		raw, _ := json.Marshal(a)
		for _, want := range []string{`"team":{"id":"19:finance"}`, `"serviceUrl":"` + srv.ServiceURL() + `"`} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("the %s lacks %s: %s", a.Type, want, raw)
			}
		}
	}
	if a := srv.BotRemovedFromTeam(alice, "19:finance"); len(a.MembersRemoved) != 1 || a.MembersRemoved[0].ID != srv.Bot().ID || !strings.Contains(string(a.ChannelData), `"eventType":"teamMemberRemoved"`) {
		t.Errorf("the conversationUpdate of the removal: %+v %s", a.MembersRemoved, a.ChannelData)
	}
	if a := srv.AppUninstalledFromTeam(alice, "19:finance"); a.Action != "remove" || a.Type != "installationUpdate" {
		t.Errorf("the installationUpdate of the removal: %s %s", a.Type, a.Action)
	}
	srv.InstallInTeam("19:finance")
	if m, s, _, _ := refused("19:desk@thread.tacv2"); m != 200 || s != 200 {
		t.Errorf("installed again: members %d, send %d", m, s)
	}
}

// TestTeamChannels: GET /v3/teams/{team}/conversations lists a team's
// channels (the General channel without a name) at its region's service
// URL only, with the token, and 403 BotNotInConversationRoster for a team
// the app is not installed in; what Teams sends on an install comes from
// the team's General channel and names no other.
func TestTeamChannels(t *testing.T) {
	srv := newServer(t)
	srv.AddChannel(Channel{ID: "19:sales", Name: "General", Region: "emea"})
	srv.AddChannel(Channel{ID: "19:fcst@thread.tacv2", Name: "Forecast", TeamID: "19:sales", Region: "emea"})
	srv.AddChannel(Channel{ID: "19:other@thread.tacv2", Name: "Other", TeamID: "19:other"})
	srv.AddChannel(Channel{ID: "19:hr@thread.tacv2", Name: "HR", TeamID: "19:hr", Region: "emea", NotInstalled: true})
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	tok := token(t, srv)
	emea := srv.ServiceURLFor("emea")
	list := func(svc, team, tok string) (int, string, []byte) {
		st, _, b := call(t, "GET", svc+"v3/teams/"+url.PathEscape(team)+"/conversations", tok, nil)
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		json.Unmarshal(b, &e)
		return st, e.Error.Code, b
	}
	st, _, b := list(emea, "19:sales", tok)
	if want := `{"conversations":[{"id":"19:fcst@thread.tacv2","name":"Forecast"},{"id":"19:sales"}]}`; st != 200 || strings.TrimSpace(string(b)) != want {
		t.Errorf("the channels of 19:sales: %d %s, want %s", st, b, want)
	}
	for _, tt := range []struct {
		name, svc, team, tok string
		status               int
		code                 string
	}{
		{"NoToken", emea, "19:sales", "", 401, ""},
		{"AnotherRegion", srv.ServiceURL(), "19:sales", tok, 404, "NotFound"},
		{"UnknownTeam", emea, "19:nowhere", tok, 404, "NotFound"},
		{"NotInstalled", emea, "19:hr", tok, 403, "BotNotInConversationRoster"},
	} {
		if st, code, b := list(tt.svc, tt.team, tt.tok); st != tt.status || (tt.code != "" && code != tt.code) {
			t.Errorf("%s: %d %s, want %d %s", tt.name, st, b, tt.status, tt.code)
		}
	}
	srv.UninstallFromTeam("19:sales")
	if st, code, _ := list(emea, "19:sales", tok); st != 403 || code != "BotNotInConversationRoster" {
		t.Errorf("after the app was removed from 19:sales: %d %s", st, code)
	}
	srv.InstallInTeam("19:sales")
	for _, a := range []Activity{srv.BotAddedToTeam(alice, "19:sales"), srv.AppInstalledInTeam(alice, "19:sales")} {
		raw, _ := json.Marshal(a)
		for _, want := range []string{`"team":{"id":"19:sales"}`, `"channel":{"id":"19:sales"}`, `"serviceUrl":"` + emea + `"`} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("the %s of the install lacks %s: %s", a.Type, want, raw)
			}
		}
	}
	if a := srv.BotAddedToTeam(alice, "19:sales"); len(a.MembersAdded) != 1 || a.MembersAdded[0].ID != srv.Bot().ID || !strings.Contains(string(a.ChannelData), `"eventType":"teamMemberAdded"`) {
		t.Errorf("the conversationUpdate of the install: %+v %s", a.MembersAdded, a.ChannelData)
	}
	if a := srv.AppInstalledInTeam(alice, "19:sales"); a.Action != "add" || a.Type != "installationUpdate" {
		t.Errorf("the installationUpdate of the install: %s %s", a.Type, a.Action)
	}
}
