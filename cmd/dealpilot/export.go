package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dealpilot/dealpilot/export"
	"github.com/dealpilot/dealpilot/store"
)

var exportHelp = subHelp{name: "export", args: "[--what deals|history|desk|snapshots|accounts] [--format csv|xlsx] [--for CRM] [-o FILE]",
	about: `Writes a table of the database file (DEALPILOT_DB) as CSV or XLSX: the deals (every field:
qualification, next step, list and net amount, external id), their history, the deal desk's discount
requests, the weekly forecast snapshots, or the accounts with their churns and downgrades.
--for writes the deals in the columns a CRM's import maps by itself (a file ready to import
there); without it, dealpilot's own columns, for a spreadsheet or for dealpilot import.

CSV is UTF-8, RFC 4180 (comma, CRLF); amounts are in currency units with a dot (74932.50), dates
and times ISO 8601 (times in UTC). A text cell starting with = + - @, tab or carriage return gets a
leading apostrophe, so no spreadsheet runs it as a formula; numbers are written as numbers (a
negative amount stays -12.50). The file is read only, never changed; the bot holds it while it
runs: stop it, or export from a copy (dealpilot backup FILE).`,
	example: `  dealpilot export -o deals.csv
  dealpilot export --for hubspot -o hubspot.csv
  dealpilot backup /tmp/now.db && DEALPILOT_DB=/tmp/now.db dealpilot export --what history --format xlsx -o history.xlsx`}

// exportCmd writes one table of the file. It opens the file read-only: a
// running bot holds it, and the message then says to export from a backup.
func exportCmd(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	what := fs.String("what", "deals", "what to write: "+strings.Join(export.What, ", "))
	format := fs.String("format", "", "csv or xlsx (default: from -o's extension, else csv)")
	target := fs.String("for", "", "write the deals in a CRM's import columns: "+strings.Join(export.Targets, ", ")+" (default: dealpilot's own columns)")
	out := fs.String("o", "", "the `FILE` to write (default: standard output; an XLSX needs one)")
	if code, ok := parseSub(fs, exportHelp, args, stdout, stderr); !ok {
		return code
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "dealpilot export: "+format+"\n%s\n", append(a, exportHelp.usage())...)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usage("unexpected argument %q", fs.Arg(0))
	}
	if *format == "" {
		*format = "csv"
		if strings.EqualFold(filepath.Ext(*out), ".xlsx") {
			*format = "xlsx"
		}
	}
	if *format != "csv" && *format != "xlsx" {
		return usage("--format %q: use csv or xlsx", *format)
	}
	if *format == "xlsx" && *out == "" {
		return usage("--format xlsx writes a binary file: give it with -o FILE")
	}
	if !slices.Contains(export.What, *what) {
		return usage("--what %q: use %s", *what, strings.Join(export.What, ", "))
	}
	if *target != "" && *what != "deals" {
		return usage("--for %s writes deals: a CRM imports no %s", *target, *what)
	}
	if *target != "" && !slices.Contains(export.Targets, *target) {
		return usage("--for %q: use %s (or none, for dealpilot's own columns)", *target, strings.Join(export.Targets, ", "))
	}

	db, err := store.OpenReadOnly(e.DB, store.Options{})
	switch {
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintf(stderr, "dealpilot export: %s: no such database file (DEALPILOT_DB)\n", e.DB)
		return exitUsage
	case errors.Is(err, store.ErrInUse):
		fmt.Fprintf(stderr, "dealpilot export: %s is held by a running bot, and bbolt lets no one read a file another process writes: export from a copy:\n  dealpilot backup /tmp/dealpilot-now.db && DEALPILOT_DB=/tmp/dealpilot-now.db dealpilot export %s\n",
			e.DB, strings.Join(args, " "))
		return exitFailed
	case err != nil:
		fmt.Fprintln(stderr, "dealpilot export:", err)
		return exitFailed
	}
	defer db.Close()

	t, err := export.Open(ctx, db, *what, *target)
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot export:", err)
		return exitUsage
	}
	write := export.WriteCSV
	if *format == "xlsx" {
		write = export.WriteXLSX
	}
	if *out == "" {
		if err := write(stdout, t); err != nil {
			fmt.Fprintln(stderr, "dealpilot export:", err)
			return exitFailed
		}
		return exitOK
	}
	if err := writeAtomic(*out, func(w io.Writer) error { return write(w, t) }); err != nil {
		fmt.Fprintln(stderr, "dealpilot export:", err)
		return exitFailed
	}
	fmt.Fprintf(stderr, "dealpilot export: wrote %s (%s, %s) from %s\n", *out, *what, *format, e.DB)
	return exitOK
}

// writeAtomic writes path through a temporary file beside it, renamed
// only once complete: a failed export leaves no half file and keeps an
// older one.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Chmod(f.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func init() {
	register(command{name: "export", rank: 77,
		list: "write deals, history, discount requests, snapshots or accounts as CSV or XLSX (export -h)",
		help: withFlags("", func(ctx context.Context, args []string, stderr io.Writer) int {
			return exportCmd(ctx, args, env{}, stderr, stderr)
		}),
		run: exportCmd})
}
