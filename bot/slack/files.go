package slack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack/slackevents"

	"github.com/dealpilot/dealpilot/bot"
)

// A manager sends the bot a CRM export in its DM: Slack tells of it with a
// file_shared event (files:read), which names the file only. files.info
// gives its name, size and url_private_download, which is downloaded with
// the bot token; the bot (bot/import.go) checks who sent it and its size,
// and answers with the dry run.

// downloadTimeout bounds a file's download (20 MB at a slow 1 Mbit/s is
// under 3 minutes).
const downloadTimeout = 5 * time.Minute

// onFileShared answers a file shared in the bot's DM; a file shared in a
// channel is ignored (the bot imports only what is sent to it).
func (a *App) onFileShared(ctx context.Context, x *exchange, e *slackevents.FileSharedEvent) {
	if !strings.HasPrefix(e.ChannelID, "D") {
		return
	}
	var info struct {
		name string
		size int64
		url  string
	}
	err := a.call(ctx, "files.info", func() error {
		f, _, _, err := a.api.GetFileInfoContext(ctx, e.FileID, 0, 0)
		if err == nil {
			info.name, info.size, info.url = f.Name, int64(f.Size), f.URLPrivateDownload
		}
		return err
	})
	if err != nil {
		x.log.Error().Err(err).Str("file", e.FileID).Msg("files.info on a file sent to import failed")
		return
	}
	up := bot.ImportUpload{ID: e.FileID, Name: info.name, Size: info.size, Channel: e.ChannelID,
		Fetch: func(ctx context.Context, w io.Writer) error { return a.download(ctx, info.url, w) }}
	if err := a.bot.ImportFile(ctx, a, a.caller(e.UserID, e.ChannelID), up); err != nil {
		x.log.Error().Err(err).Str("file", e.FileID).Msg("importing a file sent to the bot failed")
	}
}

// errNotServed is a download Slack answered with a sign-in page, a
// redirect or an error status, not the file.
var errNotServed = errors.New("slack: the file was not served")

// download writes the file at a url_private(_download) to w, with the bot
// token. Slack's file server answers a request it does not accept (no
// token, another workspace's, a token without files:read) with a redirect
// to its sign-in page, which answers 200 with HTML: the redirect is not
// followed, and an HTML answer is not a file.
func (a *App) download(ctx context.Context, raw string, w io.Writer) error {
	u, err := url.Parse(raw)
	if err != nil || !a.fileHost(u) {
		// The token goes only to Slack.
		return fmt.Errorf("%w: %q is not a Slack file URL", errNotServed, raw)
	}
	ctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+a.botToken)
	hc := &http.Client{Transport: a.hc.Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: HTTP %d (a redirect is Slack's sign-in page: is files:read granted?)", errNotServed, resp.StatusCode)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		return fmt.Errorf("%w: Slack answered with a web page, not the file", errNotServed)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}

// fileHost reports whether u is where Slack serves files: its file host
// (files.slack.com, or GovSlack's), or the Web API's own host (a local
// Slack). Always HTTPS but for a local Slack on loopback.
func (a *App) fileHost(u *url.URL) bool {
	if a.apiBase != nil && u.Host == a.apiBase.Host && u.Scheme == a.apiBase.Scheme {
		return true
	}
	h := u.Hostname()
	return u.Scheme == "https" && (h == "files.slack.com" || strings.HasSuffix(h, ".slack.com") || h == "files.slack-gov.com")
}
