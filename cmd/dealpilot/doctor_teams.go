package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/teams"
	"github.com/dealpilot/dealpilot/store"
)

// teamsChecks are the Teams side's checks when DEALPILOT_TEAMS_ADDR is set:
// its settings, an app token from the token endpoint (a wrong app id or
// password fails here rather than at the first message) and, with a
// configuration, every Teams channel it names (teamsChannelChecks) at the
// service URL channels says it was heard from.
func teamsChecks(ctx context.Context, e env, cfg *config.Config, channels channelURLs) []slackapp.Check {
	if e.Getenv == nil || e.Getenv("DEALPILOT_TEAMS_ADDR") == "" {
		return nil
	}
	tcfg, err := teams.ConfigFromEnv(e.Getenv)
	if err != nil {
		return []slackapp.Check{{Detail: "teams: " + oneLine(err.Error()), Fix: "set TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID to the Azure bot's app id, its client secret and your Microsoft 365 tenant id"}}
	}
	client := teams.NewClient(tcfg)
	if err := client.CheckToken(ctx); err != nil {
		return []slackapp.Check{{Detail: "teams: " + oneLine(err.Error()),
			Fix: "check TEAMS_APP_ID and TEAMS_APP_PASSWORD (Azure portal, the bot's Configuration: Microsoft App ID, and a client secret of that app), and TEAMS_TOKEN_URL for sovereign clouds"}}
	}
	checks := []slackapp.Check{{OK: true, Detail: fmt.Sprintf("teams: app %s gets a token from %s", tcfg.AppID, tcfg.TokenURL)}}
	if cfg == nil {
		return checks // the configuration failed: its line says so
	}
	return append(checks, teamsChannelChecks(ctx, client, cfg, channels)...)
}

// channelURLs gives the service URL each Teams channel was last heard
// from: the running App's (serve), or what the store keeps (doctor).
type channelURLs func(ctx context.Context) (map[string]string, error)

// cfgChannel is a Teams channel the configuration names, and where.
type cfgChannel struct {
	id    string
	where []string
}

// teamsConfigChannels lists the Teams channels the configuration names,
// in file order (Slack's are the Slack checker's).
func teamsConfigChannels(cfg *config.Config) []cfgChannel {
	var out []cfgChannel
	add := func(id, where string) {
		if id == "" || !teams.OwnsConversation(id) {
			return
		}
		for i := range out {
			if out[i].id == id {
				if !slices.Contains(out[i].where, where) {
					out[i].where = append(out[i].where, where)
				}
				return
			}
		}
		out = append(out, cfgChannel{id: id, where: []string{where}})
	}
	for i, t := range cfg.Teams {
		add(t.Channel, fmt.Sprintf("teams[%d].channel", i))
		if t.WinsChannel != t.Channel {
			add(t.WinsChannel, fmt.Sprintf("teams[%d].wins_channel", i))
		}
	}
	add(cfg.DealDesk.Channel, "deal_desk.channel")
	return out
}

// teamsChannelChecks checks each Teams channel the configuration names, as
// the Slack checker does Slack's: the bot reaches it (the connector
// answers for it at the service URL its activities came from), or it is
// not installed in its team (403/404), or no activity came from the
// channel yet (the bot does not know where its team is served from).
func teamsChannelChecks(ctx context.Context, client *teams.Client, cfg *config.Config, channels channelURLs) []slackapp.Check {
	refs := teamsConfigChannels(cfg)
	if len(refs) == 0 {
		return nil
	}
	urls, err := channels(ctx)
	if err != nil {
		return []slackapp.Check{{Detail: "teams channels: not checked: " + oneLine(err.Error()),
			Fix: "run dealpilot doctor where it can read DEALPILOT_DB, or with DEALPILOT_HTTP_ADDR set to the running bot's (it tells where each channel is served from)"}}
	}
	var out []slackapp.Check
	for _, r := range refs {
		where := strings.Join(r.where, ", ")
		reach, err := client.ReachChannel(ctx, urls[r.id], r.id)
		switch reach {
		case teams.Reachable:
			out = append(out, slackapp.Check{OK: true, Detail: fmt.Sprintf("teams channel %s (%s): reachable, the bot is in its team", r.id, where)})
		case teams.NoServiceURL:
			out = append(out, slackapp.Check{Detail: fmt.Sprintf("teams channel %s (%s): no activity seen from that team yet", r.id, where),
				Fix: "install the app in that channel's team while the bot runs (in Teams: Apps > Manage your apps > the app > Add to a team): the bot then lists the team's channels; if the app is already there, mention the bot once in that channel: Teams tells the bot where a team is served from only by writing to it"})
		case teams.NotInTeam:
			out = append(out, slackapp.Check{Detail: fmt.Sprintf("teams channel %s (%s): the bot is not installed in that team (%s)", r.id, where, oneLine(err.Error())),
				Fix: fmt.Sprintf("add the app to that channel's team again (in Teams: the team's ⋯ > Manage team > Apps), or check the id at %s (the channel's ⋯ > Get link to channel: the part after /channel/, URL-decoded)", where)})
		default:
			out = append(out, slackapp.Check{Detail: fmt.Sprintf("teams channel %s (%s): not checked: %s", r.id, where, oneLine(err.Error())),
				Fix: "check that this machine reaches the service URL, then run dealpilot doctor again"})
		}
	}
	return out
}

// storedChannelURLs reads where each Teams channel was heard from: from
// DEALPILOT_DB when no bot holds it (none: no bot ran yet, nothing was
// heard), else from the running bot (GET /msteams/channels on its
// loopback DEALPILOT_HTTP_ADDR), which holds the file's lock.
func storedChannelURLs(e env) channelURLs {
	return func(ctx context.Context) (map[string]string, error) {
		db, err := store.OpenReadOnly(e.DB, store.Options{Timeout: 500 * time.Millisecond})
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return map[string]string{}, nil
		case errors.Is(err, store.ErrInUse):
			if e.HTTPAddr == "" || e.HTTPAddr == "off" {
				return nil, fmt.Errorf("%s is held by a running bot, and DEALPILOT_HTTP_ADDR is off", e.DB)
			}
			urls, err := channelURLsFromBot(ctx, e)
			if errors.Is(err, errNoBot) {
				return nil, fmt.Errorf("%s is held by a running bot that does not answer on DEALPILOT_HTTP_ADDR (%s)", e.DB, e.HTTPAddr)
			}
			return urls, err
		case err != nil:
			return nil, err
		}
		defer db.Close()
		urls := map[string]string{}
		err = db.MSTeamsContacts(func(string, string) {}, func(string, string, string, string) {},
			func(conv, _, svc string) { urls[conv] = svc })
		return urls, err
	}
}

// channelsPath is where a running bot tells, to its own machine only,
// where each Teams channel was heard from.
const channelsPath = "/msteams/channels"

// channelURLsFromBot asks the running bot where each Teams channel was
// heard from.
func channelURLsFromBot(ctx context.Context, e env) (map[string]string, error) {
	addr := loopbackAddr(e.HTTPAddr)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+channelsPath, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return nil, errNoBot
		}
		return nil, fmt.Errorf("the bot at %s: %w", addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("the bot at %s refused: %s %s", addr, resp.Status, strings.TrimSpace(string(msg)))
	}
	var got struct {
		Channels map[string]string `json:"channels"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&got); err != nil {
		return nil, fmt.Errorf("the bot at %s: unreadable answer: %w", addr, err)
	}
	if got.Channels == nil {
		got.Channels = map[string]string{}
	}
	return got.Channels, nil
}

// teamsChannels answers GET /msteams/channels: the Teams channels the bot
// heard from, with the service URL each is reached at, for `dealpilot
// doctor` on the same machine (loopback only, as /backup).
func (s *server) teamsChannels(w http.ResponseWriter, r *http.Request) {
	if !loopbackRequest(r) {
		http.Error(w, "served to this machine only (loopback)", http.StatusForbidden)
		return
	}
	if s.teams == nil {
		http.Error(w, "this bot does not serve Teams", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"channels": s.teams.Channels()})
}
