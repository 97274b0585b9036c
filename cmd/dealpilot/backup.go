package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/dealpilot/dealpilot/store"
)

// backup copies the database to FILE. A file no bot holds is copied
// directly, whatever listens on DEALPILOT_HTTP_ADDR; while a bot runs it
// holds the file's lock, so the copy is asked of the bot itself (GET
// /backup on its loopback DEALPILOT_HTTP_ADDR: one read transaction,
// writers not blocked), and refused if that bot serves another file.
func backup(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: dealpilot backup FILE   (copies DEALPILOT_DB, default ./dealpilot.db; safe while the bot runs)")
		return exitUsage
	}
	dst := args[0]
	err := store.BackupFile(e.DB, dst)
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "backed up %s to %s (no bot running)\n", e.DB, dst)
		return exitOK
	case !errors.Is(err, store.ErrInUse):
		fmt.Fprintln(stderr, "dealpilot backup:", err)
		return exitFailed
	}
	if e.HTTPAddr != "" && e.HTTPAddr != "off" {
		served, n, err := backupFromBot(ctx, e, dst)
		switch {
		case err == nil:
			fmt.Fprintf(stdout, "backed up %s to %s (%d bytes, from the running bot at %s)\n", served, dst, n, loopbackAddr(e.HTTPAddr))
			return exitOK
		case !errors.Is(err, errNoBot):
			fmt.Fprintln(stderr, "dealpilot backup:", err)
			return exitFailed
		}
	}
	fmt.Fprintf(stderr, "dealpilot backup: %s is held by a running bot that does not answer on DEALPILOT_HTTP_ADDR (%s): set DEALPILOT_HTTP_ADDR to the bot's own (a loopback address), or use DEALPILOT_BACKUP_DIR\n", e.DB, e.HTTPAddr)
	return exitFailed
}

// errNoBot: nothing listens on DEALPILOT_HTTP_ADDR.
var errNoBot = errors.New("no bot answers")

// backupFromBot streams the running bot's backup into dst and returns the
// file the bot serves. It refuses a bot serving another file than
// DEALPILOT_DB, and a copy cut short (Content-Length) or not a database.
func backupFromBot(ctx context.Context, e env, dst string) (string, int64, error) {
	addr := loopbackAddr(e.HTTPAddr)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/backup", nil)
	if err != nil {
		return "", 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return "", 0, errNoBot
		}
		return "", 0, fmt.Errorf("the bot at %s: %w", addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return "", 0, fmt.Errorf("the bot at %s refused: %s %s", addr, resp.Status, strings.TrimSpace(string(msg)))
	}
	served := resp.Header.Get(backupDBHeader)
	if a, aerr := os.Stat(e.DB); aerr == nil {
		if b, berr := os.Stat(served); berr == nil && !os.SameFile(a, b) {
			return "", 0, fmt.Errorf("the bot at %s serves %s, not DEALPILOT_DB %s: nothing copied", addr, served, e.DB)
		}
	}
	n, err := store.ReceiveBackup(resp.Body, dst)
	if err != nil {
		return "", n, err
	}
	return served, n, nil
}

func init() {
	register(command{name: "backup", rank: 40, list: "copy the database (DEALPILOT_DB) to FILE; safe while the bot runs (asks it on DEALPILOT_HTTP_ADDR)",
		help: text(`usage: dealpilot backup FILE

Copies the database (DEALPILOT_DB, default ./dealpilot.db) to FILE. While a bot runs it holds the
file: the copy is asked of the bot on DEALPILOT_HTTP_ADDR (a consistent copy, writers not blocked);
with no bot answering there, the file is copied directly. FILE is written only once it opens.

Example:
  dealpilot backup /backups/dealpilot-2026-12-06.db
`),
		run: backup})
}
