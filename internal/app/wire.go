package app

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/frontend"
	"github.com/rapport-hq/rapport/internal/account"
	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/billing"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/media"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
	"github.com/rapport-hq/rapport/internal/platform/notify"
	platweb "github.com/rapport-hq/rapport/internal/platform/web"
	"github.com/rapport-hq/rapport/internal/practice"
	"github.com/rapport-hq/rapport/internal/progress"
	"github.com/rapport-hq/rapport/internal/pulse"
	"github.com/rapport-hq/rapport/internal/review"
	"github.com/rapport-hq/rapport/internal/spa"
	"github.com/rapport-hq/rapport/internal/teams"
)

// build makes the process in one direction: every service with all of its dependencies, in
// dependency order; then the routes; then the job runner with every worker. Nothing is set on a
// service after it is built, no route exists before what it needs, and no dependency is nil.
// docs/ARCHITECTURE.md explains the order and how a new domain joins it.
func (a *App) build(ctx context.Context, tc *testClock) error {
	cfg := a.Config
	ins, err := jobs.NewInserter(a.DB.SQL)
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	sender, err := mail.NewSender(cfg.SMTPURL, cfg.MailFrom, a.Log)
	if err != nil {
		return err
	}
	plans, err := billing.LoadPlans(cfg.PlansFile)
	if err != nil {
		return err
	}

	// Committed changes, heard on a dedicated connection: the catalog serves published content
	// and learners' completed-lesson counts, and billing premium decisions, from memory while it
	// listens (New starts it once everything subscribed). Writers of what a premium decision reads
	// announce their writes on billing's access channel through it, and progress announces
	// completions, so this process forgets stale copies before answering.
	a.Changes = notify.New(cfg.DatabaseURL, a.Log)
	access := accessChanges{a.Changes}

	// Services, each after everything it needs.
	ids, err := identity.NewService(ctx, identity.Deps{
		DB: a.DB, Jobs: ins, Now: a.Clock, PublicURL: cfg.PublicURL,
		JWTSecret: cfg.JWTSecret, Log: a.Log, Params: a.argon, Access: access,
	})
	if err != nil {
		return err
	}
	// The directory reads only the teams tables, so billing (and /me) can ask who is on which
	// team before the teams service, which needs billing's seats, exists.
	teamDir := teams.NewDirectory(a.DB)
	bill, err := billing.NewService(billing.Deps{
		DB: a.DB, Jobs: ins, Now: a.Clock, Log: a.Log, Plans: plans, PublicURL: cfg.PublicURL,
		StripeSecretKey: cfg.StripeSecretKey, StripeWebhookSecret: cfg.StripeWebhookSecret,
		StripeAPIBase: cfg.StripeAPIBase, StripeRetries: stripeRetries(cfg.StripeAPIBase),
		GracePeriod: time.Duration(cfg.GracePeriodDays) * 24 * time.Hour,
		Users:       ids, Roles: ids, Teams: teamDir, Changes: a.Changes,
	})
	if err != nil {
		return err
	}
	// The weekly reminder mentions due reviews; counting them reads only the review tables and the
	// catalog's published checks, so the counter exists before progress (which review needs).
	dueReviews := review.NewCounter(a.DB, catalog.NewCheckDirectory(a.DB))
	prog := progress.NewService(progress.Deps{
		DB: a.DB, Jobs: ins, Now: a.Clock, PublicURL: cfg.PublicURL, Log: a.Log, Reviews: progressReviews{dueReviews},
		Changes: a.Changes,
	})
	// Media: files in the bucket STORAGE_URL names. The catalog's media gate reads only catalog
	// tables, so it exists before both services: media asks it which lessons use an item and who
	// may fetch one; the catalog service then looks media up (and stores content files' media)
	// through the media service.
	bucket, err := openBucket(ctx, cfg)
	if err != nil {
		return err
	}
	lessonMedia := catalog.NewMediaGate(a.DB, ids, bill)
	med := media.NewService(media.Deps{DB: a.DB, Storage: bucket, Now: a.Clock, Log: a.Log, Limits: mediaLimits(cfg),
		Usage: mediaUsage{lessonMedia}, Gate: mediaGate{lessonMedia}, BuyerLines: practice.NewBuyerLines(a.DB)})
	cat := catalog.NewService(catalog.Deps{DB: a.DB, Now: a.Clock, Roles: ids, Entitlements: bill, Progress: prog,
		Managers: catalogManagers{teamDir}, Media: catalogMedia{med}, MediaImporter: catalogMedia{med},
		Changes: a.Changes})
	// Instruments are not imported here: `rapport content import` and `rapport demo` do it, so
	// starting a server never rewrites content. Module completions open progress attempts early.
	asm := assess.NewService(assess.Deps{DB: a.DB, Now: a.Clock, Completions: prog,
		PracticePrior: cfg.PracticeEffectPrior, Changes: a.Changes})
	// Buyer Pulse: a rep's pulses and the buyer's public page.
	pls := pulse.NewService(pulse.Deps{DB: a.DB, Jobs: ins, Now: a.Clock, Log: a.Log, PublicURL: cfg.PublicURL})
	// Practice's evidence side (observed scores beside self-ratings, submission evidence, reviews
	// waiting, the learner's recordings as export files) reads only practice tables, the
	// assessments' self-ratings and the bucket, so teams can ask it before practice's service exists.
	practiceEvidence := practice.NewEvidence(practice.EvidenceDeps{DB: a.DB, Jobs: ins, Log: a.Log, Storage: bucket, Self: asm})
	tms := teams.NewService(teams.Deps{DB: a.DB, Jobs: ins, Now: a.Clock, Log: a.Log, PublicURL: cfg.PublicURL,
		Seats: bill, Progress: teamsProgress{p: prog}, Skills: teamsSkills{asm}, Modules: teamsModules{cat},
		Pulses: teamsPulses{pls}, Practice: teamsPractice{practiceEvidence}, Access: access})
	a.Jobs, a.Identity, a.Billing, a.Progress, a.Catalog, a.Assess, a.Teams = ins, ids, bill, prog, cat, asm, tms
	// Practice: activities, recordings in the bucket, blind reviews by the rep's managers and peers.
	// Learners upload recordings through the media library's tus endpoint, which hands them over.
	prac := practice.NewService(practice.Deps{DB: a.DB, Jobs: ins, Now: a.Clock, Log: a.Log, PublicURL: cfg.PublicURL,
		Storage: bucket, Teams: practiceTeams{teamDir}, Access: practiceAccess{cat: cat, roles: ids, ent: bill},
		Media: practiceMedia{med}, Markdown: practiceMarkdown{catalog.NewRenderer()}, Duration: media.Duration,
		LinkKey: ids.Keys().Derive("practice-links"), MaxRecordingBytes: int64(cfg.PracticeMaxMB) << 20})
	a.Practice = prac
	a.PracticeImporter = practice.NewImporter(a.DB, practiceMedia{med}, practiceMarkdown{catalog.NewRenderer()}, a.Clock)
	tus, err := media.NewTus(med, prac)
	if err != nil {
		return fmt.Errorf("media uploads: %w", err)
	}
	// Answers to knowledge checks and the spaced review: checks from the catalog (with its access
	// rule), review time into progress's weekly minutes.
	a.Review = review.NewService(review.Deps{DB: a.DB, Now: a.Clock, Checks: reviewChecks{cat}, Time: prog})
	// Account export and erasure: each domain adds its guard, eraser and export section here.
	// Erasers run in order before the account row (and with it every row of the user's data,
	// through the schema's foreign keys) is deleted; see internal/account.
	acct, err := account.NewService(account.Deps{
		Identity:  ids,
		Guards:    []account.Guard{teamDir},
		Erasers:   []account.Eraser{bill, prac},
		Exporters: []account.Exporter{ids, prog, asm, bill, teamDir, pls, a.Review, prac},
		Log:       a.Log, Now: a.Clock,
		// An export estimated over EXPORT_INLINE_MAX_MB is prepared by a job into the bucket and
		// e-mailed as a single-use link; the domains whose data grows estimate their share.
		DB: a.DB, Jobs: ins, Storage: bucket, Contacts: accountContacts{ids}, Sender: sender, PublicURL: cfg.PublicURL,
		InlineMaxBytes: cfg.ExportInlineMaxBytes, Sizers: []account.Sizer{prog, asm, pls, practiceEvidence},
		// The learner's recordings join the export ZIP as files, streamed from the bucket.
		Files: []account.FileExporter{accountRecordings{practiceEvidence}},
	})
	if err != nil {
		return err
	}

	a.Storage, a.Media, a.Account, a.Pulse = bucket, med, acct, pls

	// Routes.
	a.Echo = platweb.New(platweb.Options{
		Logger: a.Log, Metrics: a.Metrics, BodyLimit: cfg.BodyLimit, Timeout: 30 * time.Second, DBHealth: a.DB.Health,
		Streams: func(r *http.Request) bool { return media.Streams(r) || practice.Streams(r) },
	})
	a.opsRoutes()
	if tc != nil {
		a.testClockRoutes(tc)
	}
	// Access tokens are checked against the signing key and the set of recently erased accounts.
	sessions := ids.Sessions()
	api := a.Echo.Group("/api/v1", platweb.Authenticate(sessions))
	idh := identity.NewHandler(ids, cfg.SecureCookies(), meExtras{bill, teamDir})
	idh.Routes(api)
	account.NewHandler(acct, ids, idh.ClearSession, a.Clock).Routes(api)
	billing.NewHandler(bill).Routes(api)
	catalog.NewHandler(cat).Routes(api)
	progress.NewHandler(prog).Routes(api)
	assess.NewHandler(asm, ids).Routes(api)
	teams.NewHandler(tms, ids).Routes(api)
	review.NewHandler(a.Review).Routes(api)
	medH := media.NewHandler(med, ids, sessions, tus)
	medH.Routes(api)
	medH.FileRoutes(a.Echo, platweb.Authenticate(sessions))
	pulseHandler := pulse.NewHandler(pls)
	pulseHandler.Routes(api)
	pulseHandler.PageRoutes(a.Echo)
	pracH := practice.NewHandler(prac)
	pracH.Routes(api)
	pracH.FileRoutes(a.Echo)
	practice.NewStudioHandler(prac, ids).Routes(api)
	practice.NewEvidenceHandler(practiceEvidence).Routes(api)
	spa.NewSEO(cfg.PublicURL, a.publishedModuleSlugs).Routes(a.Echo)
	spa.New(frontend.Dist()).Routes(a.Echo)

	// Workers last: the runner works what every service enqueues.
	workers := river.NewWorkers()
	river.AddWorker(workers, &mail.Worker{Sender: sender})
	river.AddWorker(workers, billing.NewWorker(bill))
	river.AddWorker(workers, progress.NewReminderWorker(prog))
	river.AddWorker(workers, teams.NewReminderWorker(tms))
	river.AddWorker(workers, teams.NewDigestWorker(tms))
	river.AddWorker(workers, media.NewSweepWorker(med))
	river.AddWorker(workers, pulse.NewInviteWorker(pls, sender))
	river.AddWorker(workers, practice.NewSubmittedWorker(prac))
	river.AddWorker(workers, practice.NewDeleteRecordingWorker(prac))
	river.AddWorker(workers, account.NewPrepareWorker(acct))
	river.AddWorker(workers, account.NewExportSweepWorker(acct))
	a.Runner, err = jobs.NewRunner(a.DB.Pool, workers, jobs.Options{Logger: a.Log, PollInterval: a.jobPoll,
		Periodic: []*river.PeriodicJob{progress.ReminderJob(), teams.ReminderJob(), teams.DigestJob(), media.SweepJob(),
			account.ExportSweepJob()}})
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	return nil
}

// stripeRetries is the Stripe client's network retry count. Stripe's own retries are safe
// (creates carry idempotency keys) but only slow down tests against stripe-mock, which is what a
// custom API base means.
func stripeRetries(apiBase string) int64 {
	if apiBase != "" {
		return 0
	}
	return 2
}
