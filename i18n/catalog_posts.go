package i18n

// This file holds what the person who acted is told when a channel refuses
// one of the bot's messages (bot/posts.go). Keys start with "post.". %[1]s
// is the channel, %[2]s the bot, %[3]s how to invite it, all worded by the
// transport.

func init() {
	for k, v := range postMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var postMessages = map[string]msg{
	"post.failed.not_in_channel": {
		"I can't post in %[1]s: invite %[2]s there (%[3]s). I'll post it as soon as I'm in.",
		"Je ne peux pas publier dans %[1]s : invitez-y %[2]s (%[3]s). Je publierai dès que j'y serai.",
	},
	"post.failed.no_channel": {
		"I can't find the channel %[1]s: if it is private, invite %[2]s there (%[3]s); if it no longer exists, ask an admin to fix the configuration.",
		"Je ne trouve pas le canal %[1]s : s'il est privé, invitez-y %[2]s (%[3]s) ; s'il n'existe plus, demandez à un admin de corriger la configuration.",
	},
	"post.failed.archived": {
		"I can't post in %[1]s: it is archived. Ask an admin to unarchive it or to set another channel in the configuration.",
		"Je ne peux pas publier dans %[1]s : il est archivé. Demandez à un admin de le désarchiver ou d'indiquer un autre canal dans la configuration.",
	},
	"post.done.desk": {
		"Request #%[1]d is now posted in %[2]s, where its approvers see it.",
		"La demande n°%[1]d est maintenant publiée dans %[2]s, où ses approbateurs la voient.",
	},
	"post.failed.missing_scope": {
		"I can't post in %[1]s: the app lacks a permission it needs. Ask an admin to run dealpilot doctor, add the scopes it lists and reinstall the app.",
		"Je ne peux pas publier dans %[1]s : il manque une autorisation à l'application. Demandez à un admin de lancer dealpilot doctor, d'ajouter les scopes indiqués et de réinstaller l'application.",
	},
	// A digest is out but its chart and CSV are not: they follow by
	// themselves once the cause is fixed; asking again is not needed.
	"post.files.not_in_channel": {
		"The digest is posted in %[1]s, but I couldn't attach its chart and CSV: I'm not a member there. Invite %[2]s (%[3]s) and they will follow; no need to ask for the digest again.",
		"Le digest est publié dans %[1]s, mais je n'ai pas pu y joindre son graphique et son CSV : je n'en suis pas membre. Invitez-y %[2]s (%[3]s) et ils suivront ; inutile de redemander le digest.",
	},
	"post.files.no_channel": {
		"The digest is posted in %[1]s, but I couldn't attach its chart and CSV: I can't find the channel. If it is private, invite %[2]s there (%[3]s) and they will follow; no need to ask for the digest again.",
		"Le digest est publié dans %[1]s, mais je n'ai pas pu y joindre son graphique et son CSV : je ne trouve pas le canal. S'il est privé, invitez-y %[2]s (%[3]s) et ils suivront ; inutile de redemander le digest.",
	},
	"post.files.archived": {
		"The digest is posted in %[1]s, but I couldn't attach its chart and CSV: the channel is archived. Ask an admin to unarchive it or to set another channel in the configuration.",
		"Le digest est publié dans %[1]s, mais je n'ai pas pu y joindre son graphique et son CSV : le canal est archivé. Demandez à un admin de le désarchiver ou d'indiquer un autre canal dans la configuration.",
	},
	"post.files.missing_scope": {
		"The digest is posted in %[1]s, but I couldn't attach its chart and CSV: the app lacks the files:write permission. Ask an admin to add it and reinstall the app; they will follow within the hour. No need to ask for the digest again.",
		"Le digest est publié dans %[1]s, mais je n'ai pas pu y joindre son graphique et son CSV : il manque à l'application l'autorisation files:write. Demandez à un admin de l'ajouter et de réinstaller l'application ; ils suivront dans l'heure. Inutile de redemander le digest.",
	},
	"post.files.retry": {
		"The digest is posted in %[1]s, but I couldn't attach its chart and CSV just now; they will follow in a minute. No need to ask for the digest again.",
		"Le digest est publié dans %[1]s, mais je n'ai pas pu y joindre son graphique et son CSV à l'instant ; ils suivront dans une minute. Inutile de redemander le digest.",
	},
	"post.failed.retry": {
		"I couldn't post in %[1]s just now; I'll try again in a minute.",
		"Je n'ai pas pu publier dans %[1]s à l'instant ; je réessaierai dans une minute.",
	},
}
