package i18n

// This file holds what a channel is told when the bot answers a command
// typed there privately instead (a transport without messages only one
// person sees in a channel answers in the person's chat with the bot).
// Keys start with "private.".

func init() {
	for k, v := range privateMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var privateMessages = map[string]msg{
	"private.answered": {"I answered you in a private chat.",
		"Je vous ai répondu dans une conversation privée."},
	"private.unreachable": {"I cannot answer you here, and I cannot write to you privately yet: open a chat with me once (or ask your admin to install the app for you), then ask again.",
		"Je ne peux pas vous répondre ici, ni encore vous écrire en privé : ouvrez une conversation avec moi une fois (ou demandez à votre admin d'installer l'application pour vous), puis redemandez."},
}
