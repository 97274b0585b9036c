package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad checks that no file makes Load panic, and that what it accepts is
// complete: every key has a value.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(base))
	f.Add([]byte(Example()))
	f.Add([]byte(""))
	f.Add([]byte("teams:\n  - name: X\n    manager: U0M\n    members: [U0R]\n    channel: C0C\n"))
	f.Add([]byte("a: &x [1]\nb: *x\n"))
	f.Add([]byte("schedules: { digest: \"TZ=Europe/Paris\" }\n"))
	f.Add([]byte("deal_desk: { bands: [{ up_to: 100, approvals: [manager, manager] }] }\n"))
	f.Add([]byte("stages: [{ name: A, probability: 10, category: commit, requires: [need] }, { name: a, probability: 1, category: x }]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "dealpilot.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(path, true, testIDs)
		if err != nil {
			return
		}
		if cfg.Location == nil || len(cfg.Stages) == 0 || len(cfg.DealDesk.Bands) == 0 || len(cfg.LossReasons) == 0 {
			t.Fatalf("accepted an incomplete config: %+v", cfg)
		}
		if b, ok := cfg.Band(100); !ok || b.UpTo != 100 {
			t.Fatalf("no band covers 100%%: %+v", cfg.DealDesk.Bands)
		}
		if err := cfg.Stages.Validate(); err != nil {
			t.Fatalf("accepted invalid stages: %v", err)
		}
	})
}
