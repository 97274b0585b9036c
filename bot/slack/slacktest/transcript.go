package slacktest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Line kinds.
const (
	LineUser   = "user"   // a user action (typed, clicked, submitted…)
	LineBot    = "bot"    // something the app showed or did
	LineSystem = "system" // Slack-side events (failed delivery…)
)

// Line is one transcript entry. Text is human readable and may span
// several lines (rendered Block Kit is indented by four spaces).
type Line struct {
	At      time.Time
	Kind    string
	Actor   string // "@alice", the bot name or "slack"
	Channel string
	Text    string
	// Invocation is the id of the user's action the line belongs to: the
	// line of the action itself (a slash command, a click, a submission, a
	// message, a shortcut) or, with Ack, what the app's ack of it showed
	// (an ephemeral answer, a modal closed, updated or refused). The ack
	// travels on the socket and the app's later calls over HTTP, so an
	// ack's lines may follow lines the app sent after it; a reader that
	// wants the ack beside its action (the demo) finds it by this id.
	Invocation string
	Ack        bool

	// render, when set, produces Text: a message's Block Kit is rendered as
	// text only when someone reads the transcript, so the server's cost per
	// message (what Slack's servers pay, not the app) stays small under load.
	render func() string
}

// rendered returns l with its Text produced.
func (l Line) rendered() Line {
	if l.render != nil {
		l.Text = l.render()
		l.render = nil
	}
	return l
}

// renderTranscriptLocked produces the Text of the lines not rendered yet,
// once, in place.
func (s *Server) renderTranscriptLocked() {
	t := s.st.Transcript
	for i := s.rendered; i < len(t); i++ {
		t[i] = t[i].rendered()
	}
	s.rendered = len(t)
}

// String returns the readable text.
func (l Line) String() string { return l.Text }

// Transcript returns the conversation so far.
func (s *Server) Transcript() []Line {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.renderTranscriptLocked()
	return append([]Line(nil), s.st.Transcript...)
}

// TranscriptText returns the conversation so far as text, one entry per line.
func (s *Server) TranscriptText() string {
	var b strings.Builder
	for _, l := range s.Transcript() {
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

func (s *Server) emitLocked(l Line) {
	if l.At.IsZero() {
		l.At = s.now()
	}
	if s.acking != "" {
		l.Invocation, l.Ack = s.acking, true
	}
	s.st.Transcript = append(s.st.Transcript, l)
	if s.cfg.observer != nil {
		s.obsQueue = append(s.obsQueue, l)
		select {
		case s.obsWake <- struct{}{}:
		default:
		}
	}
}

// runObserver delivers transcript lines to the observer, in order, outside the lock.
func (s *Server) runObserver() {
	defer close(s.obsDone)
	for {
		s.mu.Lock()
		q := s.obsQueue
		s.obsQueue = nil
		closed := s.closed
		s.mu.Unlock()
		for _, l := range q {
			s.cfg.observer(l.rendered())
		}
		if closed && len(q) == 0 {
			return
		}
		select {
		case <-s.obsWake:
		case <-s.closeCh:
		}
	}
}

func indent(text string) string {
	return "    " + strings.ReplaceAll(text, "\n", "\n    ")
}

// withBody joins a header and a rendered body: inline when the body is one line.
func withBody(head, body string) string {
	if body == "" {
		return head
	}
	if !strings.Contains(body, "\n") {
		return head + " " + body
	}
	return head + "\n" + indent(body)
}

func (s *Server) emitMessageLocked(m Message, verb string) {
	where := s.channelNameLocked(m.Channel)
	if m.ThreadTS != "" {
		where += " (thread)"
	}
	var head string
	switch {
	case verb != "":
		head = fmt.Sprintf("%s %s its message in %s:", BotName, verb, where)
	case m.EphemeralTo != "":
		head = fmt.Sprintf("%s → %s (only visible to them) in %s:", BotName, s.userNameLocked(m.EphemeralTo), where)
	default:
		head = fmt.Sprintf("%s in %s:", BotName, where)
	}
	var files string
	if len(m.Files) > 0 {
		var names []string
		for _, id := range m.Files {
			names = append(names, s.st.Files[id].Title)
		}
		files = "\n[file: " + strings.Join(names, ", ") + "]"
	}
	s.emitLocked(Line{Kind: LineBot, Actor: BotName, Channel: m.Channel, render: func() string {
		body := m.Render()
		if files != "" {
			body = strings.TrimSpace(body + files)
		}
		return withBody(head, body)
	}})
}

func (s *Server) emitViewLocked(v View, verb string) {
	var head string
	if v.Type == "home" {
		head = fmt.Sprintf("%s %s the Home tab of %s:", BotName, verb, s.userNameLocked(v.User))
	} else {
		head = fmt.Sprintf("%s %s modal %q for %s:", BotName, verb, v.Title, s.userNameLocked(v.User))
	}
	s.emitLocked(Line{Kind: LineBot, Actor: BotName, Text: head + "\n" + indent(v.Render())})
}

func (s *Server) describeActionLocked(user string, el, sv map[string]any, msg *Message, v View) string {
	where := ""
	switch {
	case msg != nil:
		where = "in " + s.channelNameLocked(msg.Channel)
	case v.Type == "home":
		where = "in the Home tab"
	default:
		where = fmt.Sprintf("in modal %q", v.Title)
	}
	who := s.userNameLocked(user)
	if str(el, "type") == "button" {
		return fmt.Sprintf("%s clicked [%s] %s", who, str(obj(el["text"]), "text"), where)
	}
	return fmt.Sprintf("%s set %s to %s %s", who, str(el, "action_id"), describeState(sv), where)
}

// describeState renders a state value readably.
func describeState(sv map[string]any) string {
	for k, x := range sv {
		if k == "type" {
			continue
		}
		switch y := x.(type) {
		case nil:
			return "(empty)"
		case string:
			return fmt.Sprintf("%q", y)
		case map[string]any:
			return fmt.Sprintf("%q", str(obj(y["text"]), "text"))
		case []any:
			var parts []string
			for _, e := range y {
				if m := obj(e); m != nil {
					parts = append(parts, str(obj(m["text"]), "text"))
				} else {
					parts = append(parts, fmt.Sprint(e))
				}
			}
			return "[" + strings.Join(parts, ", ") + "]"
		}
	}
	return ""
}

// renderMessage renders blocks when present, else the text.
func renderMessage(text string, blocks json.RawMessage) string {
	if len(blocks) > 0 && string(blocks) != "null" {
		if r := RenderBlocks(blocks); r != "" {
			return r
		}
	}
	return shownMrkdwn(text) // a message's text is mrkdwn
}

func renderView(v View) string {
	var b strings.Builder
	if v.Type == "modal" {
		fmt.Fprintf(&b, "┌ %s\n", v.Title)
	}
	if body := RenderBlocks(v.Blocks); body != "" {
		b.WriteString(body)
		b.WriteByte('\n')
	}
	if v.Type == "modal" {
		var btns []string
		if v.Close != "" {
			btns = append(btns, "["+v.Close+"]")
		}
		if v.Submit != "" {
			btns = append(btns, "["+v.Submit+"]")
		}
		b.WriteString("└ " + strings.Join(btns, " "))
	}
	return strings.TrimRight(b.String(), "\n")
}

// textOf is a text object's text; mrkdwn as shownMrkdwn shows it.
func textOf(v any) string {
	m := obj(v)
	if str(m, "type") == "mrkdwn" {
		return shownMrkdwn(str(m, "text"))
	}
	return str(m, "text")
}

// RenderBlocks renders Block Kit blocks as readable plain text: headers as
// "# Title", sections as their text with fields and accessory, context in
// parentheses, tables a row a line between bars, buttons as [Label], selects as [Placeholder ▾], inputs as
// "Label: ____" (or their initial value), dividers as "---".
func RenderBlocks(blocks json.RawMessage) string {
	val, err := decodeJSON(blocks)
	if err != nil {
		return ""
	}
	var lines []string
	for _, b := range arr(val) {
		bm := obj(b)
		switch str(bm, "type") {
		case "header":
			lines = append(lines, "# "+textOf(bm["text"]))
		case "section":
			var parts []string
			if t := textOf(bm["text"]); t != "" {
				parts = append(parts, t)
			}
			for _, f := range arr(bm["fields"]) {
				parts = append(parts, "  • "+strings.ReplaceAll(textOf(f), "\n", " "))
			}
			s := strings.Join(parts, "\n")
			if acc := obj(bm["accessory"]); acc != nil {
				if r := renderElement(acc); r != "" {
					s += "  " + r
				}
			}
			lines = append(lines, s)
		case "divider":
			lines = append(lines, "---")
		case "context":
			var parts []string
			for _, e := range arr(bm["elements"]) {
				if str(obj(e), "type") == "image" {
					parts = append(parts, "[image: "+str(obj(e), "alt_text")+"]")
				} else {
					parts = append(parts, textOf(e))
				}
			}
			lines = append(lines, "("+strings.Join(parts, " · ")+")")
		case "actions":
			var parts []string
			for _, e := range arr(bm["elements"]) {
				parts = append(parts, renderElement(obj(e)))
			}
			lines = append(lines, strings.Join(parts, " "))
		case "input":
			label := textOf(bm["label"])
			if opt, _ := bm["optional"].(bool); opt {
				label += " (optional)"
			}
			lines = append(lines, label+": "+renderInput(obj(bm["element"])))
		case "image":
			lines = append(lines, "[image: "+str(bm, "alt_text")+"]")
		case "markdown":
			lines = append(lines, str(bm, "text")) // Markdown, where < is a character
		case "rich_text":
			lines = append(lines, renderRichText(bm))
		case "table":
			lines = append(lines, renderTable(bm))
		default:
			lines = append(lines, "["+str(bm, "type")+"]")
		}
	}
	return strings.Join(lines, "\n")
}

// renderTable renders a table block a row a line: "| cell | cell |",
// mentions as <@U…>.
func renderTable(b map[string]any) string {
	var rows []string
	for _, r := range arr(b["rows"]) {
		var cells []string
		for _, c := range arr(r) {
			cm := obj(c)
			if str(cm, "type") == "rich_text" {
				cells = append(cells, renderRichText(cm))
			} else {
				cells = append(cells, str(cm, "text"))
			}
		}
		rows = append(rows, "| "+strings.Join(cells, " | ")+" |")
	}
	return strings.Join(rows, "\n")
}

func renderElement(e map[string]any) string {
	switch t := str(e, "type"); t {
	case "button":
		return "[" + textOf(e["text"]) + "]"
	case "overflow":
		return "[…]"
	case "image":
		return "[image: " + str(e, "alt_text") + "]"
	case "checkboxes", "radio_buttons":
		var parts []string
		for _, o := range arr(e["options"]) {
			parts = append(parts, "( ) "+textOf(obj(o)["text"]))
		}
		return strings.Join(parts, " ")
	default:
		label := textOf(e["placeholder"])
		if io := obj(e["initial_option"]); io != nil {
			label = textOf(io["text"])
		}
		if d := str(e, "initial_date"); d != "" {
			label = d
		}
		if label == "" {
			label = strings.ReplaceAll(t, "_", " ")
		}
		return "[" + label + " ▾]"
	}
}

func renderInput(e map[string]any) string {
	switch str(e, "type") {
	case "plain_text_input", "email_text_input", "url_text_input", "number_input":
		if v := str(e, "initial_value"); v != "" {
			return v
		}
		return "____"
	case "datepicker":
		if d := str(e, "initial_date"); d != "" {
			return d
		}
		return "____-__-__"
	}
	return renderElement(e)
}

func renderRichText(b map[string]any) string {
	var sb strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			switch str(x, "type") {
			case "text":
				sb.WriteString(str(x, "text"))
			case "link":
				if t := str(x, "text"); t != "" {
					sb.WriteString(t)
				} else {
					sb.WriteString(str(x, "url"))
				}
			case "user":
				sb.WriteString("<@" + str(x, "user_id") + ">")
			case "emoji":
				sb.WriteString(":" + str(x, "name") + ":")
			}
			walk(x["elements"])
		}
	}
	walk(b["elements"])
	return sb.String()
}
