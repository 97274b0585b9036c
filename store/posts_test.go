package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
)

func TestPostStateSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "posts.db")
	db, err := Open(path, Options{Clock: newClock(0)})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PostedPart(ctx, "digest:EMEA:2026-W48", "C0FC", 0, "1.000001"); err != nil {
		t.Fatal(err)
	}
	p, err := db.PostFailed(ctx, "digest:EMEA:2026-W48", "C0FC", "", "failed", "part 2: internal_error")
	if err != nil || p.Attempts != 1 || p.Told {
		t.Fatalf("PostFailed: %+v, %v", p, err)
	}
	if _, err := db.PostFailed(ctx, "desk:7", "C0DESK", "U0REP1", "not_in_channel", "not_in_channel"); err != nil {
		t.Fatal(err)
	}
	if err := db.PostTold(ctx, "desk:7"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(path, Options{Clock: newClock(0)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Post(ctx, "digest:EMEA:2026-W48")
	if err != nil || !slices.Equal(got.Parts, []string{"1.000001"}) || !got.Failed || got.Cause != "part 2: internal_error" {
		t.Fatalf("digest after reopen: %+v, %v", got, err)
	}
	failed, err := db.FailedPosts(ctx, "C0DESK")
	if err != nil || len(failed) != 1 || failed[0].Key != "desk:7" || failed[0].Actor != "U0REP1" || !failed[0].Told {
		t.Fatalf("failed in C0DESK: %+v, %v", failed, err)
	}
	// The same failure again stays told; another reason is news.
	if p, _ := db.PostFailed(ctx, "desk:7", "C0DESK", "", "not_in_channel", "not_in_channel"); !p.Told || p.Attempts != 2 || p.Actor != "U0REP1" {
		t.Fatalf("repeated failure: %+v", p)
	}
	if p, _ := db.PostFailed(ctx, "desk:7", "C0DESK", "", "is_archived", "is_archived"); p.Told {
		t.Fatalf("a new reason was already told: %+v", p)
	}
	if err := db.PostDone(ctx, "desk:7"); err != nil {
		t.Fatal(err)
	}
	if failed, _ := db.FailedPosts(ctx, ""); len(failed) != 1 || failed[0].Key != "digest:EMEA:2026-W48" {
		t.Fatalf("after PostDone: %+v", failed)
	}
	if err := db.ForgetPost(ctx, "digest:EMEA:2026-W48"); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.Post(ctx, "digest:EMEA:2026-W48"); p.Failed || len(p.Parts) != 0 {
		t.Fatalf("after ForgetPost: %+v", p)
	}
}
