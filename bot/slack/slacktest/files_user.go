package slacktest

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
)

// KindFileShared is a file a user shared (UploadFile).
const KindFileShared = "file_shared"

// UploadFile makes user upload a file named name, with content, into
// channel (a DM with the app included), as the Slack client does: the file
// is shared with a message (subtype file_share, delivered as any message in
// that conversation: message.im in the app's DM) and the app receives a
// file_shared event {file_id, user_id, channel_id, file: {id}}
// (docs.slack.dev/reference/events/file_shared).
//
// Slack sends file_shared only to an app that subscribes to it and holds
// files:read, and only for conversations the app is in; otherwise the file
// is shared and ErrNotSubscribed returned with the invocation. The event
// carries no name, size or URL: the app asks files.info (files:read) and
// downloads url_private_download with its bot token (DownloadURL's
// handler). Invocation.FileID is the new file's id.
func (s *Server) UploadFile(user, channel, name string, content []byte) (*Invocation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.checkUserLocked(user); err != nil {
		return nil, err
	}
	c, err := s.checkChannelLocked(user, channel)
	if err != nil {
		return nil, err
	}
	if name == "" || strings.ContainsAny(name, "/\\") {
		return nil, fmt.Errorf("slacktest: upload a file with a plain name, not %q", name)
	}
	ts := s.newTSLocked()
	f := File{ID: s.newIDLocked("F"), Name: name, Title: name, Length: len(content), Content: content, Uploaded: true,
		Completed: true, Channel: channel, Shares: map[string]string{channel: ts}, At: s.now(), User: user}
	s.st.Files[f.ID] = f
	s.st.FileOrder = append(s.st.FileOrder, f.ID)
	s.st.Messages[channel] = append(s.st.Messages[channel], Message{Channel: channel, TS: ts, User: user, Files: []string{f.ID}, Source: "user", At: s.now()})
	s.emitLocked(Line{Kind: LineUser, Actor: s.userNameLocked(user), Channel: channel,
		Text: fmt.Sprintf("%s in %s: [file %s, %d bytes]", s.userNameLocked(user), s.channelNameLocked(channel), name, len(content))})

	member := s.isMemberLocked(c, BotUserID)
	// The file_share message, where the app hears of messages.
	if member && s.subscribedLocked(messageEvent(c)) {
		msg := s.newInvocationLocked(KindMessage, user, channel)
		msg.MessageTS = ts
		s.eventEnvelopeLocked(msg, map[string]any{
			"type": "message", "subtype": "file_share", "text": "", "user": user, "ts": ts, "team": TeamID,
			"channel": channel, "event_ts": ts, "channel_type": channelType(c), "upload": false,
			"files": []any{map[string]any{"id": f.ID}},
		})
	}
	inv := s.newInvocationLocked(KindFileShared, user, channel)
	inv.MessageTS, inv.FileID = ts, f.ID
	if !member || !s.subscribedLocked("file_shared") || !slices.Contains(s.cfg.scopes, "files:read") {
		return inv, ErrNotSubscribed
	}
	s.eventEnvelopeLocked(inv, map[string]any{
		"type": "file_shared", "channel_id": channel, "file_id": f.ID, "user_id": user,
		"file": map[string]any{"id": f.ID}, "event_ts": ts,
	})
	return inv, nil
}

// downloadPath is where a file's url_private_download points.
func downloadPath(f File) string {
	return "/files-pri/" + TeamID + "-" + f.ID + "/download/" + url.PathEscape(f.Name)
}

// handleDownload serves url_private and url_private_download. As Slack's
// file server: the file is served only to a request whose
// "Authorization: Bearer" token is a valid bot token holding files:read,
// when the bot is in a conversation the file is shared in. Anything else
// is not an error status but a redirect to the sign-in page, which answers
// 200 with HTML: a client that checks only the status saves a login page
// as the file (the trap every Slack file downloader meets once).
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/files-pri/")
	team, id, _ := strings.Cut(path.Dir(path.Dir(rest)), "-")
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.st.Files[id]
	if team != TeamID || !ok || !f.Completed {
		http.NotFound(w, r)
		return
	}
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	allowed := tok == s.cfg.botToken && !s.revoked && slices.Contains(s.cfg.scopes, "files:read")
	allowed = allowed && s.botSeesFileLocked(f)
	s.st.Downloads = append(s.st.Downloads, Download{File: id, Authorized: allowed})
	s.notifyLocked()
	if !allowed {
		http.Redirect(w, r, s.base+"/signin?redir="+url.QueryEscape(r.URL.Path), http.StatusFound)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", fmt.Sprint(len(f.Content)))
	_, _ = w.Write(f.Content)
}

// handleSignin is the sign-in page a download without a good token lands on.
func (s *Server) handleSignin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Sign in | Slack</title></head><body><form>Sign in to your workspace</form></body></html>")
}

// Download is one request for a file's content.
type Download struct {
	File       string
	Authorized bool // served the file (false: redirected to sign in)
}
