package config

// IDs are the rules a transport supplies for the ids a configuration file
// names people and channels by: each platform has its own (bot/slack's
// IDs: U… and W… users, C…, D… and G… channels; a Teams transport would
// bring Entra object ids and 19:…@thread.tacv2 channels). The file is
// checked against the rules of the transport the bot runs on, so a typo or
// a #name is refused at load with what an id of that platform looks like.
type IDs struct {
	User    IDRule
	Channel IDRule
}

// IDRule is what one kind of id looks like on a platform.
type IDRule struct {
	// Match reports whether s is such an id. A nil Match accepts nothing:
	// a rule left out refuses every id rather than letting any through.
	Match func(s string) bool
	// What names the kind of id and how to find one, for the error that
	// follows "… is not ": `a Slack user id (U or W then capitals and
	// digits, e.g. U0123ABCD; …)`.
	What string
}

func (r IDRule) ok(s string) bool { return r.Match != nil && r.Match(s) }
