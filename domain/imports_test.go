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
// it) imports a dependency that belongs to another layer.
func TestDomainImportsOnlyPureGo(t *testing.T) {
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
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
