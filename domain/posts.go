package domain

import "time"

// PostState is what the bot knows of one message it must get into a
// channel (a discount request, a win, a digest): the references of the
// parts already posted, so a retry never posts a part twice, and the last
// failure, if the message is not all out.
type PostState struct {
	Key     string // what the message is, e.g. "desk:12", "digest:EMEA:2026-W48"
	Channel string
	// Parts holds the reference of each part posted, in order; a
	// multi-part message is out when every part has one.
	Parts []string
	// Failed is set while the last attempt failed.
	Failed   bool
	Actor    UserID // who acted, told what to do ("" for scheduled work)
	Reason   string // the transport's neutral reason (bot.PostReason)
	Cause    string // the error, for the log
	Attempts int    // failed attempts since the last success
	FailedAt time.Time
	// Told is set once the actor was told about this failure.
	Told bool
	// Marker is drawn before the first attempt and sent with every part
	// (part i carries Marker.i): a retry looks for it in the channel
	// before posting again, so a part that went out unanswered is not
	// posted twice.
	Marker string
}
