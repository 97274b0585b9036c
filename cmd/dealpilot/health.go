package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

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

func init() {
	register(command{name: "health", rank: 80, list: "check a running bot's /healthz (for container health checks)",
		help: text(`usage: dealpilot health

Asks the bot running on this machine for /healthz at DEALPILOT_HTTP_ADDR (on 127.0.0.1 when it
listens on every interface) and exits 0 when it is healthy, 1 when not: unhealthy once the bot has
had no Socket Mode connection to Slack for more than a minute (serving Slack), or once its Teams
endpoint has stopped listening (serving Teams). The image's HEALTHCHECK runs it.

Example:
  docker exec dealpilot dealpilot health
`),
		run: func(_ context.Context, _ []string, e env, stdout, stderr io.Writer) int {
			return health(e, stdout, stderr)
		}})
}
