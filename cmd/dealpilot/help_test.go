package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestEveryCommandHasHelp: every subcommand of the commands table (the
// only way Main reaches one) answers --help and -h, and dealpilot help
// NAME, with its usage and an example of itself, on stdout, exit 0; and
// the command list names it. So does every sub-subcommand (report
// forecast, config check…), its command's help naming it.
func TestEveryCommandHasHelp(t *testing.T) {
	if len(commands) < 10 {
		t.Fatalf("%d commands: the table lost some", len(commands))
	}
	_, list, _ := run(t, nil, "--help")
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			if !regexp.MustCompile(`(?m)^  ` + c.name + ` `).MatchString(list) {
				t.Errorf("dealpilot --help does not list %s:\n%s", c.name, list)
			}
			var first string
			for _, args := range [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}} {
				code, out, errOut := run(t, nil, args...)
				if code != exitOK || errOut != "" {
					t.Fatalf("dealpilot %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
				}
				if !strings.HasPrefix(out, "usage: dealpilot "+c.name) {
					t.Errorf("dealpilot %s does not start with its usage:\n%s", strings.Join(args, " "), out)
				}
				// An example: a line "Example:" (or "Examples:"), then the command itself.
				_, ex, ok := strings.Cut(out, "\nExample")
				if !ok || !strings.Contains(ex, "dealpilot "+c.name) {
					t.Errorf("dealpilot %s shows no example of dealpilot %s:\n%s", strings.Join(args, " "), c.name, out)
				}
				if first == "" {
					first = out
				} else if out != first {
					t.Errorf("dealpilot %s differs from --help", strings.Join(args, " "))
				}
			}
		})
	}
	// The sub-subcommands, each from the table its command dispatches
	// through (reports, configCommands), so a new one without help fails.
	var subs [][]string
	for name := range reports {
		subs = append(subs, []string{"report", name})
	}
	for _, c := range configCommands {
		subs = append(subs, strings.Fields(c.help.name))
	}
	if len(subs) < 6 {
		t.Fatalf("%d sub-subcommands: a table lost some", len(subs))
	}
	for _, sub := range subs {
		name := strings.Join(sub, " ")
		t.Run(name, func(t *testing.T) {
			var first string
			for _, args := range [][]string{append(sub, "--help"), append(sub, "-h"), append([]string{"help"}, sub...)} {
				code, out, errOut := run(t, nil, args...)
				if code != exitOK || errOut != "" {
					t.Fatalf("dealpilot %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
				}
				if !strings.HasPrefix(out, "usage: dealpilot "+name) {
					t.Errorf("dealpilot %s does not start with its usage:\n%s", strings.Join(args, " "), out)
				}
				_, ex, ok := strings.Cut(out, "\nExample")
				if !ok || !strings.Contains(ex, "dealpilot "+name) {
					t.Errorf("dealpilot %s shows no example of dealpilot %s:\n%s", strings.Join(args, " "), name, out)
				}
				if first == "" {
					first = out
				} else if out != first {
					t.Errorf("dealpilot %s differs from --help", strings.Join(args, " "))
				}
			}
			// The command's own help names it.
			if _, top, _ := run(t, nil, sub[0], "--help"); !strings.Contains(top, sub[1]) {
				t.Errorf("dealpilot %s --help does not name %s", sub[0], sub[1])
			}
		})
	}
	for _, args := range [][]string{{"help"}, {"-h"}} {
		if code, out, _ := run(t, nil, args...); code != exitOK || out != list {
			t.Errorf("dealpilot %s: exit %d, not the command list", args[0], code)
		}
	}
	if code, out, errOut := run(t, nil, "help", "frobnicate"); code != exitUsage || out != "" || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("help of an unknown command: exit %d %q %q", code, out, errOut)
	}
}

// TestREADMEShowsTheRealHelp: the dealpilot --help output pasted in the
// README's first section is what the binary prints.
func TestREADMEShowsTheRealHelp(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```text\n\\$ dealpilot --help\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README shows no ```text block starting with $ dealpilot --help")
	}
	_, out, _ := run(t, nil, "--help")
	if string(m[1]) != out {
		t.Errorf("the README's dealpilot --help is not the real one; paste this:\n%s", out)
	}
}
