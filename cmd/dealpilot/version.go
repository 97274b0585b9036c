package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func buildVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

func init() {
	register(command{name: "version", rank: 90, list: "print the version",
		help: text(`usage: dealpilot version

Prints the version the binary was built as.

Example:
  dealpilot version
`),
		run: func(_ context.Context, _ []string, _ env, stdout, _ io.Writer) int {
			fmt.Fprintln(stdout, "dealpilot", buildVersion())
			return exitOK
		}})
}
