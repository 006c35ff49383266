// Package account carries out the rights a person has over their data as a whole: take it
// with them (export) and leave for good (erase). Its only table is export_links, the exports too
// large to stream that a job prepares (queued.go). Each domain contributes
// through the small interfaces below, implemented by its own service and listed in
// internal/app/wire.go; a new domain joins by adding itself to those lists.
//
// How one erasure stays one database transaction while every store owns its own: the account
// row is the root of every user's data. Each table that holds a user's data references users
// with ON DELETE CASCADE, and each record that only names the user as its author (a
// recognition given, an invite sent, a team created) with ON DELETE SET NULL, shown as "a
// former member". Identity's single DELETE of the account row therefore erases everything in
// the database atomically, with the audit line in the same transaction, and no store writes
// another domain's table. What lives outside the database (Stripe; stored recordings)
// is handled first by the Erasers, so a failure there leaves the account whole and the
// request can simply be repeated.
package account

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
)

// Identity is what account needs from the identity domain.
type Identity interface {
	// Reauthenticate checks the signed-in user's password (422 when empty, 403 when wrong).
	Reauthenticate(ctx context.Context, userID, password string) error
	// DeleteAccount deletes the account row (and, through foreign keys, all of the user's
	// rows) with an audit line naming actorID and via; unknown user → NotFound.
	DeleteAccount(ctx context.Context, actorID, userID, via string) error
}

// Guard can refuse an erasure before anything changes (a Conflict saying what to do first).
type Guard interface {
	CheckErase(ctx context.Context, userID string) error
}

// Eraser removes what a domain keeps about the user outside the database (Stripe customers,
// stored files) or must tell a third party. It runs after every Guard agreed and before the
// account row is deleted; it must be safe to run again after a later step failed.
type Eraser interface {
	EraseUser(ctx context.Context, userID string) error
}

// Exporter returns one named section of data.json: everything the domain holds about the user.
type Exporter interface {
	ExportUser(ctx context.Context, userID string) (name string, v any, err error)
}

// FileExporter lists the files a domain keeps of the user (recordings) for the export's ZIP.
// Listing reads only their names and sizes; each file is opened while the archive is written, so
// no file is ever held in memory.
type FileExporter interface {
	ExportFiles(ctx context.Context, userID string) ([]File, error)
}

// File is one file of the export: Name is its path inside the ZIP (under a folder of its own,
// such as "recordings/"), and Open streams its bytes.
type File struct {
	Name     string
	Size     int64
	Modified time.Time
	Open     func(ctx context.Context) (io.ReadCloser, error)
}

// Ways an account is erased, as identity's audit log names them.
const (
	viaSelf  = "self"
	viaAdmin = "admin"
)

// Deps lists every dependency; Guards, Erasers, Exporters and Files may be empty lists, never
// nil entries.
type Deps struct {
	Identity  Identity
	Guards    []Guard
	Erasers   []Eraser
	Exporters []Exporter
	// Log receives the audit line of an admin's export on someone's behalf (nil: slog's default).
	Log *slog.Logger
	// Now stamps that audit line and the queued exports (nil: time.Now).
	Now func() time.Time

	// Queued exports (all set, or DB nil for a process that always streams): the table and its
	// jobs, where the files go, who to mail and how, and when an export counts as large.
	DB             *db.DB
	Jobs           *jobs.Inserter
	Storage        Objects
	Contacts       Contacts
	Sender         mail.Sender
	PublicURL      string
	InlineMaxBytes int64
	// Sizers estimate each domain's share of an export (see Sizer).
	Sizers []Sizer
	Files  []FileExporter
}

// Service runs exports and erasures.
type Service struct {
	d     Deps
	store *Store
}

// NewService checks the dependencies.
func NewService(d Deps) (*Service, error) {
	if d.Identity == nil {
		return nil, errors.New("account: Deps.Identity is required")
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &Service{d: d}
	if d.DB != nil {
		if d.Jobs == nil || d.Storage == nil || d.Contacts == nil || d.Sender == nil {
			return nil, errors.New("account: queued exports need Jobs, Storage, Contacts and Sender")
		}
		s.store = NewStore(d.DB, d.Jobs)
	}
	return s, nil
}

// DeleteOwn erases the caller's account after checking their password.
func (s *Service) DeleteOwn(ctx context.Context, userID, password string) error {
	if err := s.d.Identity.Reauthenticate(ctx, userID, password); err != nil {
		return err
	}
	return s.erase(ctx, userID, userID, viaSelf)
}

// DeleteByAdmin erases another user's account. An admin erases their own through DeleteOwn,
// which asks for the password.
func (s *Service) DeleteByAdmin(ctx context.Context, adminID, userID string) error {
	if adminID == userID {
		return apperr.New(apperr.Conflict, "To delete your own account, use “Delete my account” on your account page.")
	}
	return s.erase(ctx, adminID, userID, viaAdmin)
}

func (s *Service) erase(ctx context.Context, actorID, userID, via string) error {
	for _, g := range s.d.Guards {
		if err := g.CheckErase(ctx, userID); err != nil {
			return err
		}
	}
	for _, e := range s.d.Erasers {
		if err := e.EraseUser(ctx, userID); err != nil {
			return err
		}
	}
	if err := s.eraseExports(ctx, userID); err != nil {
		return err
	}
	return s.d.Identity.DeleteAccount(ctx, actorID, userID, via)
}

// Section is one named part of data.json.
type Section struct {
	Name  string
	Value any
}

// Export collects every domain's section for the user, in the order the exporters are listed,
// and the list of their files. Sections are small JSON values; files (recordings) are only
// listed here and streamed by the handler.
func (s *Service) Export(ctx context.Context, userID string) ([]Section, []File, error) {
	out := make([]Section, 0, len(s.d.Exporters))
	for _, e := range s.d.Exporters {
		name, v, err := e.ExportUser(ctx, userID)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, Section{Name: name, Value: v})
	}
	var files []File
	for _, f := range s.d.Files {
		fs, err := f.ExportFiles(ctx, userID)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, fs...)
	}
	return out, files, nil
}

// ExportByAdmin is Export on a user's behalf (an admin answering a request made to support, or
// a user who can no longer sign in). It leaves an audit line naming who exported whose data and
// when, never any content; NotFound when there is no such account.
func (s *Service) ExportByAdmin(ctx context.Context, adminID, userID string) ([]Section, []File, error) {
	sections, files, err := s.Export(ctx, userID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil, apperr.New(apperr.NotFound, "We couldn’t find that account. It may have been deleted.")
	}
	if err != nil {
		return nil, nil, err
	}
	s.d.Log.Info("account data exported by an admin", "audit", "account_export", "user_id", userID, "actor_id", adminID,
		"at", s.d.Now().UTC())
	return sections, files, nil
}
