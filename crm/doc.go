// Package crm knows the files other sales tools write: the column headers of
// HubSpot, Salesforce and Pipedrive deal exports (in the languages they are
// exported in), their default stages and forecast categories and how those map
// onto dealpilot's, and how to read such a file (CSV in any of the encodings
// and delimiters spreadsheets produce, or XLSX) into rows of typed values.
//
// It is pure: it imports only domain of dealpilot's packages, touches no
// database and no chat platform. `dealpilot import` reads with it and
// `dealpilot export` writes the same header sets, so a file exported for a CRM
// is one that CRM, and dealpilot itself, reads back.
package crm
