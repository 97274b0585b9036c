package teamstest

import "encoding/json"

// Activity is a Bot Framework activity as it travels on the wire, in both
// directions. The server keeps its own copy of the schema (it does not
// import bot/teams), so a mistake in the bot's types shows up as a
// disagreement instead of being shared.
type Activity struct {
	Type         string            `json:"type"`
	ID           string            `json:"id,omitempty"`
	Name         string            `json:"name,omitempty"`
	Timestamp    string            `json:"timestamp,omitempty"`
	ServiceURL   string            `json:"serviceUrl,omitempty"`
	ChannelID    string            `json:"channelId,omitempty"`
	From         *Account          `json:"from,omitempty"`
	Conversation *ConversationRef  `json:"conversation,omitempty"`
	Recipient    *Account          `json:"recipient,omitempty"`
	ReplyToID    string            `json:"replyToId,omitempty"`
	Text         string            `json:"text,omitempty"`
	TextFormat   string            `json:"textFormat,omitempty"`
	Attachments  []Attachment      `json:"attachments,omitempty"`
	Entities     []json.RawMessage `json:"entities,omitempty"`
	Value        json.RawMessage   `json:"value,omitempty"`
	ChannelData  json.RawMessage   `json:"channelData,omitempty"`
	MembersAdded []Account         `json:"membersAdded,omitempty"`
	// MembersRemoved: a conversationUpdate's members who left (the bot,
	// removed from a team).
	MembersRemoved []Account `json:"membersRemoved,omitempty"`
	// Action is an installationUpdate's: "add" or "remove".
	Action string `json:"action,omitempty"`
	// LocalTimezone is the sender's time zone, as a Teams client reports it
	// with a message (IANA, e.g. "Europe/Paris").
	LocalTimezone string `json:"localTimezone,omitempty"`
}

// Account is a channel account: a user ("29:…") or the bot ("28:<app id>").
type Account struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	AADObjectID string `json:"aadObjectId,omitempty"`
	Role        string `json:"role,omitempty"`
}

// ConversationRef is the conversation an activity belongs to.
type ConversationRef struct {
	ID               string `json:"id"`
	ConversationType string `json:"conversationType,omitempty"`
	TenantID         string `json:"tenantId,omitempty"`
	IsGroup          bool   `json:"isGroup,omitempty"`
	Name             string `json:"name,omitempty"`
}

// Attachment is a message attachment (an Adaptive Card has content type
// application/vnd.microsoft.card.adaptive).
type Attachment struct {
	ContentType string          `json:"contentType"`
	Content     json.RawMessage `json:"content,omitempty"`
	ContentURL  string          `json:"contentUrl,omitempty"`
	Name        string          `json:"name,omitempty"`
}

// AdaptiveCardType is the content type of an Adaptive Card attachment.
const AdaptiveCardType = "application/vnd.microsoft.card.adaptive"
