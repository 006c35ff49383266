package account

import (
	"archive/zip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
)

// A data export larger than the inline limit is prepared by a job: the ZIP is written to storage
// under exports/, a single-use link is e-mailed, the download deletes the object, and a periodic
// sweep deletes what was never (or only half) downloaded once the link expired.
const (
	// ExportLinkTTL is how long an e-mailed export link works.
	ExportLinkTTL = 24 * time.Hour
	// exportSweepInterval is how often spent export objects are looked for.
	exportSweepInterval = time.Hour
	// exportRowBytes is the estimated size in data.json of one row a Sizer counts.
	exportRowBytes = 400
)

// Sizer estimates cheaply (counts and stored sizes, never reading the data itself) what a domain
// adds to the user's export: rows in data.json, and bytes of files (recordings) in the archive,
// so a large export is queued before anything is read.
type Sizer interface {
	ExportSize(ctx context.Context, userID string) (rows, fileBytes int64, err error)
}

// Contacts is how the export mail reaches the user.
type Contacts interface {
	// Contact returns the account's address and name; NotFound when it is gone.
	Contact(ctx context.Context, userID string) (email, name string, err error)
}

// Objects is the file storage the queued exports are written to.
type Objects interface {
	Put(ctx context.Context, key, contentType string, r io.Reader) (int64, error)
	OpenRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
}

// exportKey is where a queued export's archive is stored.
func exportKey(userID string) func(string) string {
	return func(linkID string) string { return "exports/" + userID + "/" + linkID + ".zip" }
}

// newExportToken returns a link token (256 random bits, URL-safe) and the hash that is stored.
func newExportToken() (string, []byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	return tok, hashExportToken(tok), nil
}

func hashExportToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// wellFormedExportToken rejects anything that is not a token's shape before touching the database.
func wellFormedExportToken(tok string) bool {
	if len(tok) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(tok)
	return err == nil
}

// estimate is the expected size of the user's export in bytes.
func (s *Service) estimate(ctx context.Context, userID string) (int64, error) {
	var total int64
	for _, z := range s.d.Sizers {
		rows, files, err := z.ExportSize(ctx, userID)
		if err != nil {
			return 0, err
		}
		total += rows*exportRowBytes + files
	}
	return total, nil
}

// ExportOrQueue is the user's own export: the sections to stream now, or queued (and nothing to
// stream) when the estimate is over the inline limit, in which case a job prepares the file and
// e-mails a link. Asking again while one is in preparation queues nothing more.
func (s *Service) ExportOrQueue(ctx context.Context, userID string) (sections []Section, files []File, queued bool, err error) {
	if s.store != nil {
		size, err := s.estimate(ctx, userID)
		if err != nil {
			return nil, nil, false, err
		}
		if size > s.d.InlineMaxBytes {
			if _, err := s.store.CreatePending(ctx, userID, s.d.Now().UTC(), exportKey(userID)); err != nil {
				return nil, nil, false, err
			}
			return nil, nil, true, nil
		}
	}
	sections, files, err = s.Export(ctx, userID)
	return sections, files, false, err
}

// WriteArchive writes the export ZIP of uid's sections to w: data.json, streamed as it is encoded,
// then each file (recordings) streamed from storage, stored as is since they are compressed already.
func WriteArchive(ctx context.Context, w io.Writer, uid string, sections []Section, files []File, now time.Time) error {
	zw := zip.NewWriter(w)
	f, err := zw.CreateHeader(&zip.FileHeader{Name: "data.json", Method: zip.Deflate, Modified: now})
	if err != nil {
		return err
	}
	doc := map[string]any{"format": "rapport-export/1", "user_id": uid, "exported_at": now}
	for _, sec := range sections {
		doc[sec.Name] = sec.Value
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	for _, file := range files {
		if err := copyFile(ctx, zw, file); err != nil {
			// Cut the archive short: the client sees a broken download rather than a
			// complete-looking ZIP that lacks a file.
			return err
		}
	}
	return zw.Close()
}

// copyFile streams one file into the archive, stored as is: recordings are compressed already.
func copyFile(ctx context.Context, zw *zip.Writer, file File) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: file.Name, Method: zip.Store, Modified: file.Modified.UTC()})
	if err != nil {
		return err
	}
	r, err := file.Open(ctx)
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = io.Copy(w, r)
	return err
}

// prepare is the job's work: write the archive (once), then give the link a fresh token and
// e-mail it. A failed mail is retried by River with a new token, so a token that may have been
// sent by a failed attempt never stays valid; the archive is not written twice.
func (s *Service) prepare(ctx context.Context, linkID string) error {
	l, err := s.store.Find(ctx, linkID)
	if apperr.Is(err, apperr.NotFound) {
		return nil // the account was erased meanwhile: nothing to send
	}
	if err != nil {
		return err
	}
	email, name, err := s.d.Contacts.Contact(ctx, l.UserID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if l.WrittenAt == nil {
		sections, files, err := s.Export(ctx, l.UserID)
		if err != nil {
			return err
		}
		now := s.d.Now().UTC()
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(WriteArchive(ctx, pw, l.UserID, sections, files, now)) }()
		_, err = s.d.Storage.Put(ctx, l.ObjectKey, "application/zip", pr)
		_ = pr.CloseWithError(errors.New("account: export upload ended"))
		if err != nil {
			return err
		}
		if err := s.store.MarkWritten(ctx, l.ID, now); err != nil {
			return err
		}
	}
	tok, hash, err := newExportToken()
	if err != nil {
		return err
	}
	expires := s.d.Now().UTC().Add(ExportLinkTTL)
	if err := s.store.SetToken(ctx, l.ID, hash, expires); err != nil {
		return err
	}
	msg, err := mail.Render(email, "data_export", map[string]any{
		"Name": name, "Link": s.d.PublicURL + "/api/v1/me/export/" + tok, "Hours": int(ExportLinkTTL.Hours()),
	})
	if err != nil {
		return err
	}
	if err := s.d.Sender.Send(ctx, msg); err != nil {
		// River records this error: it must not carry the address or the link.
		return fmt.Errorf("the export link mail was not sent: %w", errors.New("mail delivery failed"))
	}
	s.d.Log.Info("queued data export ready", "user_id", l.UserID, "link_id", l.ID)
	return nil
}

// Download is a queued export's single-use link: the archive's reader (the caller streams it and
// then calls the returned done, which deletes the object). Unknown → NotFound; used or expired →
// Gone.
func (s *Service) Download(ctx context.Context, token string) (io.ReadCloser, func(), error) {
	if s.store == nil || !wellFormedExportToken(token) {
		return nil, nil, errNoExport
	}
	now := s.d.Now().UTC()
	l, claimed, err := s.store.ClaimByToken(ctx, hashExportToken(token), now)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil, errNoExport
	}
	if err != nil {
		return nil, nil, err
	}
	if !claimed {
		if l.UsedAt != nil {
			return nil, nil, apperr.New(apperr.Gone, "This download link was already used: each link works once. Ask for a new export from your account page.")
		}
		return nil, nil, apperr.New(apperr.Gone, "This download link has expired. Ask for a new export from your account page.")
	}
	r, err := s.d.Storage.OpenRange(ctx, l.ObjectKey, 0, -1)
	if err != nil {
		return nil, nil, err
	}
	done := func() {
		// The link is spent: remove the file now. The row stays until the link would have
		// expired (a second click learns it was used); the sweep then deletes the file again,
		// which also covers a deletion that failed here.
		if err := s.d.Storage.Delete(context.WithoutCancel(ctx), l.ObjectKey); err != nil {
			s.d.Log.Warn("a downloaded export's file stays until its link expires", "link_id", l.ID, "err", err)
		}
	}
	return r, done, nil
}

var errNoExport = apperr.New(apperr.NotFound, "We couldn’t find that download. Check that the whole link from the e-mail was opened.")

// SweepExports deletes the files and rows of export links expired at now, used or not (deleting
// a file already gone is no error). It returns how many links it removed.
func (s *Service) SweepExports(ctx context.Context, now time.Time) (int, error) {
	links, err := s.store.FindExpired(ctx, now, 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, l := range links {
		if err := s.d.Storage.Delete(ctx, l.ObjectKey); err != nil {
			return n, err
		}
		if err := s.store.Delete(ctx, l.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// eraseExports deletes the user's prepared export files before the account (and with it the link
// rows) goes: the erasure's own Eraser, run after the domains' ones.
func (s *Service) eraseExports(ctx context.Context, userID string) error {
	if s.store == nil {
		return nil
	}
	links, err := s.store.FindOfUser(ctx, userID)
	if err != nil {
		return err
	}
	for _, l := range links {
		if err := s.d.Storage.Delete(ctx, l.ObjectKey); err != nil {
			return err
		}
	}
	return nil
}

// PrepareArgs is the River job that prepares one queued export.
type PrepareArgs struct {
	LinkID string `json:"link_id"`
}

// Kind names the job type in the queue.
func (PrepareArgs) Kind() string { return "account_export_prepare" }

// InsertOpts bounds the attempts like a mail's.
func (PrepareArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

// PrepareWorker works PrepareArgs jobs.
type PrepareWorker struct {
	river.WorkerDefaults[PrepareArgs]
	s *Service
}

// NewPrepareWorker returns the worker of the export jobs.
func NewPrepareWorker(s *Service) *PrepareWorker { return &PrepareWorker{s: s} }

// Work prepares the export and mails its link.
func (w *PrepareWorker) Work(ctx context.Context, job *river.Job[PrepareArgs]) error {
	return w.s.prepare(ctx, job.Args.LinkID)
}

// ExportSweepArgs is the periodic River job that runs SweepExports.
type ExportSweepArgs struct{}

// Kind names the job type in the queue.
func (ExportSweepArgs) Kind() string { return "account_export_sweep" }

// InsertOpts makes a pending run unique.
func (ExportSweepArgs) InsertOpts() river.InsertOpts { return jobs.OncePer(exportSweepInterval) }

// NewExportSweepWorker is the worker of ExportSweepArgs.
func NewExportSweepWorker(s *Service) *jobs.Periodic[ExportSweepArgs] {
	return &jobs.Periodic[ExportSweepArgs]{Run: s.SweepExports, Now: s.d.Now, Log: s.d.Log, Done: "expired data exports removed"}
}

// ExportSweepJob is the periodic job the app registers with River.
func ExportSweepJob() *river.PeriodicJob { return jobs.Every(exportSweepInterval, ExportSweepArgs{}) }
