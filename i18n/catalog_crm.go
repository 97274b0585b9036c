package i18n

// This file holds what the import of a CRM export says about its rows
// (package crm): why a row or a cell cannot be imported, and the words of
// the report's lines for invalid rows and conflicts. dealpilot import
// writes them in English, the bot's summary in the workspace's language.
// Keys start with "crm."; the English text is the report's, byte for byte
// (crm's golden dry runs hold it).

func init() {
	for k, v := range crmMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var crmMessages = map[string]msg{
	// A report line: "line 12: invalid   Amount: …".
	"crm.report.line":        {"line %d: %-9s ", "ligne %d : %s "},
	"crm.action.create":      {"create", "à créer"},
	"crm.action.update":      {"update", "à mettre à jour"},
	"crm.action.unchanged":   {"unchanged", "inchangée"},
	"crm.action.conflict":    {"conflict", "conflit"},
	"crm.action.invalid":     {"invalid", "invalide"},
	"crm.action.skip":        {"skip", "ignorée"},
	"crm.problem.column":     {"%s: %s", "%s : %s"},
	"crm.report.empty_value": {`""`, "vide"},
	"crm.report.quoted":      {"%q", "« %s »"},
	"crm.report.conflict": {
		"; %s changed in dealpilot (%s) and in the file (%s): dealpilot's kept (--prefer-file takes the file's)",
		" ; %s modifié dans dealpilot (%s) et dans le fichier (%s) : la valeur de dealpilot est gardée (--prefer-file prend celle du fichier)",
	},

	"crm.report.conflict_kept": {
		"; %s changed in dealpilot (%s) and in the file (%s): dealpilot's kept",
		" ; %s modifié dans dealpilot (%s) et dans le fichier (%s) : la valeur de dealpilot est gardée",
	},

	// What an import fills in for the file, said after a row's line.
	"crm.note.created_after_today": {"created %s, after today: dated from the import", "créée le %s, après aujourd'hui : datée de l'import"},
	"crm.note.lost_stage_unknown":  {"lost at an unknown stage", "perdue à une étape inconnue"},
	"crm.note.no_loss_reason":      {"no loss reason in the file: \"other\"", "aucun motif de perte dans le fichier : « other »"},

	// A row as a whole.
	"crm.row.cells": {
		"%d cells where the header has %d (a line cut short, or a delimiter inside an unquoted cell)",
		"%d cellules alors que l'en-tête en a %d (une ligne coupée, ou un délimiteur dans une cellule sans guillemets)",
	},
	"crm.empty": {"empty", "vide"},

	// Text cells.
	"crm.text.quoted_formula": {
		"%q starts like a spreadsheet formula once its apostrophe is dropped; remove the leading %q (dealpilot does not import formulas)",
		"« %s » commence comme une formule de tableur une fois son apostrophe retirée ; enlevez le « %s » du début (dealpilot n'importe pas de formules)",
	},
	"crm.text.formula": {
		"%q starts like a spreadsheet formula; remove the leading %q (dealpilot does not import formulas)",
		"« %s » commence comme une formule de tableur ; enlevez le « %s » du début (dealpilot n'importe pas de formules)",
	},
	"crm.text.too_long": {"%d characters, more than %d", "%d caractères, plus de %d"},

	// Ids.
	"crm.external_id.empty": {
		"empty: without the CRM's id a new import would create the deal again",
		"vide : sans l'identifiant du CRM, un nouvel import créerait l'affaire une seconde fois",
	},
	"crm.external_id.not_key": {
		"%q is not an external id dealpilot writes (crm:id, such as hubspot:1234)",
		"« %s » n'est pas un identifiant externe tel que dealpilot l'écrit (crm:id, par exemple hubspot:1234)",
	},
	"crm.external_id.duplicate": {
		"the same id as line %d: a deal is imported once per file",
		"le même identifiant qu'à la ligne %d : une affaire n'est importée qu'une fois par fichier",
	},
	"crm.type.bad":   {"%q is not a deal type: new, expansion or renewal", "« %s » n'est pas un type d'affaire : new, expansion ou renewal"},
	"crm.splits.bad": {"%q is not splits as dealpilot exports them: user, colon, share in basis points, then ;", "« %s » n'est pas un partage tel que dealpilot l'exporte : utilisateur, deux-points, part en points de base, puis ;"},
	"crm.ref.bad":    {"%q is not a deal ref (D-12)", "« %s » n'est pas une référence d'affaire (D-12)"},

	// Required values.
	"crm.account.empty":    {"empty: dealpilot needs the account of every deal", "vide : dealpilot a besoin du compte de chaque affaire"},
	"crm.amount.empty":     {"empty: dealpilot needs an amount above 0", "vide : dealpilot a besoin d'un montant supérieur à 0"},
	"crm.amount.zero":      {"0: dealpilot needs an amount above 0", "0 : dealpilot a besoin d'un montant supérieur à 0"},
	"crm.amount.no_column": {"no amount column: dealpilot needs an amount", "aucune colonne de montant : dealpilot a besoin d'un montant"},
	"crm.close_date.empty": {"empty: dealpilot needs a close date", "vide : dealpilot a besoin d'une date de signature"},

	// Owners.
	"crm.owner.empty": {"empty: every deal needs an owner", "vide : chaque affaire a besoin d'un responsable"},
	"crm.owner.unknown": {
		"unknown owner %q: map it to a user under import: owners: in the configuration",
		"responsable inconnu « %s » : associez-le à un utilisateur sous import: owners: dans la configuration",
	},
	"crm.owner.not_looked_up": {
		"unknown owner %q: not looked up in %s (%s): map it to a user under import: owners: in the configuration",
		"responsable inconnu « %s » : pas recherché dans %s (%s) ; associez-le à un utilisateur sous import: owners: dans la configuration",
	},
	"crm.owner.no_such_email": {
		"unknown owner %q: no one in %s has this email, and import: owners: in the configuration does not map it",
		"responsable inconnu « %s » : personne dans %s n'a cet e-mail, et import: owners: dans la configuration ne l'associe pas",
	},
	"crm.owner.in_no_team": {
		"owner %s is in %s as @%s but not in any team: add them to a team in the configuration, or map the email to a user under import: owners:",
		"le responsable %s est dans %s sous le nom @%s mais dans aucune équipe : ajoutez-le à une équipe dans la configuration, ou associez l'e-mail à un utilisateur sous import: owners:",
	},

	// Stages, statuses, categories.
	"crm.stage.unknown": {
		"unknown stage %q: map it under import: stages: in the configuration, for example - {crm: %q, stage: %s}",
		"étape inconnue « %s » : associez-la sous import: stages: dans la configuration, par exemple - {crm: %q, stage: %s}",
	},
	"crm.stage.maps_to_unknown": {
		"%q maps to %q, which is not a stage of the configuration: map it under import: stages:",
		"« %s » est associée à « %s », qui n'est pas une étape de la configuration : associez-la sous import: stages:",
	},
	"crm.status.bad": {"%q is not open, won or lost", "« %s » n'est ni ouverte (open), ni gagnée (won), ni perdue (lost)"},
	"crm.category.bad": {
		"%q is not a forecast category (commit, best case, upside, pipeline, omitted)",
		"« %s » n'est pas une catégorie de prévision (commit, best case, upside, pipeline, omitted)",
	},

	// Amounts and currencies.
	"crm.amount.scientific": {
		"%q is in scientific notation: format the column as a plain number and export again",
		"« %s » est en notation scientifique : formatez la colonne en nombre simple et exportez à nouveau",
	},
	"crm.amount.not_amount": {"%q is not an amount", "« %s » n'est pas un montant"},
	"crm.amount.not_digits": {
		"%q is not an amount: digits, with a currency symbol or code at most",
		"« %s » n'est pas un montant : des chiffres, avec au plus un symbole ou un code de devise",
	},
	"crm.amount.negative":    {"%q is negative: a deal's amount is 0 or more", "« %s » est négatif : le montant d'une affaire est de 0 ou plus"},
	"crm.amount.no_currency": {"%q names no currency and the row has none", "« %s » n'indique aucune devise, et la ligne n'en a pas"},
	"crm.amount.unreadable":  {"%q: %v", "« %s » : %v"},
	"crm.amount.decimals": {
		"%q has %d decimals; %s has %d",
		"« %s » a %d décimales ; %s en a %d",
	},
	"crm.amount.too_large":              {"%q is too large", "« %s » est trop élevé"},
	"crm.amount.bad_char":               {"%q is not a digit or separator", "« %c » n'est ni un chiffre ni un séparateur"},
	"crm.amount.two_decimal_separators": {"two decimal separators", "deux séparateurs décimaux"},
	"crm.amount.no_digits":              {"no digits", "aucun chiffre"},
	"crm.amount.grouping":               {"digits grouped irregularly", "chiffres groupés de façon irrégulière"},
	"crm.currency.mismatch": {
		"the amount is written in %q but the row's currency is %s",
		"le montant est écrit en « %s » mais la devise de la ligne est %s",
	},
	"crm.currency.unknown_symbol": {
		"%q is not a currency dealpilot knows; add a currency column (ISO code such as EUR)",
		"« %s » n'est pas une devise que dealpilot connaît ; ajoutez une colonne de devise (code ISO comme EUR)",
	},
	"crm.currency.not_iso": {"%q is not an ISO currency code", "« %s » n'est pas un code de devise ISO"},

	// Dates.
	"crm.date.not_date": {"%q is not a date", "« %s » n'est pas une date"},
	"crm.date.not_date_hint": {
		"%q is not a date (write 2026-12-31, 31/12/2026 or 12/31/2026)",
		"« %s » n'est pas une date (écrivez 2026-12-31, 31/12/2026 ou 12/31/2026)",
	},
	"crm.date.no_year":    {"%q has no four-digit year at its end", "« %s » ne se termine pas par une année à quatre chiffres"},
	"crm.date.unreadable": {"%q: %v", "« %s » : %v"},
	"crm.date.not_month": {
		"%d is not a month (the file's dates are %s)",
		"%d n'est pas un mois (les dates du fichier sont en %s)",
	},
	"crm.date.no_day": {"day %d does not exist in %s %d", "le jour %d n'existe pas en %s %d"},

	// The file as a whole (nothing of it is imported).
	"crm.file.line": {"line %d: %s", "ligne %d : %s"},
	"crm.file.utf16_no_bom": {
		"the file looks like UTF-16 text without a byte order mark; save it again as \"CSV UTF-8\" (or Excel's \"Unicode text\", which writes the mark)",
		"le fichier semble être du texte UTF-16 sans indicateur d'ordre des octets (BOM) ; enregistrez-le à nouveau en « CSV UTF-8 » (ou en « Texte Unicode » d'Excel, qui écrit l'indicateur)",
	},
	"crm.file.sep_line":   {"the \"sep=\" line names no single delimiter", "la ligne « sep= » n'indique pas un seul délimiteur"},
	"crm.file.unreadable": {"cannot read the file: %v", "impossible de lire le fichier : %v"},
	"crm.file.empty":      {"the file is empty", "le fichier est vide"},
	"crm.file.not_utf8": {
		"the text is not UTF-8 (it looks like Latin-1 or Windows-1252, what older Excel writes for \"CSV\"); save it as \"CSV UTF-8\" and import again",
		"le texte n'est pas en UTF-8 (il ressemble à du Latin-1 ou du Windows-1252, ce qu'écrivent les anciens Excel pour « CSV ») ; enregistrez-le en « CSV UTF-8 » et importez-le à nouveau",
	},
	"crm.file.no_delimiter": {
		"cannot tell the delimiter: the header line has no comma, semicolon or tab outside quotes",
		"impossible de trouver le délimiteur : la ligne d'en-tête n'a ni virgule, ni point-virgule, ni tabulation hors des guillemets",
	},
	"crm.file.row_too_long": {
		"a row longer than %d bytes: a quote is probably never closed (a file cut short, or a stray \")",
		"une ligne de plus de %d octets : un guillemet n'est sans doute jamais fermé (un fichier coupé, ou un \" égaré)",
	},
	"crm.file.quote_never_ends": {
		"a quoted cell that starts here never ends (the file is cut short, or has a stray \")",
		"une cellule entre guillemets qui commence ici ne se termine jamais (le fichier est coupé, ou contient un \" égaré)",
	},
	"crm.file.stray_quote": {
		"a stray quote in a cell (column %d): quote the whole cell and double the quotes inside it",
		"un guillemet égaré dans une cellule (colonne %d) : mettez toute la cellule entre guillemets et doublez ceux qu'elle contient",
	},
	"crm.file.csv": {"%v", "%v"},
	"crm.file.too_many_columns": {
		"%d columns, more than %d: this is not a deal export",
		"%d colonnes, plus de %d : ce n'est pas un export d'affaires",
	},
	"crm.file.cell_too_big": {
		"cell %d holds %d bytes, more than %d: this is not a deal export, or a quote is never closed",
		"la cellule %d contient %d octets, plus de %d : ce n'est pas un export d'affaires, ou un guillemet n'est jamais fermé",
	},
	"crm.file.date_not_order": {
		"a date here cannot be %s, the order asked for",
		"une date ici ne peut pas être en %s, l'ordre demandé",
	},
	"crm.file.dates_both_ways": {
		"dates are written both ways: line %d is dd/mm/yyyy, line %d mm/dd/yyyy; fix the file or say --dates dmy|mdy",
		"les dates sont écrites dans les deux ordres : la ligne %d est en jj/mm/aaaa, la ligne %d en mm/jj/aaaa ; corrigez le fichier ou précisez --dates dmy|mdy",
	},
	"crm.file.unknown_headers": {
		"the headers (%s) are not those of a HubSpot, Salesforce or Pipedrive deal export; write a mapping file naming the column of each field (dealpilot import --mapping FILE; dealpilot import --help shows one)",
		"les en-têtes (%s) ne sont pas ceux d'un export d'affaires HubSpot, Salesforce ou Pipedrive ; écrivez un fichier de correspondance qui nomme la colonne de chaque champ (dealpilot import --mapping FICHIER ; dealpilot import --help en montre un)",
	},
	"crm.file.duplicate_header": {
		"two columns are headed %q (%d and %d): keep one",
		"deux colonnes ont pour en-tête « %s » (%d et %d) : gardez-en une",
	},
	"crm.file.missing_columns": {"no column headed %s", "aucune colonne n'a pour en-tête %s"},
	"crm.xlsx.unreadable": {
		"cannot read the workbook (%v): save it again from Excel, or as CSV UTF-8",
		"impossible de lire le classeur (%v) : enregistrez-le à nouveau depuis Excel, ou en CSV UTF-8",
	},
	"crm.xlsx.no_sheet":         {"the workbook has no sheet", "le classeur n'a aucune feuille"},
	"crm.xlsx.sheet_unreadable": {"cannot read the sheet %q: %v", "impossible de lire la feuille « %s » : %v"},
	"crm.xlsx.sheet_read":       {"cannot read the sheet: %v", "impossible de lire la feuille : %v"},
	"crm.xlsx.row_read":         {"cannot read the row: %v", "impossible de lire la ligne : %v"},
	"crm.xlsx.cell_too_big": {
		"cell %d holds %d bytes, more than %d: this is not a deal export",
		"la cellule %d contient %d octets, plus de %d : ce n'est pas un export d'affaires",
	},
}
