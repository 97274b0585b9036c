package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
	"github.com/dealpilot/dealpilot/store"
)

var importHelp = subHelp{
	name: "import",
	args: "FILE [--dry-run] [--skip-invalid] [--prefer-file] [--mapping FILE] [--dates dmy|mdy] [--config FILE]",
	about: `Imports deals from a CRM export into the database file (DEALPILOT_DB): a HubSpot deal export (English or
French headers), a Salesforce opportunity report or Data Loader export, a Pipedrive deal export, or
dealpilot's own (dealpilot export: every field, so another file gets the same deals), as CSV (UTF-8
with or without BOM, UTF-16, ',' ';' or tab) or XLSX, recognised by its headers. Any other
file is read with --mapping FILE, YAML lines "column: header":

  external_id: Ref
  name: Opportunity
  account: Customer
  owner: Sales rep
  amount: Value
  currency: Currency
  stage: Phase
  close_date: Expected close
  attr.industry: Sector        (a segment attribute of segments:, as import: attributes: maps one)

CRM stages become stages by each CRM's defaults, and owners users, by the configuration's import:
section (stages: [{crm, stage, category, status}], owners: {email or name: user id}). Each row prints
what it does: create, update, unchanged, conflict or invalid and why. Nothing is written unless every
row is valid (--skip-invalid writes the valid ones). A deal is known by its CRM id: importing the
same file again changes nothing, and a newer export updates only what changed, with history by
"import". A field changed in dealpilot since the last import and in the file is a conflict: dealpilot's
value is kept unless --prefer-file. While the bot runs it holds the file: the import goes through it, on
DEALPILOT_HTTP_ADDR (loopback only, with the token it writes beside the file, DEALPILOT_DB.token), with no
downtime and the bot's configuration; the report is the same. On Slack, an owner given by email
that import: owners does not map is looked up in Slack (users.lookupByEmail) by the running bot,
and must be in a team; with the bot stopped, map owners in the configuration.`,
	example: `  DEALPILOT_DB=dealpilot.db dealpilot import hubspot-deals.csv --dry-run
  DEALPILOT_DB=dealpilot.db dealpilot import opportunities.xlsx --skip-invalid
  DEALPILOT_DB=dealpilot.db dealpilot import deals.csv --mapping deals-mapping.yaml --dates dmy`,
}

// importBatch is how many rows are planned and written together: one
// transaction, one lookup of their external ids.
const importBatch = 1000

func importCmd(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	configGiven := false
	dry := fs.Bool("dry-run", false, "print what would be created, updated and skipped, and write nothing")
	skipInvalid := fs.Bool("skip-invalid", false, "write the valid rows even when some are invalid")
	preferFile := fs.Bool("prefer-file", false, "on a conflict, take the file's value over dealpilot's")
	mappingPath := fs.String("mapping", "", "a mapping `FILE` for a file no CRM wrote (see above)")
	dates := fs.String("dates", "", "how day-month dates are written, `dmy` or mdy, when the file's dates do not say")
	fs.Func("config", "the configuration `FILE`: its import: section, stages, currency and users (default: DEALPILOT_CONFIG, else ./dealpilot.yaml)",
		func(p string) error {
			e.Config, e.ConfigSet, configGiven = p, true, true
			return nil
		})
	// Flags may come after FILE, as the usage shows.
	var files []string
	for {
		if code, ok := parseSub(fs, importHelp, args, stdout, stderr); !ok {
			return code
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "dealpilot import: name one file\n%s\n", importHelp.usage())
		return exitUsage
	}
	path := files[0]
	fl := importFlags{dry: *dry, skipInvalid: *skipInvalid, preferFile: *preferFile, dates: *dates}
	if *mappingPath != "" {
		var err error
		if fl.mapping, err = os.ReadFile(*mappingPath); err != nil {
			fmt.Fprintln(stderr, "dealpilot import:", err)
			return exitUsage
		}
	}
	opts, err := importOptions(fl.dates, *mappingPath, fl.mapping)
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot import:", err)
		return exitUsage
	}

	// A file a running bot holds is imported through it (no downtime): it
	// writes in its own store, with its own configuration.
	var db *store.DB
	var cfg *config.Config
	if _, err := os.Stat(e.DB); err == nil {
		db, err = store.Open(e.DB, store.Options{Clock: domain.ClockFunc(reportNow)})
		if errors.Is(err, store.ErrInUse) {
			return importThroughBot(ctx, e, path, fl, configGiven, stdout, stderr)
		}
		if err != nil {
			fmt.Fprintln(stderr, "dealpilot import:", err)
			return exitFailed
		}
		defer db.Close()
	}

	// The configuration is needed: owners become its users, stages its stages.
	cfg, err = config.Load(e.Config, true, configIDs())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	f, code, ok := openImportFile(path, path, opts, stderr)
	if !ok {
		return code
	}
	if db == nil {
		db, err = store.Open(e.DB, store.Options{Clock: domain.ClockFunc(reportNow)})
		if errors.Is(err, store.ErrInUse) { // a bot started meanwhile
			return importThroughBot(ctx, e, path, fl, configGiven, stdout, stderr)
		}
		if err != nil {
			fmt.Fprintln(stderr, "dealpilot import:", err)
			return exitFailed
		}
		defer db.Close()
	}
	return runImport(ctx, db, f, path, importRules(cfg), cfg.Locale, fl, nil, stdout, stderr)
}

// importFlags are what dealpilot import is asked beside its file, as they
// travel to a running bot too.
type importFlags struct {
	dry, skipInvalid, preferFile bool
	dates                        string // dmy, mdy or ""
	mapping                      []byte // the mapping file's content, nil for none
}

// importOptions reads --dates and the mapping file (named name) into crm's
// options; an error is a usage error.
func importOptions(dates, name string, mapping []byte) (crm.Options, error) {
	opts := crm.Options{}
	if dates != "" {
		o, ok := crm.ParseDateOrder(dates)
		if !ok {
			return opts, fmt.Errorf("--dates %q: use dmy or mdy", dates)
		}
		opts.DateOrder = o
	}
	if mapping != nil {
		m, err := crm.ParseMapping(mapping)
		if err != nil {
			return opts, fmt.Errorf("%s: %w", name, err)
		}
		opts.Mapping = m
	}
	return opts, nil
}

// openImportFile opens a CRM export (named name in messages); a file that
// cannot be read says why and that nothing was imported.
func openImportFile(path, name string, opts crm.Options, stderr io.Writer) (*crm.File, int, bool) {
	f, err := crm.Open(path, opts)
	if err != nil {
		var fe *crm.FileError
		if errors.As(err, &fe) {
			fmt.Fprintf(stderr, "dealpilot import: %s: %v\nnothing imported\n", name, err)
			return nil, exitFailed, false
		}
		fmt.Fprintln(stderr, "dealpilot import:", err)
		return nil, exitFailed, false
	}
	return f, exitOK, true
}

// runImport imports f into t, named path in what it prints: the dry run's
// report line by line, then, unless a dry run or invalid rows stop it, the
// writing. dealpilot import runs it on the file when no bot holds it, the
// running bot on its own store for dealpilot import (the same report);
// flush, when set, is called after each batch.
func runImport(ctx context.Context, t crm.Target, f *crm.File, path string, rules *crm.Rules, locale i18n.Locale, fl importFlags, flush func(), stdout, stderr io.Writer) int {
	if err := rules.CheckMapping(f.Layout); err != nil {
		fmt.Fprintf(stderr, "dealpilot import: %v\nnothing imported\n", err)
		return exitUsage
	}
	run := &crm.Run{File: f, Rules: rules, PreferFile: fl.preferFile, Batch: importBatch}
	if flush != nil {
		run.Progress = func(int) { flush() }
	}
	rep := &crm.Report{W: stdout, Explain: func(err error) string { return i18n.ErrorMessage(locale, err) }, Attrs: rules.Attrs}
	rep.Header(filepath.Base(path), f)
	if _, _, err := run.Do(ctx, t, false, rep.Outcome); err != nil {
		fmt.Fprintf(stderr, "dealpilot import: %v\nnothing imported\n", err)
		return exitFailed
	}
	rep.Summary()
	invalid := rep.Counts[crm.Invalid]
	switch {
	case fl.dry:
		fmt.Fprintln(stdout, "dry run: nothing written")
		return exitOK
	case invalid > 0 && !fl.skipInvalid:
		fmt.Fprintf(stdout, "nothing written: %d invalid rows; fix them, or pass --skip-invalid to import the others\n", invalid)
		return exitFailed
	case rep.Counts[crm.Create]+rep.Counts[crm.Update]+rep.Counts[crm.Conflict] == 0:
		fmt.Fprintln(stdout, "nothing to write")
		return exitOK
	}
	created, updated, err := run.Do(ctx, t, true, nil)
	if err != nil {
		fmt.Fprintf(stderr, "dealpilot import: %v\n", err)
		fmt.Fprintf(stderr, "the batches before the failure are written; importing the file again completes it (rows already written are unchanged)\n")
		return exitFailed
	}
	fmt.Fprintf(stdout, "written: %d created, %d updated (history by %q)\n", created, updated, crm.Author)
	if invalid > 0 {
		fmt.Fprintf(stdout, "skipped: %d invalid rows\n", invalid)
	}
	return exitOK
}

// importRules are the configuration's import: section and what the
// mapping needs of the rest of it (the bot reads the same).
func importRules(cfg *config.Config) *crm.Rules { return bot.ImportRules(cfg, reportNow()) }

func init() {
	register(command{name: "import", rank: 66, list: "import deals from a HubSpot, Salesforce or Pipedrive export (CSV or XLSX) into DEALPILOT_DB",
		help: withFlags("", func(ctx context.Context, args []string, w io.Writer) int {
			return importCmd(ctx, args, env{}, w, w)
		}),
		run: importCmd})
}
