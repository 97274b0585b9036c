package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/store"
)

// backup copies the database to FILE. While a bot runs it holds the file's
// lock, so the copy is asked of the bot itself (GET /backup on its
// loopback DEALPILOT_HTTP_ADDR: one read transaction, writers not blocked);
// when no bot answers there, the file is copied directly.
func backup(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: dealpilot backup FILE   (copies DEALPILOT_DB, default ./dealpilot.db; safe while the bot runs)")
		return exitUsage
	}
	dst := args[0]
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
	if err := store.BackupFile(e.DB, dst); err != nil {
		if errors.Is(err, store.ErrInUse) {
			fmt.Fprintf(stderr, "dealpilot backup: %s is held by a running bot that does not answer on DEALPILOT_HTTP_ADDR (%s): set DEALPILOT_HTTP_ADDR to the bot's own (a loopback address), or use DEALPILOT_BACKUP_DIR\n", e.DB, e.HTTPAddr)
			return exitFailed
		}
		fmt.Fprintln(stderr, "dealpilot backup:", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "backed up %s to %s (no bot running)\n", e.DB, dst)
	return exitOK
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

// loopbackAddr is addr with an unspecified host (":8080", "0.0.0.0:8080")
// made 127.0.0.1, the address a command on the same machine dials.
func loopbackAddr(addr string) string {
	if host, port, err := net.SplitHostPort(addr); err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
		return net.JoinHostPort("127.0.0.1", port)
	}
	return addr
}

// configCommands are the `dealpilot config <name>` commands; configCmd
// reaches one only through this table, help and all
// (TestEveryCommandHasHelp).
var configCommands = []struct {
	help subHelp
	run  func(args []string, e env, stdout, stderr io.Writer) int
}{
	{subHelp{name: "config check", args: "[FILE]",
		about: `Validates the configuration file (FILE, or DEALPILOT_CONFIG, default ./dealpilot.yaml) as serve
reads it: a refusal names the file, the line, the key and a fix; a missing file is refused too
(serve will not start without one). Exits 0 when the file is valid, 2 when not.`,
		example: `  dealpilot config check dealpilot.yaml
  DEALPILOT_CONFIG=/etc/dealpilot/dealpilot.yaml dealpilot config check`},
		configCheck},
	{subHelp{name: "config example",
		about:   `Prints a full configuration file, every key commented, to start from.`,
		example: `  dealpilot config example > dealpilot.yaml`},
		func(args []string, _ env, stdout, stderr io.Writer) int {
			if len(args) > 0 {
				fmt.Fprintf(stderr, "dealpilot config example: unexpected argument %q\nusage: dealpilot config example\n", args[0])
				return exitUsage
			}
			fmt.Fprint(stdout, config.Example())
			return exitOK
		}},
}

func configCmd(args []string, e env, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: dealpilot config check [FILE] | dealpilot config example")
		return exitUsage
	}
	for _, c := range configCommands {
		if c.help.name != "config "+args[0] {
			continue
		}
		// -h or --help anywhere: these take no flags, so it is never a file name.
		if slices.ContainsFunc(args[1:], isHelp) {
			c.help.write(stdout, nil)
			return exitOK
		}
		return c.run(args[1:], e, stdout, stderr)
	}
	fmt.Fprintf(stderr, "dealpilot config: unknown subcommand %q\n", args[0])
	return exitUsage
}

// configCheck validates the configuration file: FILE, or DEALPILOT_CONFIG.
func configCheck(args []string, e env, stdout, stderr io.Writer) int {
	if len(args) > 1 {
		fmt.Fprintf(stderr, "dealpilot config check: unexpected argument %q\nusage: dealpilot config check [FILE]\n", args[1])
		return exitUsage
	}
	path := e.Config
	if len(args) > 0 {
		path = args[0]
	}
	// A missing file fails, named or not: serve refuses to start without one.
	cfg, err := config.Load(path, true)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stderr, "%s: no such file: serve will not start without a configuration file; %s\n", absPath(path), noConfigFix)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "%s: OK (%d teams, %d stages, locale %s, time zone %s)\n", path, len(cfg.Teams), len(cfg.Stages), cfg.Locale, cfg.Location)
	return exitOK
}

// health checks the running bot's /healthz, for the Docker HEALTHCHECK
// (the runtime image has no shell or curl). It dials DEALPILOT_HTTP_ADDR
// on loopback (0.0.0.0:8080 is asked at 127.0.0.1:8080): the check runs in
// the bot's own container, so a loopback address works as well.
func health(e env, stdout, stderr io.Writer) int {
	addr := loopbackAddr(e.HTTPAddr)
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://" + addr + "/healthz")
	if err != nil {
		fmt.Fprintln(stderr, "unhealthy:", err)
		return exitFailed
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "unhealthy:", resp.Status, strings.TrimSpace(strings.TrimPrefix(string(body), "unhealthy: ")))
		return exitFailed
	}
	fmt.Fprintln(stdout, "healthy")
	return exitOK
}
