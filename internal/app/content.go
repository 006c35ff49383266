package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/config"
	"github.com/rapport-hq/rapport/internal/media"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/storage"
	"github.com/rapport-hq/rapport/internal/practice"
)

// ContentImporter builds what `rapport content import` needs on d: the catalog with the media
// library in the bucket STORAGE_URL names, since module folders may ship media. It reads no
// lessons for anybody, so it needs no roles, entitlements or progress.
func ContentImporter(ctx context.Context, cfg *config.Config, d *db.DB, log *slog.Logger) (*catalog.Service, error) {
	bucket, err := openBucket(ctx, cfg)
	if err != nil {
		return nil, err
	}
	lessonMedia := catalog.NewMediaGate(d, catalog.NoRoles{}, catalog.NoEntitlements{})
	med := media.NewService(media.Deps{DB: d, Storage: bucket, Now: time.Now, Log: log, Limits: mediaLimits(cfg),
		Usage: mediaUsage{lessonMedia}, Gate: mediaGate{lessonMedia}})
	return catalog.NewService(catalog.Deps{DB: d, Roles: catalog.NoRoles{}, Entitlements: catalog.NoEntitlements{},
		Progress: catalog.NoProgress{}, Managers: catalog.NoManagers{}, Media: catalogMedia{med}, MediaImporter: catalogMedia{med}}), nil
}

// openBucket opens the storage STORAGE_URL names (S3 keys from the config).
func openBucket(ctx context.Context, cfg *config.Config) (*storage.Bucket, error) {
	b, err := storage.Open(ctx, cfg.StorageURL, storage.Keys{AccessKeyID: cfg.S3AccessKeyID, SecretAccessKey: cfg.S3SecretAccessKey})
	if err != nil {
		return nil, fmt.Errorf("config: STORAGE_URL %v", err)
	}
	return b, nil
}

// mediaLimits are the largest file of each kind the config allows.
func mediaLimits(cfg *config.Config) media.Limits {
	return media.Limits{Image: int64(cfg.MediaMaxImageMB) << 20, Document: int64(cfg.MediaMaxDocMB) << 20, AV: int64(cfg.MediaMaxAVMB) << 20}
}

// ContentPracticeImporter builds what `rapport content import` needs for practice activities:
// the importer with the media library (buyer lines are media files) and the catalog's renderer.
func ContentPracticeImporter(ctx context.Context, cfg *config.Config, d *db.DB, log *slog.Logger) (*practice.Importer, error) {
	bucket, err := openBucket(ctx, cfg)
	if err != nil {
		return nil, err
	}
	lessonMedia := catalog.NewMediaGate(d, catalog.NoRoles{}, catalog.NoEntitlements{})
	med := media.NewService(media.Deps{DB: d, Storage: bucket, Now: time.Now, Log: log, Limits: mediaLimits(cfg),
		Usage: mediaUsage{lessonMedia}, Gate: mediaGate{lessonMedia}})
	return practice.NewImporter(d, practiceMedia{med}, practiceMarkdown{catalog.NewRenderer()}, time.Now), nil
}
