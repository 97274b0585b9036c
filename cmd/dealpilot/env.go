package main

import (
	"net"

	"github.com/dealpilot/dealpilot/cmd/internal/appenv"
)

// env is the process environment dealpilot reads (package appenv, which
// the bench's child reads too).
type env = appenv.Env

func readEnv(getenv func(string) string) env { return appenv.Read(getenv) }

// loopbackAddr is addr with an unspecified host (":8080", "0.0.0.0:8080")
// made 127.0.0.1, the address a command on the same machine dials.
func loopbackAddr(addr string) string {
	if host, port, err := net.SplitHostPort(addr); err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
		return net.JoinHostPort("127.0.0.1", port)
	}
	return addr
}
