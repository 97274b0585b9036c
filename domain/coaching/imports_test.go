package coaching_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsOnlyStdlibAndDomain keeps coaching pure: the standard library
// and domain, nothing else; its tests may also read messages with i18n.
func TestImportsOnlyStdlibAndDomain(t *testing.T) {
	allowed := map[string]bool{
		"github.com/dealpilot/dealpilot/domain":          true,
		"github.com/dealpilot/dealpilot/domain/coaching": true, // the external tests
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(p, "/")
			if p == "github.com/dealpilot/dealpilot/i18n" && strings.HasSuffix(name, "_test.go") {
				continue
			}
			if !allowed[p] && strings.Contains(first, ".") {
				t.Errorf("%s imports %s: coaching may import only the standard library and domain", name, p)
			}
		}
	}
}
