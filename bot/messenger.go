package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Messenger is how the bot speaks unprompted (scheduled jobs, deal-desk
// threads, DMs): the transport implements it on its platform's API, waiting
// out rate limits. Channel and message references are opaque strings.
type Messenger interface {
	// Post sends a message to a channel, or into a thread when thread is
	// set, and returns the new message's reference. With a PostMark on ctx
	// (PostMarkOf) the message carries its marker, and when the mark says
	// to look, a message already carrying it is returned instead of
	// posting again; when the channel cannot be read to tell, nothing is
	// posted and the error's reason is PostUncertain.
	Post(ctx context.Context, channel, thread string, r Reply) (string, error)
	// PostParts sends a message the transport may split into parts (a
	// digest), skipping part i when posted[i] is set, and calls saved with
	// each part's reference as soon as it is out, so a retry after a
	// failure posts only what is missing. It returns the first part's
	// reference.
	PostParts(ctx context.Context, channel, thread string, r Reply, posted []string, saved func(i int, ref string) error) (string, error)
	// Update replaces a message the bot posted.
	Update(ctx context.Context, channel, ref string, r Reply) error
	// DM sends a direct message to user.
	DM(ctx context.Context, user domain.UserID, r Reply) error
	// Ephemeral shows a message to user only, in channel, or in its thread
	// when thread is set (an answer to a reply in a thread stays there).
	Ephemeral(ctx context.Context, channel, thread string, user domain.UserID, r Reply) error
	// Upload shares a file (a chart) in a channel.
	Upload(ctx context.Context, channel, filename, title string, data []byte) error
	// Location is user's own time zone, or nil when the platform does not say.
	Location(ctx context.Context, user domain.UserID) *time.Location
	// DisplayName is how the platform names user to people (their real
	// name, else their handle), or "" when it does not say: for files and
	// text where a mention cannot be rendered, such as the digest's CSV.
	DisplayName(ctx context.Context, user domain.UserID) string
}

// Job is scheduled work. Run is called on every tick with the current time
// and decides itself whether anything is due; it must be idempotent (record
// what it did in the store) so a restart or a second tick does nothing twice,
// and a tick after downtime catches up.
type Job struct {
	Name string
	Run  func(ctx context.Context, m Messenger, now time.Time) error
}

// Jobs returns the bot's scheduled jobs. Each feature appends its own.
func (b *Bot) Jobs() []Job {
	var jobs []Job
	jobs = append(jobs, b.digestJob())
	jobs = append(jobs, b.coachingJobs()...)
	jobs = append(jobs, b.deskJobs()...)
	jobs = append(jobs, b.reviewJob())
	jobs = append(jobs, b.backupJob()...)
	jobs = append(jobs, b.postsJob())
	jobs = append(jobs, b.pruneDoneJob())
	jobs = append(jobs, b.pruneImportsJob())
	jobs = append(jobs, b.pipelineWarmJob())
	// Last: the names the other jobs (the digest) learnt are written in
	// the same tick.
	jobs = append(jobs, b.peopleJob())
	return jobs
}

// Tick runs every job once at the clock's current time. The transport calls
// it every minute; tests call it after moving a manual clock.
func (b *Bot) Tick(ctx context.Context, m Messenger) []error {
	now := b.clock.Now()
	var errs []error
	for _, j := range b.Jobs() {
		err := runJob(ctx, j, m, now)
		b.observeJob(j.Name, err)
		if err != nil {
			errs = append(errs, &jobError{name: j.Name, err: err})
		}
	}
	return errs
}

// runJob runs one job, turning a panic (bbolt panics on a garbled page) into
// a *JobPanic error: the other jobs still run, and the next tick tries again
// instead of the process dying every minute.
func runJob(ctx context.Context, j Job, m Messenger, now time.Time) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &JobPanic{Value: r, Stack: debug.Stack()}
		}
	}()
	return j.Run(ctx, m, now)
}

// JobPanic is the error of a job that panicked; the transport logs it with
// its stack, as it does a handler's panic.
type JobPanic struct {
	Value any
	Stack []byte
}

func (p *JobPanic) Error() string { return fmt.Sprintf("panicked: %v", p.Value) }

type jobError struct {
	name string
	err  error
}

func (e *jobError) Error() string { return e.name + ": " + e.err.Error() }
func (e *jobError) Unwrap() error { return e.err }
