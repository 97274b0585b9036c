package i18n

// This file holds the import of a CRM export a manager sends the bot in a
// direct message (bot/import.go). Keys start with "import.". The lines a
// summary lists are the import report's own (crm.Report), as
// `dealpilot import --dry-run` prints them.

func init() {
	for k, v := range importMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var importMessages = map[string]msg{
	"import.refused": {
		"Only an admin or a team's manager can import deals: ask one of them to send me the file.",
		"Seul un admin ou le manager d'une équipe peut importer des affaires : demandez-lui de m'envoyer le fichier.",
	},
	"import.too_big": {
		"%[1]s is too large to import here (%[2]d MB; at most %[3]d MB). Split it, or ask your admin to run dealpilot import on the server.",
		"%[1]s est trop volumineux pour être importé ici (%[2]d Mo ; %[3]d Mo au plus). Découpez-le, ou demandez à votre admin de lancer dealpilot import sur le serveur.",
	},
	"import.download_failed": {
		"I couldn't download %[1]s from Slack, so nothing was imported. Send it again in a moment.",
		"Je n'ai pas pu télécharger %[1]s depuis Slack : rien n'a été importé. Renvoyez-le dans un instant.",
	},
	"import.bad_file": {
		"%[1]s can't be imported: %[2]s. Nothing was written.",
		"%[1]s ne peut pas être importé : %[2]s. Rien n'a été écrit.",
	},
	"import.summary.title": {
		"Import of %[1]s (%[2]s): %[3]d rows, read and checked; nothing written yet.",
		"Import de %[1]s (%[2]s) : %[3]d lignes lues et vérifiées ; rien n'est encore écrit.",
	},
	"import.summary.counts": {
		"%[1]d to create · %[2]d to update · %[3]d unchanged · %[4]d conflicts (dealpilot's value kept) · %[5]d invalid",
		"%[1]d à créer · %[2]d à mettre à jour · %[3]d inchangées · %[4]d conflits (la valeur de dealpilot est gardée) · %[5]d invalides",
	},
	"import.summary.problems": {
		"Lines to look at:",
		"Lignes à regarder :",
	},
	"import.summary.more": {
		"…and %[1]d more lines to look at (dealpilot import --dry-run lists them all).",
		"…et %[1]d autres lignes à regarder (dealpilot import --dry-run les liste toutes).",
	},
	"import.summary.invalid": {
		"Nothing is written while rows are invalid: fix the file and send it again, or import only the valid rows.",
		"Rien n'est écrit tant que des lignes sont invalides : corrigez le fichier et renvoyez-le, ou importez seulement les lignes valides.",
	},
	"import.summary.nothing": {
		"Nothing to write: dealpilot already has every row as the file says.",
		"Rien à écrire : dealpilot a déjà chaque ligne telle que le fichier la donne.",
	},
	"import.summary.fix": {
		"Nothing to write but invalid rows: fix them and send the file again.",
		"Rien à écrire que des lignes invalides : corrigez-les et renvoyez le fichier.",
	},
	"import.button.apply":       {"Import", "Importer"},
	"import.button.apply_valid": {"Import the valid rows", "Importer les lignes valides"},
	"import.button.cancel":      {"Cancel", "Annuler"},
	"import.started": {
		"Importing %[1]s…",
		"Import de %[1]s en cours…",
	},
	"import.progress": {
		"Importing %[1]s: %[2]d of %[3]d rows read…",
		"Import de %[1]s : %[2]d lignes lues sur %[3]d…",
	},
	"import.done": {
		"Imported %[1]s: %[2]d created, %[3]d updated, %[4]d invalid rows skipped. Their history names \"import\" as the author.",
		"%[1]s importé : %[2]d créées, %[3]d mises à jour, %[4]d lignes invalides ignorées. Leur historique indique « import » comme auteur.",
	},
	"import.failed": {
		"The import of %[1]s stopped: %[2]s. What was written before stays; send the file again to complete it (rows already written are left unchanged).",
		"L'import de %[1]s s'est arrêté : %[2]s. Ce qui a été écrit avant reste ; renvoyez le fichier pour le compléter (les lignes déjà écrites restent inchangées).",
	},
	"import.cancelled": {
		"Import of %[1]s cancelled: nothing was written.",
		"Import de %[1]s annulé : rien n'a été écrit.",
	},
	"import.already": {
		"This import was already done or cancelled: nothing more to do.",
		"Cet import a déjà été fait ou annulé : plus rien à faire.",
	},
	"import.expired": {
		"This import has expired (a file is kept an hour, and not across a restart of the bot): send the file again.",
		"Cet import a expiré (un fichier est gardé une heure, et pas après un redémarrage du bot) : renvoyez le fichier.",
	},
	"import.invalid_rows": {
		"%[1]d rows are invalid, so Import writes nothing: fix them and send the file again, or choose Import the valid rows.",
		"%[1]d lignes sont invalides, donc Importer n'écrit rien : corrigez-les et renvoyez le fichier, ou choisissez Importer les lignes valides.",
	},
	"import.not_yours": {
		"This import is someone else's: only who sent the file can import it.",
		"Cet import appartient à quelqu'un d'autre : seul qui a envoyé le fichier peut l'importer.",
	},
}
