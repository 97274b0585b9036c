package bot_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// slackMarkup is Slack's mention syntax: users <@U…>, channels <#C…>,
// broadcasts and groups <!here>, <!subteam^…>.
var slackMarkup = regexp.MustCompile(`<[@#!]`)

// TestNoSlackMentionSyntax fails when Slack's mention syntax appears in a
// source file of bot/ (outside bot/slack), domain/ or the catalogue, code
// or comment: a mention there is a value (domain.UserID, bot.Mention,
// desk.Users, bot.ChannelRef) that a transport renders, and what users
// type reaches bot/ as words with the users handed over by id
// (Caller.Mentions). Tests are not read: they may feed the markup a user
// could type to check it is not obeyed.
func TestNoSlackMentionSyntax(t *testing.T) {
	roots := []string{".", "../domain", "../i18n"}
	read := 0
	for _, root := range roots {
		if _, err := os.Stat(root); os.IsNotExist(err) {
			continue // the catalogue's home before or after its move
		}
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path == "slack" || d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			read++
			for i, line := range strings.Split(string(b), "\n") {
				if slackMarkup.MatchString(line) {
					t.Errorf("%s:%d: Slack mention syntax outside bot/slack: %s", path, i+1, strings.TrimSpace(line))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if read < 50 {
		t.Fatalf("read %d files: the walk missed bot/ or domain/", read)
	}
}
