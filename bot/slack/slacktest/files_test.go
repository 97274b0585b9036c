package slacktest

import (
	"net/url"
	"testing"

	"github.com/slack-go/slack"
)

// TestFilesInfo: files.info needs files:read, finds only completed files,
// and lists where a file is shared (public channels under shares.public,
// private ones under shares.private), as Slack does.
func TestFilesInfo(t *testing.T) {
	srv := newServer(t)
	srv.AddChannel(Channel{ID: "G0PRIV", Name: "private", IsPrivate: true, Members: []string{BotUserID, "U0ALICE"}})
	ctx := testCtx(t)
	api := apiClient(srv)

	up, err := api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: "x.csv", FileSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.UploadToURL(ctx, slack.UploadToURLParameters{UploadURL: up.UploadURL, Content: "a,b\n", Filename: "x.csv"}); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.GetFileInfoContext(ctx, up.FileID, 0, 0); err == nil || err.Error() != "file_not_found" {
		t.Fatalf("files.info before completion: %v", err)
	}
	if _, _, _, err := api.GetFileInfoContext(ctx, "F0NOPE", 0, 0); err == nil || err.Error() != "file_not_found" {
		t.Fatalf("files.info of an unknown file: %v", err)
	}
	if res, _ := rawCall(t, srv, "files.info", srv.BotToken(), nil); res["error"] != "invalid_arguments" {
		t.Fatalf("files.info without file: %v", res)
	}
	if _, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{
		Files: []slack.FileSummary{{ID: up.FileID, Title: "X"}}, Channels: []string{"C0SALES", "G0PRIV"}}); err != nil {
		t.Fatal(err)
	}
	f, _, _, err := api.GetFileInfoContext(ctx, up.FileID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	pub, priv := f.Shares.Public["C0SALES"], f.Shares.Private["G0PRIV"]
	if len(pub) != 1 || pub[0].Ts == "" || len(priv) != 1 || len(f.Shares.Public) != 1 || len(f.Shares.Private) != 1 {
		t.Fatalf("shares %+v", f.Shares)
	}
	if msgs := srv.Messages("C0SALES"); len(msgs) != 1 || msgs[0].TS != pub[0].Ts {
		t.Fatalf("the share's ts %q is not its message's: %+v", pub[0].Ts, msgs)
	}
	if f.Title != "X" || f.Size != 4 || len(f.Channels) != 1 || len(f.Groups) != 1 {
		t.Fatalf("file %+v", f)
	}

	// files:read is needed, and named.
	srv.SetScopes("chat:write", "files:write")
	res, _ := rawCall(t, srv, "files.info", srv.BotToken(), url.Values{"file": {up.FileID}})
	if res["error"] != "missing_scope" || res["needed"] != "files:read" {
		t.Fatalf("files.info without files:read: %v", res)
	}
}
