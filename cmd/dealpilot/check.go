package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/dealpilot/dealpilot/store"
)

// check reports what is damaged in a database file: bad pages (bbolt's own
// check), records that no longer decode, and forecast sums and pipeline
// digests that drifted from the deals and their history. It reads the file
// only; while a
// bot runs on it, check a backup.
func check(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: dealpilot check FILE   (a database file or a backup of one)")
		return exitUsage
	}
	path := args[0]
	rep, err := store.CheckFile(path)
	if errors.Is(err, store.ErrInUse) {
		fmt.Fprintf(stderr, "dealpilot check: %s is in use by a running bot: back it up first (dealpilot backup copy.db), then check the copy\n", path)
		return exitFailed
	}
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot check:", err)
		return exitFailed
	}
	for _, p := range rep.BadPages {
		fmt.Fprintln(stdout, "bad page:  ", p)
	}
	for _, r := range rep.BadRecords {
		fmt.Fprintln(stdout, "bad record:", r)
	}
	for _, r := range rep.Drift {
		fmt.Fprintln(stdout, "drift:     ", r)
	}
	if rep.OK() {
		fmt.Fprintf(stdout, "%s: OK (schema %d, %d records, every page and record readable)\n", path, rep.SchemaVersion, rep.Records)
		return exitOK
	}
	if len(rep.BadPages) > 0 {
		fmt.Fprintf(stdout, "%s: %d bad pages: restore the last good backup (records were not checked)\n", path, len(rep.BadPages))
		return exitFailed
	}
	if len(rep.BadRecords) > 0 {
		fmt.Fprintf(stdout, "%s: %d of %d records cannot be read; the bot skips them and everything else works\n", path, len(rep.BadRecords), rep.Records)
	}
	if len(rep.Drift) > 0 {
		fmt.Fprintf(stdout, "%s: %d of the forecast's sums differ from the deals: /forecast shows the sums, not the deals\n", path, len(rep.Drift))
	}
	return exitFailed
}

func init() {
	register(command{name: "check", rank: 50, list: "report bad pages and records that cannot be read in a database file or backup",
		help: text(`usage: dealpilot check FILE

Reports bad pages (bbolt's consistency check) and records that can no longer be read, by bucket
and key, in a database file or a backup of one. Run it on a backup: the bot holds the live file.

Example:
  dealpilot check /backups/dealpilot-2026-12-06.db
`),
		run: func(_ context.Context, args []string, _ env, stdout, stderr io.Writer) int {
			return check(args, stdout, stderr)
		}})
}
