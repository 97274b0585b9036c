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

// Either accepts the ids of both platforms: one file may name a person by
// a Slack id and another by a Teams id when one bot serves both. A
// refusal names both forms ("… is not a Slack user id (…) or a Microsoft
// Entra object id (…)"). A rule without Match is left out of the union.
func Either(a, b IDs) IDs {
	return IDs{User: eitherRule(a.User, b.User), Channel: eitherRule(a.Channel, b.Channel)}
}

func eitherRule(a, b IDRule) IDRule {
	switch {
	case a.Match == nil:
		return b
	case b.Match == nil:
		return a
	}
	return IDRule{
		Match: func(s string) bool { return a.Match(s) || b.Match(s) },
		What:  a.What + " or " + b.What,
	}
}
