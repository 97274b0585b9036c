package bot_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// storeBuilders are the packages of bot/ that may import the store although
// they are not tests, each with why: none of bot's own code imports them.
var storeBuilders = map[string]string{
	"sample/large": "builds bbolt files of 1k-1M deals for BenchmarkLarge and cmd/dealbench; imported by tests only",
}

// TestBotImportsNeitherSlackNorTheStore keeps bot/ a layer a second
// transport can move into, as TestDomainImportsOnlyPureGo keeps domain/:
// no file of bot/ outside bot/slack (bot/teams and every other package
// below bot/ included) imports slack-go, tests included, so the bot/
// suite runs without Slack; and no file but a test imports the store or
// bbolt: bot reaches storage through the interfaces of store.go only.
// Tests may open a real store (the house rule is real bbolt files, never
// a mock); the packages in storeBuilders are the only other exceptions.
func TestBotImportsNeitherSlackNorTheStore(t *testing.T) {
	const store = "github.com/dealpilot/dealpilot/store"
	fset := token.NewFileSet()
	read := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == "slack" || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		read++
		test := strings.HasSuffix(path, "_test.go")
		builder := storeBuilders[filepath.ToSlash(filepath.Dir(path))] != ""
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			switch {
			case strings.HasPrefix(p, "github.com/slack-go/"):
				t.Errorf("%s imports %s: only bot/slack speaks Slack", path, p)
			case (p == store || strings.HasPrefix(p, store+"/") || strings.HasPrefix(p, "go.etcd.io/bbolt")) && !test && !builder:
				t.Errorf("%s imports %s: bot reaches storage through the interfaces of bot/store.go", path, p)
			case strings.HasPrefix(p, "github.com/dealpilot/dealpilot/bot/sample/large") && !test:
				t.Errorf("%s imports %s: the file builder is for tests and cmd/dealbench only", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if read < 100 {
		t.Fatalf("read %d files: the walk missed bot/", read)
	}
}
