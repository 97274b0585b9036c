package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"go.etcd.io/bbolt"
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

// The marker is recorded before the first attempt and kept across a
// failure and a restart: a retry looks for the very message it may have
// posted. A record written before markers existed reads as having none.
func TestPostMarkerRecordedOnceAndKept(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "posts.db")
	db, err := Open(path, Options{Clock: newClock(0)})
	if err != nil {
		t.Fatal(err)
	}
	draws := 0
	draw := func() string { draws++; return "m" + string(rune('0'+draws)) }
	m1, err := db.PostMarker(ctx, "desk:3", draw)
	if err != nil || m1 != "m1" {
		t.Fatalf("first marker %q, %v", m1, err)
	}
	if _, err := db.PostFailed(ctx, "desk:3", "C0DESK", "U0REP1", "uncertain", "503"); err != nil {
		t.Fatal(err)
	}
	if m, _ := db.PostMarker(ctx, "desk:3", draw); m != "m1" || draws != 1 {
		t.Fatalf("second call drew %d markers, got %q", draws, m)
	}
	// An older record, without the field.
	if err := db.bolt.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketPosts).Put([]byte("win:9"), []byte(`{"v":1,"channel":"C0WINS","failed":true,"reason":"failed"}`))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(path, Options{Clock: newClock(0)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if p, err := db.Post(ctx, "desk:3"); err != nil || p.Marker != "m1" || !p.Failed {
		t.Fatalf("after reopen: %+v, %v", p, err)
	}
	if p, err := db.Post(ctx, "win:9"); err != nil || p.Marker != "" || !p.Failed {
		t.Fatalf("older record: %+v, %v", p, err)
	}
	if m, _ := db.PostMarker(ctx, "win:9", draw); m != "m2" {
		t.Fatalf("older record's marker %q", m)
	}
	if err := db.ForgetPost(ctx, "desk:3"); err != nil {
		t.Fatal(err)
	}
	if m, _ := db.PostMarker(ctx, "desk:3", draw); m != "m3" {
		t.Fatalf("a forgotten post kept its marker: %q", m)
	}
}
