package teams

import (
	"context"
	"encoding/json"
)

// Activity is a Bot Framework activity: what Teams posts to the messaging
// endpoint, and what the bot sends through the connector.
type Activity struct {
	Type         string            `json:"type"`
	ID           string            `json:"id,omitempty"`
	Name         string            `json:"name,omitempty"` // an invoke's name: adaptiveCard/action, task/fetch, task/submit
	Timestamp    string            `json:"timestamp,omitempty"`
	ServiceURL   string            `json:"serviceUrl,omitempty"`
	ChannelID    string            `json:"channelId,omitempty"`
	From         *Account          `json:"from,omitempty"`
	Conversation *Conversation     `json:"conversation,omitempty"`
	Recipient    *Account          `json:"recipient,omitempty"`
	ReplyToID    string            `json:"replyToId,omitempty"`
	Text         string            `json:"text,omitempty"`
	TextFormat   string            `json:"textFormat,omitempty"`
	Summary      string            `json:"summary,omitempty"`
	Attachments  []Attachment      `json:"attachments,omitempty"`
	Entities     []json.RawMessage `json:"entities,omitempty"`
	Value        json.RawMessage   `json:"value,omitempty"`
	ChannelData  json.RawMessage   `json:"channelData,omitempty"`
	MembersAdded []Account         `json:"membersAdded,omitempty"`
	// MembersRemoved: a conversationUpdate's members who left (the bot
	// itself when it is removed from a team).
	MembersRemoved []Account `json:"membersRemoved,omitempty"`
	// Action is an installationUpdate's: "add" or "remove" (and the
	// "-upgrade" forms for a new version of the app).
	Action string `json:"action,omitempty"`
	// LocalTimezone is the sender's IANA time zone, as their Teams client
	// reports it (e.g. "Europe/Paris"); empty when it does not.
	LocalTimezone string `json:"localTimezone,omitempty"`
}

// Activity types and invoke names the bot handles.
const (
	TypeMessage            = "message"
	TypeInvoke             = "invoke"
	TypeConversationUpdate = "conversationUpdate"
	TypeInstallationUpdate = "installationUpdate"

	InvokeAdaptiveCardAction = "adaptiveCard/action"
	InvokeTaskFetch          = "task/fetch"
	InvokeTaskSubmit         = "task/submit"
)

// Account is a channel account: a user ("29:…", with their Microsoft
// Entra object id) or a bot ("28:<app id>").
type Account struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	AADObjectID string `json:"aadObjectId,omitempty"`
	Role        string `json:"role,omitempty"`
}

// Conversation is the conversation an activity belongs to.
type Conversation struct {
	ID               string `json:"id"`
	ConversationType string `json:"conversationType,omitempty"` // personal, groupChat, channel
	TenantID         string `json:"tenantId,omitempty"`
	IsGroup          bool   `json:"isGroup,omitempty"`
	Name             string `json:"name,omitempty"`
}

// Attachment is a message attachment; an Adaptive Card has
// ContentType AdaptiveCardType and the card as Content.
type Attachment struct {
	ContentType string          `json:"contentType"`
	Content     json.RawMessage `json:"content,omitempty"`
	ContentURL  string          `json:"contentUrl,omitempty"`
	Name        string          `json:"name,omitempty"`
}

// AdaptiveCardType is an Adaptive Card attachment's content type.
const AdaptiveCardType = "application/vnd.microsoft.card.adaptive"

// InvokeResponse is the bot's answer to an activity. For an invoke,
// Status is the HTTP status and Body its JSON (other activities are
// answered 200). After, for any activity, is the work the answer leaves
// for later: the endpoint runs it, in order, once the HTTP answer is sent
// (Teams waits at most five seconds for an invoke's answer), with a
// context of its own that the request's end does not cancel.
type InvokeResponse struct {
	Status int
	Body   any
	After  []func(ctx context.Context)
}
