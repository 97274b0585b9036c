package crm_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCRMImportsOnlyDomain keeps crm pure: of dealpilot's packages it imports
// only domain and i18n (the catalogue its problems name, itself importing
// only domain), and no database or chat platform library, so export and import
// (and later the bot's file upload) share it without dragging either along.
func TestCRMImportsOnlyDomain(t *testing.T) {
	const ours = "github.com/dealpilot/dealpilot/"
	forbidden := []string{"github.com/slack-go/", "go.etcd.io/bbolt", "github.com/rs/zerolog"}
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
					t.Errorf("%s imports %s: crm stays free of storage and platforms", path, p)
				}
			}
			if strings.HasPrefix(p, ours) && p != ours+"domain" && p != ours+"i18n" && p != ours+"crm" {
				t.Errorf("%s imports %s: crm imports only domain and i18n of ours", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
