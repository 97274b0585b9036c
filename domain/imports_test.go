package domain_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDomainImportsOnlyPureGo fails when a file of domain (or a package below
// it) imports a dependency that belongs to another layer. Of dealpilot's own
// packages, domain imports only domain's: its rules hand messages over as a
// catalogue key and values, which the i18n package writes. Only tests may
// import i18n too, to read an error as a user does.
func TestDomainImportsOnlyPureGo(t *testing.T) {
	const ours, rules, messages = "github.com/dealpilot/dealpilot/", "github.com/dealpilot/dealpilot/domain", "github.com/dealpilot/dealpilot/i18n"
	forbidden := []string{
		"github.com/slack-go/", "go.etcd.io/bbolt", "github.com/rs/zerolog",
		"github.com/olekukonko/tablewriter", "github.com/robfig/cron",
		"github.com/dealpilot/dealpilot/store", "github.com/dealpilot/dealpilot/bot",
	}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if strings.HasPrefix(p, bad) {
					t.Errorf("%s imports %s: domain must stay pure Go", path, p)
				}
			}
			test := strings.HasSuffix(path, "_test.go")
			if strings.HasPrefix(p, ours) && p != rules && !strings.HasPrefix(p, rules+"/") && !(test && p == messages) {
				t.Errorf("%s imports %s: domain imports only domain's packages", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
