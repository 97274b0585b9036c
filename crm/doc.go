// Package crm knows the files other sales tools write: the column headers of
// HubSpot, Salesforce and Pipedrive deal exports (in the languages they are
// exported in), their default stages and forecast categories and how those map
// onto dealpilot's, and how to read such a file (CSV in any of the encodings
// and delimiters spreadsheets produce, or XLSX) into rows of typed values.
//
// It is pure: it imports only domain and i18n of dealpilot's packages,
// touches no database and no chat platform. Why a row cannot be imported is a
// Problem naming a catalogue message ("crm.…" keys, i18n/catalog_crm.go), so
// the report reads in English and the bot's summary in the workspace's
// language. `dealpilot import` reads with it and
// `dealpilot export` writes the same header sets, so a file exported for a CRM
// is one that CRM, and dealpilot itself, reads back.
package crm
