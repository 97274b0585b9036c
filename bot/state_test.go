package bot_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// readOnlyVars are package variables that are tables nobody writes, named
// with why (a slice cannot be a constant).
var readOnlyVars = map[string]string{
	"slack.phoneColumns": "the columns a phone shows of a forecast table; only read",
}

// TestNoPackageState: bot and bot/slack keep no mutable state in package
// variables (a second Bot or App in the same process, a test's restart,
// would share it): state lives in Bot or App. A package variable is only
// a compiled regexp, a sentinel error, a replacer, an encoding, a colour,
// an interface assertion (_), or a table listed in readOnlyVars.
func TestNoPackageState(t *testing.T) {
	for _, dir := range []string{".", "slack"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range file.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				for _, spec := range g.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, name := range vs.Names {
						var value ast.Expr
						if i < len(vs.Values) {
							value = vs.Values[i]
						}
						key := file.Name.Name + "." + name.Name
						if name.Name == "_" || readOnlyVars[key] != "" || immutable(value) {
							continue
						}
						t.Errorf("%s: package variable %s holds state: make it a field of Bot or App (or a constant)", fset.Position(name.Pos()), key)
					}
				}
			}
		}
	}
}

// immutable reports whether a package variable's value is one nobody
// changes once built.
func immutable(v ast.Expr) bool {
	switch v := v.(type) {
	case *ast.CallExpr:
		switch fn := v.Fun.(type) {
		case *ast.SelectorExpr:
			if pkg, ok := fn.X.(*ast.Ident); ok {
				switch pkg.Name + "." + fn.Sel.Name {
				case "regexp.MustCompile", "errors.New", "strings.NewReplacer":
					return true
				}
			}
			// base32.StdEncoding.WithPadding(…): an encoding.
			return fn.Sel.Name == "WithPadding"
		}
	case *ast.CompositeLit:
		if sel, ok := v.Type.(*ast.SelectorExpr); ok {
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "color" {
				return true
			}
		}
	}
	return false
}
