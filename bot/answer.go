package bot

import (
	"context"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// Msg is a catalogue message with its arguments, rendered by the transport in
// the user's locale. String arguments are user text: a transport escapes them
// before they reach markup, so a deal named like a channel-wide ping pings
// nobody. Icon, when set, opens the message (style.go).
type Msg struct {
	Key  string
	Args []any
	Icon Icon
}

// M builds a Msg.
func M(key string, args ...any) Msg { return Msg{Key: key, Args: args} }

// Mention is a user reference that a transport renders as a mention.
type Mention domain.UserID

// Reply is what the bot answers; each transport renders every kind.
type Reply interface{ isReply() }

// Notice is a short message to the caller only.
type Notice struct {
	Msgs []Msg
}

// DealList is a list of deals with a title and what to say when it is empty.
// Deals are the first of Total (the bot reads no more than a transport
// shows: ListShown); a transport shows what fits and says how many more
// there are.
type DealList struct {
	Title Msg
	Empty Msg
	Deals []*domain.Deal
	Total int // how many deals the list has in all; 0 means len(Deals)
}

// Count is how many deals the list has in all.
func (l DealList) Count() int { return max(l.Total, len(l.Deals)) }

// ListShown is the most deals the bot reads for a list (/deal list): no
// transport shows more in one message (Slack's 50 blocks hold a header and
// 48 deals or fewer, a Teams card lists 40), and each says how many more
// there are from the list's Total.
const ListShown = 50

// HomeShown is the most deals the bot reads for App Home: Slack's home
// tab holds 100 blocks, the header and order line among them.
const HomeShown = 100

// LineAmount is the amount a deal shows on a one-line listing (a /deal
// list line, a reminder DM): once a discount is approved, the net the
// customer pays (domain.Deal.NetAmount), as every figure is; the deal card
// alone shows the list beside it.
func LineAmount(d *domain.Deal) domain.Money {
	return domain.Money{Minor: d.NetAmount(), Currency: d.Currency}
}

// Help lists the commands.
type Help struct {
	Intro    Msg
	Commands []HelpLine
}

// HelpLine is one command and what it does.
type HelpLine struct {
	Usage string // e.g. "/deal new"
	What  Msg
}

// OpenForm asks the transport to open a form (a modal in Slack).
type OpenForm struct {
	Form Form
}

// Created confirms a new deal.
type Created struct {
	Deal *domain.Deal
}

// Count is how many open deals the user has in all.
func (h Home) Count() int { return max(h.Total, len(h.Deals)) }

func (Notice) isReply()   {}
func (DealList) isReply() {}
func (Help) isReply()     {}
func (OpenForm) isReply() {}
func (Created) isReply()  {}

// Card shows one deal with its qualification, next step (overdue in bold
// when Today is past its due date), last change and action buttons.
type Card struct {
	Deal       *domain.Deal
	Today      domain.Date
	LastChange *domain.HistoryEntry // nil when unknown
	// Note is shown above the card (e.g. what just changed).
	Note []Msg
	// Plan is the deal's mutual action plan, shown when it has milestones.
	Plan desk.Plan
	// Segments are the deal's segment attributes and fit to the ICP
	// (segment.go); zero without segments: configured.
	Segments CardSegments
}

// HistoryList shows a deal's changes, newest first, with times in TZ.
type HistoryList struct {
	Deal    *domain.Deal
	Entries []domain.HistoryEntry
	TZ      *time.Location
}

// Candidates lists the deals that match ambiguous words, so the user can
// retype with a ref.
type Candidates struct {
	Words string
	Deals []*domain.Deal
}

// Home is a user's App Home: their open deals, overdue next steps first;
// Deals are the first HomeShown of Total.
type Home struct {
	User  domain.UserID
	Today domain.Date
	Deals []*domain.Deal
	Total int // how many open deals the user has; 0 means len(Deals)
	// Refusal, when set, is all the view says: the caller may read no deals.
	Refusal Msg
	// Renewals are the user's won deals whose term ends in the next 90
	// days, soonest first, at most HomeRenewalsShown (retention.go).
	Renewals []RenewalDue
}

// HomeRenewalsShown is the most renewals due App Home lists.
const HomeRenewalsShown = 10

// Post is work to do once the reply is out, through the transport's
// Messenger: a message whose reference must be kept, a thread to update, a
// digest to post now. It is the one way an answer asks for work after it,
// whatever it answers (a command, a button, a form, a message in a thread,
// App Home): the transport runs each Post after it acknowledged the
// request, once per request (never again for a redelivery of it), with a
// panic caught and reported as a handler's. An error means the work failed
// and nobody was told: the transport logs it and tells the person who
// acted that something went wrong. Work that tells them itself (a post a
// channel refused) returns nil.
type Post struct {
	Run func(ctx context.Context, m Messenger) error
}

// WithPosts is a reply plus work to do once the reply is out.
type WithPosts struct {
	Reply Reply
	Posts []Post
}

// Announcement is a message for a channel (a win, a digest line…).
type Announcement struct {
	Msgs []Msg
}

func (Card) isReply()         {}
func (HistoryList) isReply()  {}
func (Candidates) isReply()   {}
func (Home) isReply()         {}
func (WithPosts) isReply()    {}
func (Announcement) isReply() {}
