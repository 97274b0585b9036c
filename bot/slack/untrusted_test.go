package slack

import (
	"net/url"
	"testing"
	"time"

	"github.com/rs/zerolog"
	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot/seal"
)

func testApp(t *testing.T, apiURL string) *App {
	t.Helper()
	s, err := seal.New(make([]byte, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(apiURL)
	if err != nil {
		t.Fatal(err)
	}
	return &App{seal: s, apiBase: u, log: zerolog.Nop()}
}

func TestReplyAllowed(t *testing.T) {
	tests := []struct {
		name, api, reply string
		want             bool
	}{
		{"Hooks", DefaultAPIURL, "https://hooks.slack.com/commands/T0/1/abc", true},
		{"APIHost", DefaultAPIURL, "https://slack.com/actions/T0/1/abc", true},
		{"GovSlackHooks", "https://slack-gov.com/api/", "https://hooks.slack-gov.com/commands/T0/1/abc", true},
		{"LocalServer", "http://127.0.0.1:5555/api/", "http://127.0.0.1:5555/response/abc", true},
		{"LocalOtherPort", "http://127.0.0.1:5555/api/", "http://127.0.0.1:6666/response/abc", false},
		{"PlainHTTP", DefaultAPIURL, "http://hooks.slack.com/commands/T0/1/abc", false},
		{"LookalikeSuffix", DefaultAPIURL, "https://hooks.slack.com.evil.example/x", false},
		{"LookalikePrefix", DefaultAPIURL, "https://evilslack.com/x", false},
		{"OtherSubdomain", DefaultAPIURL, "https://files.slack.com/x", false},
		{"HostInPath", DefaultAPIURL, "https://evil.example/hooks.slack.com/x", false},
		{"Credentials", DefaultAPIURL, "https://user:pw@hooks.slack.com/x", false},
		{"OtherPort", DefaultAPIURL, "https://hooks.slack.com:8443/x", false},
		{"Loopback", DefaultAPIURL, "http://127.0.0.1:9/x", false},
		{"Relative", DefaultAPIURL, "/commands/T0/1/abc", false},
		{"Opaque", DefaultAPIURL, "https:hooks.slack.com/x", false},
		{"Empty", DefaultAPIURL, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testApp(t, tt.api).replyAllowed(tt.reply); got != tt.want {
				t.Errorf("replyAllowed(%q) with API %s = %v; want %v", tt.reply, tt.api, got, tt.want)
			}
		})
	}
}

func TestReplyBook(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	r := newReplyBook()
	h := r.keep("U1", "https://hooks.slack.com/commands/1", t0)
	if h == "" || r.keep("U1", "", t0) != "" {
		t.Fatal("keep: no handle for a URL, or one for nothing")
	}
	if h2 := r.keep("U1", "https://hooks.slack.com/commands/1", t0); h2 == h {
		t.Error("two forms share a handle")
	}
	tests := []struct {
		name, handle, user string
		at                 time.Time
		want               string
	}{
		{"Owner", h, "U1", t0.Add(time.Minute), "https://hooks.slack.com/commands/1"},
		{"OtherUser", h, "U2", t0, ""},
		{"UnknownHandle", "nope", "U1", t0, ""},
		{"NoHandle", "", "U1", t0, ""},
		{"Expired", h, "U1", t0.Add(replyLifetime + time.Second), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.url(tt.handle, tt.user, tt.at); got != tt.want {
				t.Errorf("url(%q, %q) = %q; want %q", tt.handle, tt.user, got, tt.want)
			}
		})
	}
}

// TestSealBlocks: every button's value is sealed for its action_id, in an
// actions block and as a section's accessory; the blocks given are not
// changed, and sealing twice seals once.
func TestSealBlocks(t *testing.T) {
	a := testApp(t, DefaultAPIURL)
	btn := func(id, v string) *goslack.ButtonBlockElement {
		return goslack.NewButtonBlockElement(id, v, goslack.NewTextBlockObject(goslack.PlainTextType, "x", false, false))
	}
	sec := goslack.NewSectionBlock(goslack.NewTextBlockObject(goslack.MarkdownType, "hi", false, false), nil,
		goslack.NewAccessory(btn("deal_history", "7")))
	acts := goslack.NewActionBlock("acts", btn("deal_update", "7"),
		goslack.NewDatePickerBlockElement("date"), btn("deal_next", "8"))
	plain := goslack.NewDividerBlock()
	in := []goslack.Block{sec, acts, plain}
	out := a.sealBlocks(in)
	if acts.Elements.ElementSet[0].(*goslack.ButtonBlockElement).Value != "7" || sec.Accessory.ButtonElement.Value != "7" {
		t.Fatal("sealBlocks changed the blocks it was given")
	}
	open := func(b *goslack.ButtonBlockElement) string {
		t.Helper()
		v, err := a.openButton(b.ActionID, b.Value)
		if err != nil {
			t.Fatalf("%s: %v", b.ActionID, err)
		}
		return v
	}
	els := out[1].(*goslack.ActionBlock).Elements.ElementSet
	if open(out[0].(*goslack.SectionBlock).Accessory.ButtonElement) != "7" || open(els[0].(*goslack.ButtonBlockElement)) != "7" ||
		open(els[2].(*goslack.ButtonBlockElement)) != "8" {
		t.Error("sealed values do not open to the originals")
	}
	if out[2] != plain || els[1] != acts.Elements.ElementSet[1] {
		t.Error("blocks and elements without buttons were copied")
	}
	again := a.sealBlocks(out)
	if again[1].(*goslack.ActionBlock).Elements.ElementSet[0].(*goslack.ButtonBlockElement).Value != els[0].(*goslack.ButtonBlockElement).Value {
		t.Error("sealing a sealed value sealed it again")
	}
	if _, err := a.openButton("deal_history", els[0].(*goslack.ButtonBlockElement).Value); err == nil {
		t.Error("a value sealed for deal_update opens for deal_history")
	}
}

// TestReplyBookFull: a full book forgets its oldest handle for a new one
// (never refuses the newest form), and drops what has expired first.
func TestReplyBookFull(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	r := newReplyBook()
	first := r.keep("U1", "https://hooks.slack.com/commands/first", t0)
	second := r.keep("U1", "https://hooks.slack.com/commands/second", t0)
	for i := 2; i < maxReplies; i++ {
		r.keep("U1", "https://hooks.slack.com/commands/n", t0.Add(time.Second))
	}
	at := t0.Add(time.Minute)
	last := r.keep("U2", "https://hooks.slack.com/commands/last", at)
	if last == "" || r.url(last, "U2", at) == "" {
		t.Fatal("a full book refused the newest form")
	}
	if r.url(first, "U1", at) != "" {
		t.Error("the oldest handle was kept past the bound")
	}
	if r.url(second, "U1", at) == "" {
		t.Error("more than the oldest was forgotten")
	}
	if len(r.m) != maxReplies {
		t.Errorf("book holds %d; want %d", len(r.m), maxReplies)
	}
	// Thirty minutes on, everything but the newest has expired: one keep
	// drops the expired ones from the front.
	later := t0.Add(replyLifetime + 2*time.Second)
	r.keep("U3", "https://hooks.slack.com/commands/later", later)
	if len(r.m) != 2 || len(r.order) != 2 {
		t.Errorf("after expiry the book holds %d (%d in order); want 2", len(r.m), len(r.order))
	}
}
