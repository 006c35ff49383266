package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/storage"
)

// Deps are what the media service needs; every one is required.
type Deps struct {
	DB      *db.DB
	Storage *storage.Bucket
	Now     func() time.Time
	Log     *slog.Logger
	Limits  Limits
	// Usage says which lessons use which media (media.NoUsage where none can).
	Usage Usage
	// Gate decides who may fetch an item.
	Gate Gate
	// BuyerLines says which practice activities play an item (NoBuyerLines when nil).
	BuyerLines BuyerLines
}

// Service implements uploads, the library and serving.
type Service struct {
	store  *Store
	bucket *storage.Bucket
	now    func() time.Time
	log    *slog.Logger
	limits Limits
	usage  Usage
	gate   Gate
	lines  BuyerLines
}

// NewService prepares the service.
func NewService(d Deps) *Service {
	if d.BuyerLines == nil {
		d.BuyerLines = NoBuyerLines
	}
	return &Service{store: NewStore(d.DB), bucket: d.Storage, now: d.Now, log: d.Log, limits: d.Limits, usage: d.Usage, gate: d.Gate,
		lines: d.BuyerLines}
}

// Limits are the service's size limits.
func (s *Service) Limits() Limits { return s.limits }

// NewFile is one file to store.
type NewFile struct {
	// Name is the client's file name (sanitised before it is kept).
	Name string
	// Title and Alt are optional (nil: the title comes from the name, no alt text).
	Title, Alt *string
	Body       io.Reader
	// Field names the input in errors ("file" for uploads, the file's path for imports).
	Field string
	// By is the uploading user's id ("" for imports).
	By string
}

// Upload stores a file and records it as a new item. The type is decided by the bytes; an empty
// file is Invalid, a type not allowed Unsupported (415), a file over its kind's limit TooLarge
// (413), a storage outage Unavailable (503). Nothing is kept after any failure: the bytes are
// written under the item's key and the row is inserted only once they are all stored.
func (s *Service) Upload(ctx context.Context, f NewFile) (Item, error) {
	if f.Field == "" {
		f.Field = "file"
	}
	var fields apperr.Fields
	checkText(&fields, f.Title, f.Alt)
	if err := fields.Err(); err != nil {
		return Item{}, err
	}
	it, err := s.store1(ctx, f)
	if err != nil {
		return Item{}, err
	}
	if err := s.store.CreateItem(ctx, it, f.By, s.now().UTC()); err != nil {
		// The row is what makes the bytes reachable: without it they must not stay behind.
		if derr := s.bucket.Delete(context.WithoutCancel(ctx), it.Key()); derr != nil {
			s.log.WarnContext(ctx, "media: orphaned bytes after a failed insert", "key", it.Key(), "error", derr)
		}
		return Item{}, err
	}
	it.CreatedAt = s.now().UTC()
	return s.store.FindItem(ctx, it.ID)
}

// store1 checks f's bytes and writes them under a new item's key, returning the item to insert.
func (s *Service) store1(ctx context.Context, f NewFile) (Item, error) {
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(f.Body, head)
	head = head[:n]
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Item{}, err
	}
	if n == 0 {
		return Item{}, apperr.InvalidFields(apperr.Field(f.Field, "This file is empty. Choose a file that has something in it."))
	}
	kind, ctype, ok := Sniff(head)
	if !ok {
		return Item{}, &apperr.Error{Kind: apperr.Unsupported,
			Detail: "This type of file can’t be used. Upload a PNG, JPEG or WebP image, an MP4 or WebM video, MP3, M4A, AAC or Ogg audio, a PDF, or WebVTT captions.",
			Fields: []apperr.FieldError{apperr.Field(f.Field, "This type of file can’t be used.")}}
	}
	name := CleanFileName(f.Name)
	it := Item{ID: uuid.NewString(), Kind: kind, ContentType: ctype, FileName: name}
	if f.Title != nil {
		it.Title = *f.Title
	} else {
		it.Title = TitleFromName(name)
	}
	if f.Alt != nil {
		it.Alt = *f.Alt
	}
	limit := s.limits.For(kind)
	h := sha256.New()
	body := &limitReader{r: io.MultiReader(strings.NewReader(string(head)), storage.SourceReader(f.Body)), left: limit, h: h}
	size, err := s.bucket.Put(ctx, it.Key(), ctype, body)
	if body.over {
		return Item{}, &apperr.Error{Kind: apperr.TooLarge,
			Detail: fmt.Sprintf("This %s is larger than %s, the most Rapport takes for %s files.", kindNoun(kind), megabytes(limit), kind),
			Fields: []apperr.FieldError{apperr.Field(f.Field, "This file is too large.")}}
	}
	if err != nil {
		return Item{}, err
	}
	it.Bytes, it.SHA256 = size, hex.EncodeToString(h.Sum(nil))
	if kind == KindCaptions {
		if err := s.checkCaptions(ctx, it); err != nil {
			_ = s.bucket.Delete(context.WithoutCancel(ctx), it.Key())
			return Item{}, apperr.InvalidFields(apperr.Field(f.Field, err.Error()))
		}
	}
	if kind == KindVideo || kind == KindAudio {
		r := s.bucket.NewSeeker(ctx, it.Key(), size)
		it.DurationSeconds = Duration(ctype, r, size)
		_ = r.Close()
	}
	return it, nil
}

// checkCaptions makes sure a captions file is UTF-8 text, so it cannot smuggle anything else.
func (s *Service) checkCaptions(ctx context.Context, it Item) error {
	data, err := s.bucket.ReadAll(ctx, it.Key())
	if err != nil {
		return err
	}
	if !isText(data) {
		return errors.New("WebVTT captions must be UTF-8 text.")
	}
	return nil
}

// limitReader hashes what passes and fails once more than left bytes are read.
type limitReader struct {
	r    io.Reader
	left int64
	h    hash.Hash
	over bool
}

// errTooLarge stops a write that went over its limit.
var errTooLarge = errors.New("file over its limit")

func (l *limitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		l.over = true
		return 0, errTooLarge
	}
	l.h.Write(p[:n])
	return n, err
}

func kindNoun(k Kind) string {
	switch k {
	case KindCaptions:
		return "captions file"
	case KindDocument:
		return "document"
	}
	return string(k)
}

func megabytes(n int64) string { return fmt.Sprintf("%d MB", n>>20) }

// Import stores bytes from a content file: the same bytes are the same item (hash-addressed,
// idempotent), with the same type and size checks as an upload; errors name the file.
func (s *Service) Import(ctx context.Context, name string, data []byte, title, alt string) (Item, error) {
	sum := sha256.Sum256(data)
	if it, err := s.store.FindByHash(ctx, hex.EncodeToString(sum[:])); err == nil {
		return it, nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return Item{}, err
	}
	f := NewFile{Name: name, Body: strings.NewReader(string(data)), Field: name}
	if strings.TrimSpace(title) != "" {
		f.Title = &title
	}
	if alt != "" {
		f.Alt = &alt
	}
	return s.Upload(ctx, f)
}

// FindMany returns the items that exist; unknown ids are absent from the map.
func (s *Service) FindMany(ctx context.Context, ids []string) (map[string]Item, error) {
	items, err := s.store.FindItems(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Item, len(items))
	for _, it := range items {
		out[it.ID] = it
	}
	return out, nil
}

// Get returns one item.
func (s *Service) Get(ctx context.Context, id string) (Listed, error) {
	it, err := s.store.FindItem(ctx, id)
	if err != nil {
		return Listed{}, err
	}
	uses, err := s.usage.MediaUses(ctx, []string{id})
	if err != nil {
		return Listed{}, err
	}
	return Listed{Item: it, Uses: uses[id]}, nil
}

// maxList bounds the library listing.
const maxList = 1000

// List is the library, newest first, each item with the lessons that use it.
func (s *Service) List(ctx context.Context) ([]Listed, error) {
	items, err := s.store.ListItems(ctx, maxList)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	uses, err := s.usage.MediaUses(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Listed, len(items))
	for i, it := range items {
		out[i] = Listed{Item: it, Uses: uses[it.ID]}
	}
	return out, nil
}

// Update edits an item's title and alt text.
func (s *Service) Update(ctx context.Context, id string, p Patch) (Listed, error) {
	var fields apperr.Fields
	checkText(&fields, p.Title, p.Alt)
	if err := fields.Err(); err != nil {
		return Listed{}, err
	}
	err := s.store.Tx(ctx, func(st *Store) error {
		it, err := st.LockItem(ctx, id)
		if err != nil {
			return err
		}
		if p.Title != nil {
			it.Title = *p.Title
		}
		if p.Alt != nil {
			it.Alt = *p.Alt
		}
		return st.UpdateText(ctx, id, it.Title, it.Alt, s.now().UTC())
	})
	if err != nil {
		return Listed{}, err
	}
	return s.Get(ctx, id)
}

// Delete removes an item that no published lesson version uses and no practice activity plays as
// its buyer's line (Conflict otherwise: published versions are immutable, and the activity would
// lose its line without anyone noticing). The row goes first, in a transaction holding its lock while usage is
// checked; the bytes follow, so a failure never leaves a row without its file.
func (s *Service) Delete(ctx context.Context, id string) error {
	err := s.store.Tx(ctx, func(st *Store) error {
		if _, err := st.LockItem(ctx, id); err != nil {
			return err
		}
		uses, err := s.usage.MediaUses(ctx, []string{id})
		if err != nil {
			return err
		}
		var where []string
		for _, u := range uses[id] {
			if u.Published {
				where = append(where, fmt.Sprintf("“%s” (%s)", u.LessonTitle, u.ModuleSlug))
			}
		}
		if len(where) > 0 {
			return apperr.New(apperr.Conflict, "This file is used by a published lesson: "+strings.Join(where, ", ")+
				". Published versions never change; remove it from the lesson and publish again, then delete it.")
		}
		acts, err := s.lines.ActivitiesUsing(ctx, []string{id})
		if err != nil {
			return err
		}
		if titles := acts[id]; len(titles) > 0 {
			return apperr.New(apperr.Conflict, "This file is the buyer’s line of the practice activity “"+
				strings.Join(titles, "”, “")+"”. Choose another line for it in the Studio (or none), then delete the file.")
		}
		return st.DeleteItem(ctx, id)
	})
	if err != nil {
		return err
	}
	if err := s.bucket.Delete(ctx, "media/"+id); err != nil {
		s.log.WarnContext(ctx, "media: bytes left after delete", "id", id, "error", err)
	}
	return nil
}

// Served is an item the caller may fetch, with its bytes.
type Served struct {
	Item
	Access Access
	Body   *storage.Seeker
}

// Open decides whether userID may fetch id and opens its bytes: unknown or hidden → NotFound,
// premium media anonymously → Unauthorized, without entitlement → PaymentRequired.
func (s *Service) Open(ctx context.Context, id, userID string) (Served, error) {
	it, err := s.store.FindItem(ctx, id)
	if err != nil {
		return Served{}, err
	}
	acc, err := s.gate.MediaAccess(ctx, id, userID)
	if err != nil {
		return Served{}, err
	}
	switch acc {
	case AccessLogin:
		return Served{}, apperr.New(apperr.Unauthorized, "Sign in to see this file: it belongs to a premium lesson.")
	case AccessPay:
		return Served{}, apperr.New(apperr.PaymentRequired, "This file belongs to a premium lesson. Upgrade to Premium to see it.")
	case AccessPrivate, AccessPublic:
		return Served{Item: it, Access: acc, Body: s.bucket.NewSeeker(ctx, it.Key(), it.Bytes)}, nil
	default:
		return Served{}, apperr.New(apperr.NotFound, "This file does not exist.")
	}
}
