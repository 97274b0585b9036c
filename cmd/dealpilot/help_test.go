package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestEveryCommandHasHelp: every registered subcommand (the only way Main
// reaches one) answers --help and -h, and dealpilot help NAME, with its
// usage and an example of itself, on stdout, exit 0; and the command list
// names it. So does every sub-subcommand (report forecast, config check…),
// its command's help naming it.
func TestEveryCommandHasHelp(t *testing.T) {
	if len(commands) < 9 {
		t.Fatalf("%d commands: some lost their registration", len(commands))
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

// TestProductCommands: dealpilot is the product: it keeps the subcommands
// issue 15 names, in this order in the command list (a new one may come
// anywhere: its file and its test are all it takes), and no load harness
// (dealbench).
func TestProductCommands(t *testing.T) {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	keep := []string{"serve", "doctor", "demo", "backup", "check", "config", "report", "health", "version"}
	var kept []string
	for _, n := range names {
		if slices.Contains(keep, n) {
			kept = append(kept, n)
		}
	}
	if !slices.Equal(kept, keep) {
		t.Errorf("registered commands %q: want %q among them, in this order", names, keep)
	}
	if slices.Contains(names, "bench") {
		t.Errorf("dealpilot registers bench: the bench is dealbench now")
	}
	if code, _, errOut := run(t, nil, "bench"); code != exitUsage || !strings.Contains(errOut, `unknown command "bench"`) {
		t.Errorf("dealpilot bench: exit %d %q: the bench is dealbench now", code, errOut)
	}
}

// TestRegisterRefusesTwins: a second command of a name or a rank already
// taken is refused at start, not left to shadow the first.
func TestRegisterRefusesTwins(t *testing.T) {
	saved := slices.Clone(commands)
	t.Cleanup(func() { commands = saved })
	for _, c := range []command{
		{name: "serve", rank: 1000, list: "x", help: text("x"), run: commands[0].run},
		{name: "frobnicate", rank: commands[0].rank, list: "x", help: text("x"), run: commands[0].run},
		{name: "frobnicate", rank: 1001, list: "x", run: commands[0].run}, // no help
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("register(%q, rank %d) did not refuse it", c.name, c.rank)
				}
			}()
			register(c)
		}()
	}
	register(command{name: "frobnicate", rank: 15, list: "x", help: text("usage: dealpilot frobnicate"), run: commands[0].run})
	if commands[1].name != "frobnicate" {
		t.Errorf("rank 15 is not second in the list: %q", commands[1].name)
	}
}

// readmeHelp matches the dealpilot --help block of the README.
var readmeHelp = regexp.MustCompile("(?s)(```text\n\\$ dealpilot --help\n)(.*?)(```)")

// TestREADMEShowsTheRealHelp: the dealpilot --help output pasted in the
// README's first section is what the binary prints, so every registered
// command is in the README with its list line. The block is generated:
// go test ./cmd/dealpilot -run TestREADMEShowsTheRealHelp -update rewrites it.
func TestREADMEShowsTheRealHelp(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := readmeHelp.FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README shows no ```text block starting with $ dealpilot --help")
	}
	_, out, _ := run(t, nil, "--help")
	if *update && string(m[2]) != out {
		i := readmeHelp.FindSubmatchIndex(readme)
		readme = slices.Concat(readme[:i[4]], []byte(out), readme[i[5]:])
		if err := os.WriteFile("../../README.md", readme, 0o644); err != nil {
			t.Fatal(err)
		}
		m = readmeHelp.FindSubmatch(readme)
	}
	if string(m[2]) != out {
		t.Errorf("the README's dealpilot --help is not the real one (go test ./cmd/dealpilot -run TestREADMEShowsTheRealHelp -update):\n%s", out)
	}
	for _, c := range commands {
		if !strings.Contains(string(m[2]), "\n  "+c.name+" ") {
			t.Errorf("the README's command list lacks %s", c.name)
		}
	}
}
