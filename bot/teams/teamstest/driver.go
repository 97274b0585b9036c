package teamstest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Forgery is a way an attacker (or a misconfigured channel) gets the
// bearer token of an inbound activity wrong. Every one must be refused
// with 401 by the bot.
type Forgery int

const (
	Genuine            Forgery = iota
	NoToken                    // no Authorization header at all
	WrongAudience              // aud is another app's id
	WrongIssuer                // iss is not the configured issuer
	Expired                    // exp 6 minutes ago: beyond the 5 minutes of skew
	NotYetValid                // nbf 6 minutes ahead: beyond the 5 minutes of skew
	ServiceURLMismatch         // the serviceurl claim names another service URL than the activity
	NoServiceURLClaim          // the token has no serviceurl claim
	Unendorsed                 // signed by a published key not endorsed for msteams
	UnknownKID                 // kid names no key of the JWKS
	BadSignature               // kid of the genuine key, signed by another key
	AlgNone                    // alg "none", no signature
	AlgHS256                   // HMAC-signed with the public key's modulus as the secret
	NoExpiry                   // no exp claim: a token that would never expire
	NoKID                      // no kid in the header
)

// Forgeries lists every forgery (not Genuine).
var Forgeries = []Forgery{NoToken, WrongAudience, WrongIssuer, Expired, NotYetValid, ServiceURLMismatch,
	NoServiceURLClaim, Unendorsed, UnknownKID, BadSignature, AlgNone, AlgHS256, NoExpiry, NoKID}

func (f Forgery) String() string {
	return [...]string{"Genuine", "NoToken", "WrongAudience", "WrongIssuer", "Expired", "NotYetValid",
		"ServiceURLMismatch", "NoServiceURLClaim", "Unendorsed", "UnknownKID", "BadSignature", "AlgNone", "AlgHS256", "NoExpiry", "NoKID"}[f]
}

// Token returns the bearer token the channel would send with an activity
// for serviceURL, forged as f ("" for NoToken).
func (s *Server) Token(serviceURL string, f Forgery) (string, error) {
	s.mu.Lock()
	key, other, rogue := s.endorsed, s.unendorsed, s.rogue
	now := s.now()
	s.mu.Unlock()
	claims := jwt.MapClaims{
		"iss":        s.issuer,
		"aud":        s.appID,
		"nbf":        now.Add(-5 * time.Minute).Unix(),
		"iat":        now.Unix(),
		"exp":        now.Add(time.Hour).Unix(),
		"serviceurl": serviceURL,
	}
	method := jwt.SigningMethod(jwt.SigningMethodRS256)
	kid := key.kid
	var signWith any = key.priv
	switch f {
	case Genuine:
	case NoToken:
		return "", nil
	case WrongAudience:
		claims["aud"] = "0c8a5d3e-1111-4222-8333-944455566677"
	case WrongIssuer:
		claims["iss"] = "https://attacker.example.com"
	case Expired:
		claims["iat"] = now.Add(-66 * time.Minute).Unix()
		claims["nbf"] = now.Add(-71 * time.Minute).Unix()
		claims["exp"] = now.Add(-6 * time.Minute).Unix()
	case NotYetValid:
		claims["nbf"] = now.Add(6 * time.Minute).Unix()
	case ServiceURLMismatch:
		claims["serviceurl"] = "https://smba.attacker.example.com/teams/"
	case NoServiceURLClaim:
		delete(claims, "serviceurl")
	case Unendorsed:
		kid, signWith = other.kid, other.priv
	case UnknownKID:
		kid, signWith = rogue.kid, rogue.priv
	case BadSignature:
		signWith = rogue.priv
	case AlgNone:
		method, signWith = jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType
	case AlgHS256:
		method, signWith = jwt.SigningMethodHS256, key.priv.N.Bytes()
	case NoExpiry:
		delete(claims, "exp")
	case NoKID:
		kid = ""
	default:
		return "", fmt.Errorf("teamstest: unknown forgery %d", f)
	}
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	return tok.SignedString(signWith)
}

// Bot is the bot's own account ("28:<app id>"), with its name as
// installed (WithBotName).
func (s *Server) Bot() Account { return Account{ID: "28:" + s.appID, Name: s.botName} }

// Message builds the message activity user from types in conversation
// convID (a personal conversation, a channel, or a channel thread).
func (s *Server) Message(from *User, convID, text string) Activity {
	a := s.activity("message", from, convID)
	a.Text, a.TextFormat = text, "plain"
	return a
}

// MessageToBot builds the message user from types in convID after
// mentioning the bot ("@dealpilot text"), as Teams sends it: the text
// starts with the mention's <at>dealpilot</at> and a mention entity names
// the bot. In a channel, that is how a message reaches the bot (Deliver).
func (s *Server) MessageToBot(from *User, convID, text string) Activity {
	at := "<at>" + s.botName + "</at>"
	a := s.Message(from, convID, at+" "+text)
	ent, _ := json.Marshal(map[string]any{"type": "mention", "text": at, "mentioned": s.Bot()})
	a.Entities = append(a.Entities, ent)
	return a
}

// Invoke builds an invoke activity (name adaptiveCard/action, task/fetch,
// task/submit) with value.
func (s *Server) Invoke(from *User, convID, name string, value any) Activity {
	a := s.activity("invoke", from, convID)
	a.Name = name
	a.Value, _ = json.Marshal(value)
	return a
}

// ConversationUpdate builds the conversationUpdate activity Teams sends
// when members (the bot itself, on install) are added to convID.
func (s *Server) ConversationUpdate(from *User, convID string, added ...Account) Activity {
	a := s.activity("conversationUpdate", from, convID)
	a.MembersAdded = added
	return a
}

// BotRemovedFromTeam builds the conversationUpdate Teams sends when the
// bot is removed from a team (the app uninstalled there): in the team's
// General channel (whose id is the team's), channelData.eventType
// teamMemberRemoved, the bot among membersRemoved. Call UninstallFromTeam
// too: from then on the connector refuses the team's channels.
func (s *Server) BotRemovedFromTeam(by *User, teamID string) Activity {
	a := s.teamActivity("conversationUpdate", by, teamID, "teamMemberRemoved")
	a.MembersRemoved = []Account{s.Bot()}
	return a
}

// AppUninstalledFromTeam builds the installationUpdate (action remove)
// Teams sends as well when the app is uninstalled from a team.
func (s *Server) AppUninstalledFromTeam(by *User, teamID string) Activity {
	a := s.teamActivity("installationUpdate", by, teamID, "")
	a.Action = "remove"
	return a
}

// BotAddedToTeam builds the conversationUpdate Teams sends when the app
// is installed in a team: in the team's General channel (whose id is the
// team's), channelData.eventType teamMemberAdded, the bot among
// membersAdded. It names no other channel: a bot lists them
// (GET /v3/teams/{team}/conversations).
func (s *Server) BotAddedToTeam(by *User, teamID string) Activity {
	a := s.teamActivity("conversationUpdate", by, teamID, "teamMemberAdded")
	a.MembersAdded = []Account{s.Bot()}
	return a
}

// AppInstalledInTeam builds the installationUpdate (action add) Teams
// sends as well when the app is installed in a team.
func (s *Server) AppInstalledInTeam(by *User, teamID string) Activity {
	a := s.teamActivity("installationUpdate", by, teamID, "")
	a.Action = "add"
	return a
}

// teamActivity is an activity of a team's own (its General channel's):
// served from the region of the team's channels.
func (s *Server) teamActivity(typ string, from *User, teamID, event string) Activity {
	a := s.activity(typ, from, teamID)
	s.mu.Lock()
	region := DefaultRegion
	for _, c := range s.convs {
		if c.kind == "channel" && c.team == teamID {
			region = c.region
			break
		}
	}
	s.mu.Unlock()
	chData := map[string]any{"tenant": map[string]string{"id": s.tenantID}, "team": map[string]string{"id": teamID},
		"channel": map[string]string{"id": teamID}}
	if event != "" {
		chData["eventType"] = event
	}
	a.ChannelData, _ = json.Marshal(chData)
	a.ServiceURL = s.ServiceURLFor(region)
	a.Conversation.ConversationType, a.Conversation.IsGroup = "channel", true
	return a
}

func (s *Server) activity(typ string, from *User, convID string) Activity {
	s.mu.Lock()
	defer s.mu.Unlock()
	kind, team, region := "personal", "", DefaultRegion
	if c := s.convs[baseConversation(convID)]; c != nil {
		kind, team, region = c.kind, c.team, c.region
	}
	chData := map[string]any{"tenant": map[string]string{"id": s.tenantID}}
	if kind == "channel" {
		chData["channel"] = map[string]string{"id": baseConversation(convID)}
		chData["team"] = map[string]string{"id": team}
	}
	rawCh, _ := json.Marshal(chData)
	bot := Account{ID: "28:" + s.appID, Name: s.botName}
	a := Activity{
		Type:         typ,
		ID:           s.nextIDLocked(),
		Timestamp:    s.now().UTC().Format(time.RFC3339Nano),
		ServiceURL:   s.ServiceURLFor(region),
		ChannelID:    ChannelID,
		Conversation: &ConversationRef{ID: convID, ConversationType: kind, TenantID: s.tenantID, IsGroup: kind != "personal"},
		Recipient:    &bot,
		ChannelData:  rawCh,
	}
	if from != nil {
		a.From = &Account{ID: from.ID, Name: from.Name, AADObjectID: from.AADObjectID, Role: "user"}
	}
	return a
}

// Delivery is an activity the driver sent to the bot and what it answered.
type Delivery struct {
	Activity Activity
	Forgery  Forgery
	Status   int
	Body     []byte
	// InvokeErr, for a genuine invoke, is why Teams could not use the
	// answer (CheckInvokeResponse, or ErrInvokeLate); nil when it could.
	InvokeErr error
	// Late says the bot did not answer the invoke within the deadline
	// (WithInvokeDeadline): Teams gave up, showed the user an error and
	// would ignore the answer; Status is 0 and Body empty.
	Late bool
	// Crafted says the activity was sent by DeliverCrafted.
	Crafted bool
}

// ErrInvokeLate is an invoke's InvokeErr when the bot's answer did not
// come within the deadline.
var ErrInvokeLate = errors.New("not answered within the invoke deadline: Teams shows the user an error and ignores a late answer")

// Deliver sends a to the bot's endpoint with a genuine token and returns
// the bot's answer (an invoke's response is in Body).
func (s *Server) Deliver(ctx context.Context, a Activity) (*Delivery, error) {
	return s.DeliverForged(ctx, a, Genuine)
}

// DeliverCrafted sends a with a genuine token without checking that Teams
// could have sent it: what a tampered client sends (a click on no card, a
// button's data changed, another user's dialog). Teams relays it signed,
// so the bot must refuse it by itself.
func (s *Server) DeliverCrafted(ctx context.Context, a Activity) (*Delivery, error) {
	return s.deliver(ctx, a, Genuine, true)
}

// DeliverForged sends a with a token forged as f.
func (s *Server) DeliverForged(ctx context.Context, a Activity, f Forgery) (*Delivery, error) {
	return s.deliver(ctx, a, f, false)
}

// deliver sends a with a token forged as f; a genuine activity that is not
// crafted must be one Teams could send (checkClick, checkMentions) and
// would hand to the bot (checkHeard).
func (s *Server) deliver(ctx context.Context, a Activity, f Forgery, crafted bool) (*Delivery, error) {
	if f == Genuine && !crafted {
		if err := s.checkClick(a); err != nil {
			return nil, err
		}
		if err := checkMentions(a); err != nil {
			return nil, err
		}
		if err := s.checkHeard(a); err != nil {
			return nil, err
		}
		if err := s.checkInstalled(a); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	endpoint := s.botEndpoint
	s.mu.Unlock()
	if endpoint == "" {
		return nil, fmt.Errorf("teamstest: no bot endpoint (WithBotEndpoint or SetBotEndpoint)")
	}
	tok, err := s.Token(a.ServiceURL, f)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	// A user's message is in the conversation before Teams hands it to
	// the bot, so the bot may reply to it while it is handling it.
	if f == Genuine && a.Conversation != nil {
		s.mu.Lock()
		if c := s.convs[baseConversation(a.Conversation.ID)]; c != nil {
			if _, known := c.activities[a.ID]; !known {
				cp := a
				c.activities[a.ID] = &cp
				c.order = append(c.order, a.ID)
			}
		}
		s.mu.Unlock()
	}
	// Teams waits for an invoke's answer (headers and body) only so long.
	rctx, cancel := ctx, context.CancelFunc(func() {})
	if a.Type == "invoke" && s.invokeWithin > 0 {
		rctx, cancel = context.WithTimeout(ctx, s.invokeWithin)
	}
	defer cancel()
	status, rb, err := s.postToBot(rctx, endpoint, tok, body)
	d := &Delivery{Activity: a, Forgery: f, Status: status, Body: rb, Crafted: crafted}
	switch {
	case err != nil && a.Type == "invoke" && ctx.Err() == nil && errors.Is(rctx.Err(), context.DeadlineExceeded):
		s.logf("teamstest: %s %s not answered within %v", a.Name, a.ID, s.invokeWithin)
		d.Status, d.Body, d.Late = 0, nil, true
		d.InvokeErr = fmt.Errorf("%s: %w (%v)", a.Name, ErrInvokeLate, s.invokeWithin)
	case err != nil:
		return nil, err
	case a.Type == "invoke" && f == Genuine:
		d.InvokeErr = s.CheckInvokeResponse(a.Name, status, rb)
	}
	if f == Genuine && !d.Late {
		s.noteAnswer(a, status, rb)
	}
	s.mu.Lock()
	e := Entry{At: s.now(), Kind: "deliver", ActivityID: a.ID, ReplyTo: a.ReplyToID, Status: d.Status, Activity: a}
	if a.Conversation != nil {
		e.Conversation = a.Conversation.ID
	}
	switch {
	case f != Genuine:
		e.Kind = "forged"
	case crafted:
		e.Kind = "crafted"
	}
	if a.Type == "invoke" {
		e.Answer = d.Body
	}
	s.transcript = append(s.transcript, e)
	s.notifyLocked()
	s.mu.Unlock()
	return d, nil
}

// postToBot sends an activity's body to the bot and reads its whole answer.
func (s *Server) postToBot(ctx context.Context, endpoint, tok string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	rb, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, rb, nil
}

// Redeliver sends the same activity again with a fresh genuine token, as
// the channel does when it did not hear the bot's answer.
func (s *Server) Redeliver(ctx context.Context, d *Delivery) (*Delivery, error) {
	return s.deliver(ctx, d.Activity, Genuine, d.Crafted)
}
