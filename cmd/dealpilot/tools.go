package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/store"
)

func backup(args []string, e env, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: dealpilot backup FILE   (copies DEALPILOT_DB, default ./dealpilot.db)")
		return exitUsage
	}
	if err := store.BackupFile(e.DB, args[0]); err != nil {
		fmt.Fprintln(stderr, "dealpilot backup:", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", e.DB, args[0])
	return exitOK
}

func configCmd(args []string, e env, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: dealpilot config check [FILE] | dealpilot config example")
		return exitUsage
	}
	switch args[0] {
	case "example":
		fmt.Fprint(stdout, config.Example())
		return exitOK
	case "check":
		path, explicit := e.Config, e.ConfigSet
		if len(args) > 1 {
			path, explicit = args[1], true
		}
		cfg, err := config.Load(path, explicit)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "%s: OK (%d teams, %d stages, locale %s, time zone %s)\n", path, len(cfg.Teams), len(cfg.Stages), cfg.Locale, cfg.Location)
		return exitOK
	}
	fmt.Fprintf(stderr, "dealpilot config: unknown subcommand %q\n", args[0])
	return exitUsage
}

// health checks the running bot's /healthz, for the Docker HEALTHCHECK
// (the runtime image has no shell or curl).
func health(e env, stdout, stderr io.Writer) int {
	addr := e.HTTPAddr
	if host, port, err := net.SplitHostPort(addr); err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://" + addr + "/healthz")
	if err != nil {
		fmt.Fprintln(stderr, "unhealthy:", err)
		return exitFailed
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "unhealthy:", resp.Status)
		return exitFailed
	}
	fmt.Fprintln(stdout, "healthy")
	return exitOK
}
