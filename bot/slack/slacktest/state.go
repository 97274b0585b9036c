package slacktest

import (
	"encoding/json"
	"maps"
	"time"
)

// State is everything the server recorded. Server.State returns a copy;
// WaitFor callbacks see the live state under the server lock.
type State struct {
	Users    map[string]User
	Channels map[string]Channel

	// Calls is every Web API call, in arrival order (rejected ones included).
	Calls []APICall
	// Messages holds the visible messages per channel id, thread replies
	// included, in post order (deleted messages are kept with Deleted set).
	Messages map[string][]Message
	// Ephemerals holds ephemeral messages (chat.postEphemeral, response_url
	// and ack responses of type ephemeral).
	Ephemerals []Message
	// Views holds every view ever opened/published, by id; ViewOrder their ids in creation order.
	Views     map[string]View
	ViewOrder []string
	// ModalStacks maps a user id to its open modal stack (view ids, bottom first).
	ModalStacks map[string][]string
	// HomeViews maps a user id to its published App Home view id.
	HomeViews map[string]string
	// Envelopes holds every Socket Mode envelope with its deliveries and ack.
	Envelopes []Envelope
	// ResponsePosts holds every POST to a response_url (rejected ones included).
	ResponsePosts []ResponsePost
	// Files holds uploaded files by id; FileOrder their ids in creation order.
	Files     map[string]File
	FileOrder []string
	// Downloads are the requests for files' content (url_private).
	Downloads []Download
	// Responses maps an invocation id to the responses its user got.
	Responses map[string][]Response
	// Transcript is the readable conversation log.
	Transcript []Line
	// Warnings lists things a real Slack would accept with a warning
	// (for example message text above 4000 characters).
	Warnings []string
	Counters Counters
}

func newState() State {
	return State{
		Users:       map[string]User{},
		Channels:    map[string]Channel{},
		Messages:    map[string][]Message{},
		Views:       map[string]View{},
		ModalStacks: map[string][]string{},
		HomeViews:   map[string]string{},
		Files:       map[string]File{},
		Responses:   map[string][]Response{},
	}
}

func (st *State) clone() *State {
	c := *st
	c.Users = maps.Clone(st.Users)
	c.Channels = maps.Clone(st.Channels)
	c.Calls = append([]APICall(nil), st.Calls...)
	c.Messages = make(map[string][]Message, len(st.Messages))
	for k, v := range st.Messages {
		c.Messages[k] = append([]Message(nil), v...)
	}
	c.Ephemerals = append([]Message(nil), st.Ephemerals...)
	c.Views = maps.Clone(st.Views)
	c.ViewOrder = append([]string(nil), st.ViewOrder...)
	c.ModalStacks = make(map[string][]string, len(st.ModalStacks))
	for k, v := range st.ModalStacks {
		c.ModalStacks[k] = append([]string(nil), v...)
	}
	c.HomeViews = maps.Clone(st.HomeViews)
	c.Envelopes = make([]Envelope, len(st.Envelopes))
	for i, e := range st.Envelopes {
		e.Deliveries = append([]Delivery(nil), e.Deliveries...)
		c.Envelopes[i] = e
	}
	c.ResponsePosts = append([]ResponsePost(nil), st.ResponsePosts...)
	c.Files = maps.Clone(st.Files)
	c.FileOrder = append([]string(nil), st.FileOrder...)
	c.Downloads = append([]Download(nil), st.Downloads...)
	c.Responses = make(map[string][]Response, len(st.Responses))
	for k, v := range st.Responses {
		c.Responses[k] = append([]Response(nil), v...)
	}
	c.Transcript = append([]Line(nil), st.Transcript...)
	c.Warnings = append([]string(nil), st.Warnings...)
	return &c
}

// User is a workspace member.
type User struct {
	ID       string
	Name     string // handle, e.g. "alice"
	RealName string
	Email    string
	TZ       string // e.g. "Europe/Paris"
	TZLabel  string
	TZOffset int // seconds east of UTC
	IsAdmin  bool
	IsOwner  bool
	IsBot    bool
	Deleted  bool
	Locale   string // e.g. "en-US"
}

// Channel is a conversation. Public channels start with C, private ones
// with G (or C with IsPrivate), DMs with D.
type Channel struct {
	ID        string
	Name      string
	IsPrivate bool
	IsIM      bool
	User      string // the other member of a DM
	// Members lists who is in the channel. When it names no human user,
	// every human user is a member. The app is a member only when
	// BotUserID is listed (or it was invited, see Server.Invite), as in
	// Slack: posting where it is not answers not_in_channel.
	Members    []string
	IsArchived bool
	Created    time.Time
}

// APICall is one recorded Web API request.
type APICall struct {
	Method string
	// Args holds the parsed arguments: form fields as strings, JSON body
	// fields as decoded JSON (map[string]any, []any, string, float64, bool).
	// The token is not included.
	Args   map[string]any
	Token  string // "app", "bot", "" (missing) or "invalid"
	At     time.Time
	Status int    // HTTP status
	Error  string // Slack error code, "" when ok
	// Messages are response_metadata.messages of a rejected call.
	Messages []string
	Warning  string
}

// Arg returns a string argument ("" when missing; non-string JSON is re-encoded).
func (c APICall) Arg(name string) string {
	switch v := c.Args[name].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// Message is a message in a channel (or an ephemeral message).
type Message struct {
	Channel  string
	TS       string
	ThreadTS string
	User     string // author: BotUserID for app messages
	BotID    string
	Text     string
	Blocks   json.RawMessage // normalized (block_id/action_id filled in)
	Files    []string        // file ids shared with the message
	// Metadata is the message's metadata ({"event_type","event_payload"}),
	// returned by conversations.history with include_all_metadata.
	Metadata json.RawMessage
	// EphemeralTo is the recipient of an ephemeral message.
	EphemeralTo string
	// Source is how it was posted: "chat.postMessage", "chat.postEphemeral",
	// "response_url", "ack", "files.completeUploadExternal" or "user".
	Source  string
	Edited  bool
	Deleted bool
	At      time.Time
}

// Ephemeral reports whether the message is ephemeral.
func (m Message) Ephemeral() bool { return m.EphemeralTo != "" }

// Render renders the message as readable plain text.
func (m Message) Render() string { return renderMessage(m.Text, m.Blocks) }

// View is a modal or App Home view.
type View struct {
	ID              string
	Type            string // "modal" or "home"
	User            string
	CallbackID      string
	PrivateMetadata string
	ExternalID      string
	Hash            string
	RootViewID      string
	PreviousViewID  string
	Title           string // plain text of title (modals)
	Submit          string
	Close           string
	NotifyOnClose   bool
	ClearOnClose    bool
	Blocks          json.RawMessage // normalized
	// Raw is the view object as Slack returns it (id, hash, state…).
	Raw       json.RawMessage
	TriggerID string // trigger used to open/push it
	Open      bool
	OpenedAt  time.Time
	UpdatedAt time.Time
	Updates   int
}

// Render renders the view as readable plain text.
func (v View) Render() string { return renderView(v) }

// Envelope is one Socket Mode envelope.
type Envelope struct {
	ID   string
	Type string // "slash_commands", "interactive", "events_api"
	// Subtype is the interaction/event type (block_actions, view_submission, message…)
	// or the command for slash commands.
	Subtype                string
	Payload                json.RawMessage
	AcceptsResponsePayload bool
	Deliveries             []Delivery
	Ack                    *Ack
	// Failed is set when the envelope could not be delivered or was never
	// acknowledged; FailReason says why ("dispatch_failed": a slash command or
	// interactive payload with no connection open; "not_acknowledged"; or
	// "connection_failed": an event that found no connection on any attempt).
	Failed       bool
	FailReason   string
	InvocationID string
	Created      time.Time
}

// Delivery is one attempt to deliver an envelope.
type Delivery struct {
	ConnID       int
	RetryAttempt int
	RetryReason  string
	SentAt       time.Time
	// Outcome is "pending", "acked", "timeout" or "connection_lost".
	Outcome string
}

// Ack is the acknowledgement of an envelope.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage // nil when the app acked without payload
	At         time.Time
	// Latency is measured from the delivery that was outstanding.
	Latency      time.Duration
	RetryAttempt int
	ConnID       int
	// Rejected is non-empty when Slack would reject the ack payload
	// (invalid response_action, unknown error block ids, invalid blocks…).
	Rejected string
	// RejectMessages details Rejected (Slack-style "[ERROR] …" lines).
	RejectMessages []string
	// ResponseAction is the response_action of a view_submission ack.
	ResponseAction string
	// Errors are the field errors of a response_action "errors".
	Errors map[string]string
}

// ResponsePost is one POST to a response_url.
type ResponsePost struct {
	URL             string
	InvocationID    string
	Body            json.RawMessage
	ResponseType    string
	Text            string
	Blocks          json.RawMessage
	ReplaceOriginal bool
	DeleteOriginal  bool
	At              time.Time
	Status          int
	Error           string
}

// File is an uploaded file.
type File struct {
	ID             string
	Name           string
	Title          string
	Length         int // declared length
	AltText        string
	SnippetType    string
	Content        []byte
	Uploaded       bool
	Completed      bool
	Channel        string
	ThreadTS       string
	InitialComment string
	// Shares maps each channel the file was shared in to the ts of the
	// message that shared it (files.info's shares).
	Shares map[string]string
	At     time.Time
	// User is who uploaded it (UploadFile); "" for the app's own.
	User string
}

// Response kinds.
const (
	ResponseAck        = "ack"          // ack payload with text/blocks (slash command) or response_action (view_submission)
	ResponseURL        = "response_url" // POST to the response_url
	ResponseEphemeral  = "ephemeral"    // chat.postEphemeral to the user in the channel
	ResponseViewOpened = "view"         // views.open/views.push with the invocation's trigger_id
)

// Response is something a user saw as the answer to one of its actions.
type Response struct {
	Kind            string
	At              time.Time
	Channel         string
	TS              string
	ThreadTS        string // the thread an ephemeral was shown in ("" for the channel)
	ResponseType    string // "ephemeral" or "in_channel"
	Text            string
	Blocks          json.RawMessage
	ReplaceOriginal bool
	DeleteOriginal  bool
	ViewID          string
	ResponseAction  string
	Errors          map[string]string
}

// Render renders the response as readable plain text.
func (r Response) Render() string {
	if r.Kind == ResponseViewOpened {
		return "opened view " + r.ViewID
	}
	if r.ResponseAction != "" {
		return "response_action " + r.ResponseAction
	}
	return renderMessage(r.Text, r.Blocks)
}

// Counters are running totals.
type Counters struct {
	ConnectionsOpened int
	LiveConnections   int
	ConnectionsDenied int // over the connection limit or bad ticket
	Envelopes         int
	Deliveries        int
	Redeliveries      int
	UndeliveredEvents int // event attempts that found no connection open (retried later)
	Acks              int
	DuplicateAcks     int
	UnknownAcks       int
	OversizedAcks     int // ≥ 20 KB acks, silently dropped like Slack
	RejectedAcks      int
	FailedEnvelopes   int
	Drops             int // connections dropped by the server (DropConnections, chaos)
	Disconnects       int // disconnect messages sent
	Pings             int
	Pongs             int
	APICalls          int
	APIErrors         int
	RateLimited       int
	InjectedFailures  int
	ResponseURLPosts  int
}
