package slack_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// TestUploadsManualDigestFilesFailAreToldAndFollow: a digest posted by
// hand whose chart and CSV are refused (no files:write) tells the manager
// once that the digest is posted and its files will follow, never
// "Something went wrong"; asking again posts no second digest; once the
// scope is granted the files follow, once each, and the 08:00 tick adds
// nothing.
func TestUploadsManualDigestFilesFailAreToldAndFollow(t *testing.T) {
	h := newHarness(t)
	h.seedForecast()
	granted := h.srv.Scopes()
	h.srv.SetScopes(slices.DeleteFunc(slices.Clone(granted), func(s string) bool { return s == "files:write" })...)
	h.clock.Set(monday0759)
	inv := h.slash(sample.Manager, "/forecast", "digest")
	wantContains(t, h.answer(inv), "Posting the France digest")
	h.waitDigest(1)
	h.waitDM(sample.Manager, "The digest is posted in <#"+sample.ForecastChannel+">, but I couldn't attach its chart and CSV: the app lacks the files:write permission.")

	// Asked again, as a vaguer message would have invited: the files are
	// tried again, the digest is not posted twice.
	again := h.slash(sample.Manager, "/forecast", "digest")
	wantContains(t, h.answer(again), "Posting the France digest")
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
		n := 0
		for _, c := range st.Calls {
			if c.Method == "files.getUploadURLExternal" {
				n++
			}
		}
		return n >= 4 // chart and CSV, twice
	}); err != nil {
		t.Fatalf("the second /forecast digest did not retry the files: %v", err)
	}
	h.tickAt(monday0800) // the schedule's tick: the digest is out, the files recorded as failing
	if n := len(h.digests()); n != 1 {
		t.Errorf("%d digests, want 1", n)
	}
	// Only an admin can fix it: no retry, no error, every minute.
	calls := len(h.srv.Calls("files.getUploadURLExternal"))
	h.tickAt(monday0800.Add(time.Minute))
	h.tickAt(monday0800.Add(2 * time.Minute))
	if got := len(h.srv.Calls("files.getUploadURLExternal")); got != calls {
		t.Errorf("ticks retried files only an admin can unblock (%d → %d calls)", calls, got)
	}
	for _, r := range append(inv.Responses(), again.Responses()...) {
		if strings.Contains(r.Render(), "went wrong") {
			t.Errorf("the manager was also told %q", r.Render())
		}
	}
	var told []string
	for _, dm := range h.dmsTo(sample.Manager) {
		if strings.Contains(dm, "chart and CSV") {
			told = append(told, dm)
		}
	}
	if len(told) != 1 {
		t.Errorf("the manager was told %d times, want once: %q", len(told), told)
	}

	// The admin grants files:write: the hourly retry attaches them.
	h.srv.SetScopes(granted...)
	h.tickAt(monday0759.Add(time.Hour + time.Minute))
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return completedFiles(st) == 2 }); err != nil {
		t.Fatalf("the files did not follow once granted: %v", err)
	}
	h.tickAt(monday0759.Add(time.Hour + 2*time.Minute))
	if got := completedFiles(h.srv.State()); got != 2 {
		t.Errorf("%d files shared, want the chart and the CSV once each", got)
	}
	if n := len(h.digests()); n != 1 {
		t.Errorf("%d digests, want 1", n)
	}
	if got := h.failedPosts(""); len(got) != 0 {
		t.Errorf("failed posts left: %+v", got)
	}
}

// TestUploadsManualThenScheduledSharesFilesOnce: a digest posted by hand
// records its chart and CSV, so the 08:00 tick of the same week does not
// share them again.
func TestUploadsManualThenScheduledSharesFilesOnce(t *testing.T) {
	h := newHarness(t)
	h.seedForecast()
	h.clock.Set(monday0759)
	wantContains(t, h.answer(h.slash(sample.Manager, "/forecast", "digest")), "Posting the France digest")
	h.waitDigest(1)
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return completedFiles(st) == 2 }); err != nil {
		t.Fatalf("no chart and CSV: %v", err)
	}
	h.tickAt(monday0800)
	h.tickAt(monday0800.Add(time.Minute))
	if got := completedFiles(h.srv.State()); got != 2 {
		t.Errorf("%d files shared, want the chart and the CSV once each", got)
	}
	if n := len(h.digests()); n != 1 {
		t.Errorf("%d digests, want 1", n)
	}
}

// TestUploadsLostCompletionSharesOnce: Slack shares the chart, then its
// answer is a 503. The completion is not run again blindly: files.info
// shows the chart shared, so the channel gets the chart and the CSV, two
// files, not three.
func TestUploadsLostCompletionSharesOnce(t *testing.T) {
	h := newHarness(t)
	h.seedForecast()
	h.srv.FailAfter("files.completeUploadExternal", 1, http.StatusServiceUnavailable)
	h.tickAt(monday0800)
	h.waitDigest(1)
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return completedFiles(st) >= 2 }); err != nil {
		t.Fatalf("no chart and CSV: %v", err)
	}
	h.tickAt(monday0800.Add(time.Minute))
	var shared []string
	for _, f := range h.srv.Files() {
		if f.Completed {
			shared = append(shared, f.Name)
		}
	}
	if len(shared) != 2 {
		t.Errorf("shared %v, want the chart and the CSV once each", shared)
	}
	if n := len(h.srv.Calls("files.info")); n != 1 {
		t.Errorf("files.info called %d times, want once (after the lost answer)", n)
	}
	if got := h.failedPosts(""); len(got) != 0 {
		t.Errorf("failed posts left: %+v", got)
	}
}

// TestUploadsFailedCompletionCompletedAgain: a 503 where Slack did not
// share the file: files.info does not find it shared, so the upload is
// completed again, and shared once.
func TestUploadsFailedCompletionCompletedAgain(t *testing.T) {
	h := newHarness(t)
	h.seedForecast()
	h.srv.FailWith("files.completeUploadExternal", 1, http.StatusServiceUnavailable)
	h.tickAt(monday0800)
	h.waitDigest(1)
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return completedFiles(st) >= 2 }); err != nil {
		t.Fatalf("no chart and CSV: %v", err)
	}
	if got, n := completedFiles(h.srv.State()), len(h.srv.Calls("files.info")); got != 2 || n != 1 {
		t.Errorf("%d files shared after %d files.info, want 2 after 1", got, n)
	}
}
