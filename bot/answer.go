package bot

import (
	"github.com/dealpilot/dealpilot/domain"
)

// Msg is a catalogue message with its arguments, rendered by the transport in
// the user's locale. String arguments are user text: a transport escapes them
// before they reach markup, so a deal named "<!channel>" pings nobody.
type Msg struct {
	Key  string
	Args []any
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
type DealList struct {
	Title Msg
	Empty Msg
	Deals []*domain.Deal
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

func (Notice) isReply()   {}
func (DealList) isReply() {}
func (Help) isReply()     {}
func (OpenForm) isReply() {}
func (Created) isReply()  {}
