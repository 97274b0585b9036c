package teams

import (
	"fmt"
	"testing"

	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

// TestWithoutTheSharedFolderOnlyValidationIsSkipped plays a CI without
// ../shared/teams: the schema is nil (cards not validated) and the tests
// that need a local Teams still run, end to end, instead of skipping.
func TestWithoutTheSharedFolderOnlyValidationIsSkipped(t *testing.T) {
	saved, savedFind := schemaOnce, findSharedDir
	t.Cleanup(func() { schemaOnce, findSharedDir = saved, savedFind })
	schemaOnce = &loadedSchema{}
	findSharedDir = func() (string, error) {
		return "", fmt.Errorf("no shared/teams here: %w", teamstest.ErrNoSchema)
	}

	ran := false
	ok := t.Run("e2e", func(t *testing.T) {
		if s := cardSchema(t); s != nil {
			t.Fatal("a schema without the shared folder")
		}
		e := newE2E(t)
		conv := e.srv.PersonalConversation(e.lea.ID)
		e.deliver(e.srv.Message(e.lea, conv, "deal show D-1"))
		wantIn(t, "deal show", e.last(conv), "D-1 · Acme renewal")
		ran = true
	})
	if !ok || !ran {
		t.Fatal("the end-to-end test did not run to its end without the shared folder")
	}
}
