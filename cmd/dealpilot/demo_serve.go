package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// demoAnswerWait bounds the wait for the bot's first answer to a typed
// command: Slack shows an error after 3 s; the prompt gives a loaded
// machine more before it says the bot did not answer.
const demoAnswerWait = 30 * time.Second

// demoPromptHelp is what help prints at the prompt.
const demoPromptHelp = `You type as a sample user in #sales:
  /deal list                    a slash command (/deal, /forecast, /pipeline), as the current user
  as hugo /deal list            one command as another user
  as claire                     type as claire from now on
  help                          this help
  quit                          stop (Ctrl-D too)
People: %s. Write a person as @name in a command (/forecast quota @lea 150k).
Forms (/deal new, /deal update…) are shown, then closed: this prompt cannot fill them.
`

// demoServe keeps the local Slack and the bot running after the tour and
// plays what is typed on in, one line a command, printing what the bot
// answers as the transcript does. It returns at quit, at the end of in, or
// when ctx ends; the caller then stops the bot, which closes the store.
func (d *demoRun) serve(ctx context.Context, in io.Reader, out io.Writer, loc *time.Location, commands []string, interactive bool) error {
	p := &demoPrompt{d: d, out: out, loc: loc, commands: commands, user: "lea", cursor: len(d.srv.Transcript())}
	fmt.Fprintf(out, "\nThe local Slack and the bot keep running: type commands as a sample user (help lists what you can type; quit or Ctrl-D ends).\n")
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		if interactive {
			fmt.Fprintf(out, "%s> ", p.user)
		}
		var line string
		var ok bool
		select {
		case line, ok = <-lines:
		case <-ctx.Done():
			return nil
		}
		if !ok || strings.TrimSpace(line) == "quit" || strings.TrimSpace(line) == "exit" {
			p.flush()
			fmt.Fprintln(out, "End of the session.")
			return nil
		}
		if err := p.do(ctx, strings.TrimSpace(line)); err != nil {
			return err
		}
	}
}

// demoPrompt is the state of the prompt: who types, and how much of the
// transcript is printed.
type demoPrompt struct {
	d        *demoRun
	out      io.Writer
	loc      *time.Location
	commands []string // the manifest's slash commands
	user     string   // the sample user typing (a name: "lea")
	cursor   int      // transcript lines printed so far
}

// do plays one typed line.
func (p *demoPrompt) do(ctx context.Context, line string) error {
	if line == "" {
		return nil
	}
	if line == "help" {
		fmt.Fprintf(p.out, demoPromptHelp, strings.Join(demoNamesList(), ", "))
		return nil
	}
	user := p.user
	if rest, ok := strings.CutPrefix(line, "as "); ok {
		name, command, _ := strings.Cut(strings.TrimSpace(rest), " ")
		name = strings.TrimPrefix(name, "@")
		if demoPerson(name) == "" {
			fmt.Fprintf(p.out, "There is no %q in the sample team: %s.\n", name, strings.Join(demoNamesList(), ", "))
			return nil
		}
		if command = strings.TrimSpace(command); command == "" {
			p.user = name
			fmt.Fprintf(p.out, "You now type as @%s.\n", name)
			return nil
		}
		user, line = name, command
	}
	if !strings.HasPrefix(line, "/") {
		fmt.Fprintf(p.out, "%q is not something to type here: a /command, as NAME, help or quit (help tells more).\n", line)
		return nil
	}
	command, text, _ := strings.Cut(line, " ")
	if !slices.Contains(p.commands, command) {
		fmt.Fprintf(p.out, "%s is not a command of the app; it has %s.\n", command, strings.Join(p.commands, ", "))
		return nil
	}
	return p.run(ctx, user, command, demoMentions(strings.TrimSpace(text)))
}

// run sends the command as user and prints what follows once the bot has
// acked it and answered (a message or a form).
func (p *demoPrompt) run(ctx context.Context, user, command, text string) error {
	id := demoPerson(user)
	inv, err := p.d.srv.SlashCommand(id, sample.SalesChannel, command, text)
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, demoAnswerWait)
	defer cancel()
	if _, err := inv.WaitAck(wctx); err != nil {
		p.flush()
		fmt.Fprintf(p.out, "The bot did not take %s: %v.\n", command, err)
		return nil
	}
	r, err := inv.NextResponse(wctx)
	if err != nil {
		p.flush()
		fmt.Fprintf(p.out, "The bot did not answer %s %s: %v.\n", command, text, err)
		return nil
	}
	if r.Kind == slacktest.ResponseViewOpened {
		p.flush()
		fmt.Fprintln(p.out, "(A form: this prompt cannot fill it in, so it is closed.)")
		closed, err := p.d.srv.CloseView(id, r.ViewID)
		if err != nil {
			return err
		}
		if closed != nil {
			if _, err := closed.WaitAck(wctx); err != nil {
				return err
			}
		}
	}
	p.flush()
	return nil
}

// flush prints the transcript lines not printed yet, people by name.
func (p *demoPrompt) flush() {
	lines := p.d.srv.Transcript()
	names := demoUserNames(p.d.srv)
	for _, l := range acksInPlace(lines[p.cursor:]) {
		fmt.Fprintln(p.out, demoNames(l.Text, names))
	}
	p.cursor = len(lines)
}

// demoUserNames maps the local Slack's user ids to names.
func demoUserNames(srv *slacktest.Server) map[string]string {
	names := map[string]string{}
	for _, u := range srv.State().Users {
		names[u.ID] = u.Name
	}
	return names
}

// demoPerson returns the id of the sample person named name, or "".
func demoPerson(name string) string {
	for _, p := range sample.People {
		if p.Name == name {
			return string(p.ID)
		}
	}
	return ""
}

func demoNamesList() []string {
	var names []string
	for _, p := range sample.People {
		names = append(names, p.Name)
	}
	return names
}

// demoAt is a person written as @name at the prompt.
var demoAt = regexp.MustCompile(`(^|\s)@([a-z]+)\b`)

// demoMentions writes @name as a person picked from Slack's autocomplete
// (<@U…>), as slacktest expects what the composer makes of it.
func demoMentions(text string) string {
	return demoAt.ReplaceAllStringFunc(text, func(m string) string {
		g := demoAt.FindStringSubmatch(m)
		if id := demoPerson(g[2]); id != "" {
			return g[1] + "<@" + id + ">"
		}
		return m
	})
}
