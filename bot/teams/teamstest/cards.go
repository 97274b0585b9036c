package teamstest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// CardSchemaFile is the Adaptive Cards 1.5 schema's file name in the shared
// reference folder (../shared/teams/ beside the repository). The schema is
// read from there, never copied into the project.
const CardSchemaFile = "adaptive-card-1.5.schema.json"

const cardSchemaURL = "http://adaptivecards.io/schemas/adaptive-card.json"

// CardSchema validates Adaptive Cards against the 1.5 schema, plus what
// the schema leaves to prose: a top-level card is of type AdaptiveCard and
// has a version Teams renders (1.0 to 1.5).
type CardSchema struct {
	schema *jsonschema.Schema
}

// ErrNoSchema is returned (wrapped) when the schema file is absent, so a
// test can skip with a message.
var ErrNoSchema = errors.New("schema file absent")

// LoadCardSchema reads adaptive-card-1.5.schema.json from dir.
func LoadCardSchema(dir string) (*CardSchema, error) {
	path := filepath.Join(dir, CardSchemaFile)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrNoSchema)
		}
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(ECMARegexp)
	if err := c.AddResource(cardSchemaURL, doc); err != nil {
		return nil, err
	}
	sch, err := c.Compile(cardSchemaURL)
	if err != nil {
		return nil, fmt.Errorf("compiling %s: %w", path, err)
	}
	return &CardSchema{schema: sch}, nil
}

// Validate checks one card (its JSON).
func (c *CardSchema) Validate(card []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(card))
	if err != nil {
		return fmt.Errorf("card is not JSON: %w", err)
	}
	var head struct {
		Type    string `json:"type"`
		Version string `json:"version"`
	}
	if err := json.Unmarshal(card, &head); err != nil {
		return fmt.Errorf("card is not a JSON object: %w", err)
	}
	if head.Type != "AdaptiveCard" {
		return fmt.Errorf("card type is %q, want AdaptiveCard", head.Type)
	}
	switch head.Version {
	case "1.0", "1.1", "1.2", "1.3", "1.4", "1.5":
	case "":
		return fmt.Errorf("card has no version (required on a top-level card)")
	default:
		return fmt.Errorf("card version %q: Teams renders Adaptive Cards up to 1.5", head.Version)
	}
	if err := c.schema.Validate(inst); err != nil {
		return fmt.Errorf("card does not match Adaptive Cards 1.5: %w", err)
	}
	return nil
}

// FindSharedDir finds the shared reference folder with the Teams schemas:
// shared/teams in the nearest directory, from the working directory up,
// that has one (the repository's parent in CI, where shared/ is laid
// beside the clone). It wraps ErrNoSchema when there is none.
func FindSharedDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		cand := filepath.Join(dir, "shared", "teams")
		if _, err := os.Stat(filepath.Join(cand, CardSchemaFile)); err == nil {
			return cand, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no shared/teams/%s above the working directory: %w", CardSchemaFile, ErrNoSchema)
		}
		dir = parent
	}
}

// ECMARegexp compiles a schema pattern as JSON Schema means it (ECMA 262):
// Microsoft's schemas use lookaheads that Go's regexp cannot compile. Give
// it to jsonschema.Compiler.UseRegexpEngine.
func ECMARegexp(s string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(s, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return ecmaRegexp{re}, nil
}

type ecmaRegexp struct{ re *regexp2.Regexp }

func (r ecmaRegexp) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return err == nil && ok
}

func (r ecmaRegexp) String() string { return r.re.String() }
