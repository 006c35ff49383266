package media

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
)

// mediaRow is a media row.
type mediaRow struct {
	ID              string
	Kind            string
	ContentType     string
	Bytes           int64
	SHA256          string `gorm:"column:sha256"`
	Title           string
	Alt             string
	FileName        string
	DurationSeconds *float64
	CreatedBy       *string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TableName tells GORM which table the row maps to.
func (mediaRow) TableName() string { return "media" }

func (r mediaRow) toItem() Item {
	return Item{ID: r.ID, Kind: Kind(r.Kind), ContentType: r.ContentType, Bytes: r.Bytes, Title: r.Title, Alt: r.Alt,
		FileName: r.FileName, SHA256: r.SHA256, DurationSeconds: r.DurationSeconds, CreatedAt: r.CreatedAt.UTC()}
}

// Store is media's data access: the only code of the package that knows GORM and columns.
type Store struct {
	db *gorm.DB
}

// NewStore returns the store on d's pool.
func NewStore(d *db.DB) *Store { return &Store{db: d.Gorm} }

// Tx runs fn in one transaction with a Store bound to it.
func (s *Store) Tx(ctx context.Context, fn func(*Store) error) error {
	return db.Err(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx})
	}))
}

func (s *Store) g(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// CreateItem inserts an item whose bytes are already stored.
func (s *Store) CreateItem(ctx context.Context, it Item, createdBy string, now time.Time) error {
	r := mediaRow{ID: it.ID, Kind: string(it.Kind), ContentType: it.ContentType, Bytes: it.Bytes, SHA256: it.SHA256,
		Title: it.Title, Alt: it.Alt, FileName: it.FileName, DurationSeconds: it.DurationSeconds, CreatedAt: now, UpdatedAt: now}
	if createdBy != "" {
		r.CreatedBy = &createdBy
	}
	return db.Err(s.g(ctx).Create(&r).Error)
}

// FindItem loads one item (NotFound when missing or id is not a uuid).
func (s *Store) FindItem(ctx context.Context, id string) (Item, error) {
	if !isUUID(id) {
		return Item{}, apperr.New(apperr.NotFound, "This file does not exist.")
	}
	var r mediaRow
	if err := s.g(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return Item{}, notFound(db.Err(err))
	}
	return r.toItem(), nil
}

// LockItem loads one item and locks its row until the transaction ends.
func (s *Store) LockItem(ctx context.Context, id string) (Item, error) {
	if !isUUID(id) {
		return Item{}, apperr.New(apperr.NotFound, "This file does not exist.")
	}
	var r mediaRow
	if err := s.g(ctx).Raw(`SELECT * FROM media WHERE id = ? FOR UPDATE`, id).Take(&r).Error; err != nil {
		return Item{}, notFound(db.Err(err))
	}
	return r.toItem(), nil
}

// FindByHash is the oldest item with these bytes (NotFound when none).
func (s *Store) FindByHash(ctx context.Context, sha string) (Item, error) {
	var r mediaRow
	if err := s.g(ctx).Where("sha256 = ?", sha).Order("created_at, id").Take(&r).Error; err != nil {
		return Item{}, notFound(db.Err(err))
	}
	return r.toItem(), nil
}

// FindItems loads the items with these ids; ids that are unknown or not uuids are skipped.
func (s *Store) FindItems(ctx context.Context, ids []string) ([]Item, error) {
	valid := make([]string, 0, len(ids))
	for _, id := range ids {
		if isUUID(id) {
			valid = append(valid, id)
		}
	}
	if len(valid) == 0 {
		return nil, nil
	}
	var rows []mediaRow
	if err := s.g(ctx).Where("id IN ?", valid).Find(&rows).Error; err != nil {
		return nil, db.Err(err)
	}
	out := make([]Item, len(rows))
	for i, r := range rows {
		out[i] = r.toItem()
	}
	return out, nil
}

// ListItems returns the library, newest first.
func (s *Store) ListItems(ctx context.Context, limit int) ([]Item, error) {
	var rows []mediaRow
	if err := s.g(ctx).Order("created_at DESC, id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, db.Err(err)
	}
	out := make([]Item, len(rows))
	for i, r := range rows {
		out[i] = r.toItem()
	}
	return out, nil
}

// UpdateText saves an item's title and alt text.
func (s *Store) UpdateText(ctx context.Context, id, title, alt string, now time.Time) error {
	return db.Err(s.g(ctx).Model(&mediaRow{}).Where("id = ?", id).
		Updates(map[string]any{"title": title, "alt": alt, "updated_at": now}).Error)
}

// DeleteItem removes an item's row.
func (s *Store) DeleteItem(ctx context.Context, id string) error {
	return db.Err(s.g(ctx).Where("id = ?", id).Delete(&mediaRow{}).Error)
}

func notFound(err error) error {
	if apperr.Is(err, apperr.NotFound) {
		return apperr.New(apperr.NotFound, "This file does not exist.")
	}
	return err
}
