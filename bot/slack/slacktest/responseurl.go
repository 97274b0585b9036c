package slacktest

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ResponseURLLifetime is how long a response_url accepts posts.
const ResponseURLLifetime = 30 * time.Minute

type responseURL struct {
	id         string
	url        string
	inv        *Invocation
	user       string
	channel    string
	created    time.Time
	uses       int
	origChan   string // message the action came from, if any
	origTS     string
	lastPosted string // ts of the last message posted through this url
}

func (s *Server) newResponseURLLocked(inv *Invocation, user, channel, origChan, origTS string) string {
	id := s.randAlnumLocked(24)
	u := &responseURL{id: id, url: s.base + "/response/" + id, inv: inv, user: user, channel: channel,
		created: s.now(), origChan: origChan, origTS: origTS}
	s.responseURLs[id] = u
	return u.url
}

func (s *Server) handleResponseURL(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/response/")
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ru := s.responseURLs[id]
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, slackErr("method_not_allowed"))
		return
	}
	post := ResponsePost{URL: s.base + r.URL.Path, Body: body, At: s.now(), Status: http.StatusOK}
	s.st.Counters.ResponseURLPosts++
	fail := func(status int, res apiResult) {
		post.Status = status
		post.Error, _ = res["error"].(string)
		s.st.ResponsePosts = append(s.st.ResponsePosts, post)
		s.notifyLocked()
		writeJSON(w, status, res)
	}
	// Faults of the method "response_url": FailWith and Throttle answer
	// without posting, FailAfter posts then answers its status.
	var after *fault
	if f := s.takeFaultLocked(ResponseURLMethod); f != nil && f.kind != faultPass {
		s.st.Counters.InjectedFailures++
		switch f.kind {
		case faultStatus:
			fail(f.status, slackErr("internal_error"))
			return
		case faultThrottle:
			s.st.Counters.RateLimited++
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(f.retryAfter.Seconds()))))
			fail(http.StatusTooManyRequests, slackErr("ratelimited"))
			return
		case faultAfter:
			if f.status == 0 {
				panic("slacktest: LoseAnswer is not supported for response_url; use FailAfter")
			}
			after = f
		default:
			panic("slacktest: only FailWith, FailAfter and Throttle apply to response_url")
		}
	}
	if ru == nil {
		fail(http.StatusNotFound, slackErr("invalid_url"))
		return
	}
	post.InvocationID = ru.inv.ID
	var p struct {
		Text            string          `json:"text"`
		Blocks          json.RawMessage `json:"blocks"`
		ResponseType    string          `json:"response_type"`
		ReplaceOriginal bool            `json:"replace_original"`
		DeleteOriginal  bool            `json:"delete_original"`
		ThreadTS        string          `json:"thread_ts"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		fail(http.StatusBadRequest, slackErr("invalid_json"))
		return
	}
	if string(p.Blocks) == "null" {
		p.Blocks = nil
	}
	post.Text, post.Blocks, post.ResponseType = p.Text, p.Blocks, p.ResponseType
	post.ReplaceOriginal, post.DeleteOriginal = p.ReplaceOriginal, p.DeleteOriginal
	switch {
	case s.now().Sub(ru.created) > ResponseURLLifetime:
		fail(http.StatusNotFound, slackErr("expired_url"))
		return
	case ru.uses >= MaxResponseURLUses:
		fail(http.StatusNotFound, slackErr("used_url"))
		return
	}
	if p.ResponseType != "" && p.ResponseType != "ephemeral" && p.ResponseType != "in_channel" {
		fail(http.StatusOK, slackErr("invalid_response_type"))
		return
	}
	if code, msgs, _ := validateMessage(p.Text, p.Blocks, !p.DeleteOriginal); code != "" {
		fail(http.StatusOK, slackErr(code, msgs...))
		return
	}
	ru.uses++
	s.st.ResponsePosts = append(s.st.ResponsePosts, post)

	// The message replaced/deleted: the original message, else the last one
	// posted through this url.
	target := func() *Message {
		if ru.origTS != "" {
			if m, ok := s.findMessageLocked(ru.origChan, ru.origTS); ok {
				return m
			}
		}
		if ru.lastPosted != "" {
			if m, ok := s.findMessageLocked(ru.channel, ru.lastPosted); ok {
				return m
			}
		}
		return nil
	}
	resp := Response{Kind: ResponseURL, Channel: ru.channel, ResponseType: p.ResponseType, Text: p.Text, Blocks: p.Blocks,
		ReplaceOriginal: p.ReplaceOriginal, DeleteOriginal: p.DeleteOriginal}
	if resp.ResponseType == "" {
		resp.ResponseType = "ephemeral"
	}
	switch {
	case p.DeleteOriginal:
		if m := target(); m != nil && !m.Deleted {
			m.Deleted = true
			resp.TS = m.TS
			s.emitLocked(Line{Kind: LineBot, Actor: BotName, Channel: m.Channel, Text: BotName + " deleted its message in " + s.channelNameLocked(m.Channel)})
		}
	case p.ReplaceOriginal && target() != nil:
		m := target()
		m.Text = p.Text
		m.Blocks = s.normalizeBlocksLocked(p.Blocks)
		m.Edited = true
		resp.TS = m.TS
		s.emitMessageLocked(*m, "updated")
	default:
		m := Message{Channel: ru.channel, ThreadTS: p.ThreadTS, Text: p.Text, Blocks: s.normalizeBlocksLocked(p.Blocks), Source: "response_url"}
		if resp.ResponseType != "in_channel" {
			m.EphemeralTo = ru.user
		}
		m = s.addBotMessageLocked(m)
		ru.lastPosted = m.TS
		resp.TS = m.TS
	}
	s.addResponseLocked(ru.inv, resp)
	if after != nil {
		// Posted; what the app hears is the fault.
		s.st.ResponsePosts[len(s.st.ResponsePosts)-1].Status = after.status
		writeJSON(w, after.status, slackErr("internal_error"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// ResponseURLMethod is the name FailWith, FailAfter and Throttle take to
// fail posts to response_urls.
const ResponseURLMethod = "response_url"
