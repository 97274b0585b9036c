package teams

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// CheckToken gets an app token from the token endpoint (TEAMS_TOKEN_URL)
// with the app's id and password: what `dealpilot doctor` checks of the
// Teams side before anything is sent.
func (c *Client) CheckToken(ctx context.Context) error {
	if _, err := c.accessToken(ctx); err != nil {
		return fmt.Errorf("no token for app %s: %w", c.appID, err)
	}
	return nil
}

// Reach is what the connector says of a team channel the configuration
// names (ReachChannel).
type Reach int

const (
	// Reachable: the connector answered for the channel at its service
	// URL; the bot is in its team.
	Reachable Reach = iota
	// NoServiceURL: no activity came from the channel's team yet, so the
	// bot does not know which service URL (which region) reaches it. The
	// app is not installed in that team, or nobody has used it there since.
	NoServiceURL
	// NotInTeam: the connector refused (403: the bot is not in the team's
	// roster) or knows no such conversation there (404): the app is not
	// installed in that team, was removed from it, or the id is wrong.
	NotInTeam
	// Unreachable: anything else (the token, the network, a connector
	// fault after the client's retries); the error says what.
	Unreachable
)

// ReachChannel asks the connector at serviceURL (the one the channel's
// activities came from; "" when none came yet) for a page of the
// channel's members, as a bot does to see who is in a team: the cheapest
// call that needs the bot in the channel's team. It says whether the bot
// can post there, without posting; err is the connector's answer when it
// refused.
func (c *Client) ReachChannel(ctx context.Context, serviceURL, channel string) (Reach, error) {
	if serviceURL == "" {
		return NoServiceURL, nil
	}
	err := c.do(ctx, "members", http.MethodGet, serviceURL, channel,
		"/v3/conversations/"+url.PathEscape(channel)+"/pagedmembers?pageSize=50", nil, nil)
	var api *APIError
	switch {
	case err == nil:
		return Reachable, nil
	case errors.As(err, &api) && (api.Status == http.StatusForbidden || api.Status == http.StatusNotFound):
		return NotInTeam, err
	}
	return Unreachable, err
}

// TeamChannel is a channel of a team, as the connector lists it.
type TeamChannel struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"` // "" for the General channel
}

// TeamChannels lists the channels of team at serviceURL (the one the
// team's activities come from): GET /v3/teams/{team}/conversations, which
// needs the bot in the team (403 otherwise).
func (c *Client) TeamChannels(ctx context.Context, serviceURL, team string) ([]TeamChannel, error) {
	var out struct {
		Conversations []TeamChannel `json:"conversations"`
	}
	err := c.do(ctx, "channels", http.MethodGet, serviceURL, "",
		"/v3/teams/"+url.PathEscape(team)+"/conversations", nil, &out)
	return out.Conversations, err
}

// TeamMembers lists the members of team at serviceURL (the one the team's
// activities come from): GET /v3/conversations/{team}/pagedmembers, a page
// of up to 500 at a time, following the continuation token to the last.
// It needs the bot in the team (403 otherwise).
func (c *Client) TeamMembers(ctx context.Context, serviceURL, team string) ([]Account, error) {
	var all []Account
	token := ""
	for {
		q := url.Values{"pageSize": {"500"}}
		if token != "" {
			q.Set("continuationToken", token)
		}
		var page struct {
			Members           []Account `json:"members"`
			ContinuationToken string    `json:"continuationToken"`
		}
		err := c.do(ctx, "members", http.MethodGet, serviceURL, team,
			"/v3/conversations/"+url.PathEscape(team)+"/pagedmembers?"+q.Encode(), nil, &page)
		if err != nil {
			return all, err
		}
		all = append(all, page.Members...)
		if page.ContinuationToken == "" {
			return all, nil
		}
		token = page.ContinuationToken
	}
}
