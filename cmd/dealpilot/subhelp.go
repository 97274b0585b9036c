package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// subHelp is the --help of a sub-subcommand (report forecast, config
// check…): its usage line, what it does, its flags (from its flag set, so
// the two never drift apart) and an example, as every command's --help
// (TestEveryCommandHasHelp walks them all).
type subHelp struct {
	name    string // "report forecast"
	args    string // its synopsis: "[--team T] [--period P] …"
	about   string // what it reads and does, one paragraph
	example string // the example lines, each a whole command
}

func (h subHelp) usage() string {
	return strings.TrimSpace("usage: dealpilot " + h.name + " " + h.args)
}

// write prints the help, with fs's flags when it has any.
func (h subHelp) write(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "%s\n\n%s\n", h.usage(), strings.TrimSpace(h.about))
	if fs != nil {
		var flags strings.Builder
		fs.SetOutput(&flags)
		fs.PrintDefaults()
		if flags.Len() > 0 {
			fmt.Fprintf(w, "\nFlags:\n%s", flags.String())
		}
	}
	fmt.Fprintf(w, "\nExample:\n%s\n", strings.TrimRight(h.example, "\n"))
}

// parseSub parses a sub-subcommand's flags. -h, -help or --help prints
// its help on stdout: the caller returns exitOK. A bad flag is said on
// stderr with the usage line and where the help is: the caller returns
// exitUsage. ok reports whether to go on.
func parseSub(fs *flag.FlagSet, h subHelp, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	fs.SetOutput(stderr)
	fs.Usage = func() {} // the help is ours, on stdout, and only when asked
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		h.write(stdout, fs)
		return exitOK, false
	case err != nil:
		fmt.Fprintf(stderr, "%s\n(dealpilot %s -h: its flags and an example)\n", h.usage(), h.name)
		return exitUsage, false
	}
	return exitOK, true
}
