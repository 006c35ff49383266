// Package config reads the server configuration from the environment and validates it, so a bad
// value stops the start with one line naming the variable.
package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/storage"
)

// DefaultDatabaseURL is used when DATABASE_URL is not set: the local server of a dev machine.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/rapport?sslmode=disable"

// Config is the whole configuration of a Rapport process.
type Config struct {
	DatabaseURL string
	DBMaxConns  int32
	HTTPAddr    string
	PublicURL   string
	// JWTSecret is the raw HMAC key; empty means "generate once and keep it in the database".
	JWTSecret           []byte
	StripeSecretKey     string
	StripeWebhookSecret string
	StripeAPIBase       string
	SMTPURL             string
	MailFrom            string
	LogLevel            string
	ShutdownTimeout     time.Duration
	// BodyLimit is the largest request body accepted, as Echo's size string (e.g. "1M").
	BodyLimit string
	// TestClock lets admins move the server's clock (RAPPORT_TEST_CLOCK=1); end-to-end tests only.
	TestClock bool
	// PlansFile replaces the built-in billing plans with a YAML file (PLANS_FILE).
	PlansFile string
	// GracePeriodDays keeps a past-due subscription premium this many days (GRACE_PERIOD_DAYS).
	GracePeriodDays int
	// PracticeEffectPrior is the score change retaking the assessment alone is assumed to give,
	// until 30 learners have retaken it without studying (PRACTICE_EFFECT_PRIOR, points, default 0).
	PracticeEffectPrior float64
	// StorageURL is where files are kept: file:///abs/dir (default .data/media) or s3://BUCKET?….
	StorageURL string
	// S3AccessKeyID and S3SecretAccessKey sign requests to an S3 STORAGE_URL.
	S3AccessKeyID, S3SecretAccessKey string
	// MediaMaxImageMB, MediaMaxDocMB and MediaMaxAVMB are the upload limits per kind.
	MediaMaxImageMB, MediaMaxDocMB, MediaMaxAVMB int
	// PracticeMaxMB is the largest practice recording a learner may upload.
	PracticeMaxMB int
}

// Error names the variable whose value is missing or malformed.
type Error struct {
	Var    string
	Reason string
}

func (e *Error) Error() string { return fmt.Sprintf("config: %s %s", e.Var, e.Reason) }

// Load reads the configuration through getenv (os.Getenv in production, a map in tests).
func Load(getenv func(string) string) (*Config, error) {
	c := &Config{
		DatabaseURL:         orDefault(getenv("DATABASE_URL"), DefaultDatabaseURL),
		HTTPAddr:            orDefault(getenv("HTTP_ADDR"), ":8080"),
		PublicURL:           strings.TrimRight(orDefault(getenv("PUBLIC_URL"), "http://localhost:8080"), "/"),
		StripeSecretKey:     getenv("STRIPE_SECRET_KEY"),
		StripeWebhookSecret: getenv("STRIPE_WEBHOOK_SECRET"),
		StripeAPIBase:       strings.TrimRight(getenv("STRIPE_API_BASE"), "/"),
		PlansFile:           strings.TrimSpace(getenv("PLANS_FILE")),
		TestClock:           getenv("RAPPORT_TEST_CLOCK") == "1",
		SMTPURL:             getenv("SMTP_URL"),
		MailFrom:            orDefault(getenv("MAIL_FROM"), "Rapport <no-reply@rapport.local>"),
		LogLevel:            strings.ToLower(orDefault(getenv("LOG_LEVEL"), "info")),
		BodyLimit:           orDefault(getenv("BODY_LIMIT"), "1M"),
	}
	if err := checkURL("DATABASE_URL", c.DatabaseURL, "postgres", "postgresql"); err != nil {
		return nil, err
	}
	if err := checkURL("PUBLIC_URL", c.PublicURL, "http", "https"); err != nil {
		return nil, err
	}
	if c.StripeAPIBase != "" {
		if err := checkURL("STRIPE_API_BASE", c.StripeAPIBase, "http", "https"); err != nil {
			return nil, err
		}
	}
	if c.SMTPURL != "" {
		if err := checkURL("SMTP_URL", c.SMTPURL, "smtp", "smtps"); err != nil {
			return nil, err
		}
	}
	if c.StripeSecretKey != "" && c.StripeWebhookSecret == "" {
		return nil, &Error{"STRIPE_WEBHOOK_SECRET", "is required when STRIPE_SECRET_KEY is set"}
	}
	if s := getenv("JWT_SECRET"); s != "" {
		if len(s) < 32 {
			return nil, &Error{"JWT_SECRET", "must be at least 32 bytes"}
		}
		c.JWTSecret = []byte(s)
	}
	if !strings.HasPrefix(c.HTTPAddr, ":") && !strings.Contains(c.HTTPAddr, ":") {
		return nil, &Error{"HTTP_ADDR", "must be host:port or :port"}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return nil, &Error{"LOG_LEVEL", "must be one of debug, info, warn, error"}
	}
	n, err := intVar(getenv, "DB_MAX_CONNS", 20, 1, 1000)
	if err != nil {
		return nil, err
	}
	c.DBMaxConns = int32(n)
	secs, err := intVar(getenv, "SHUTDOWN_TIMEOUT_SECONDS", 20, 1, 600)
	if err != nil {
		return nil, err
	}
	c.ShutdownTimeout = time.Duration(secs) * time.Second
	if c.GracePeriodDays, err = intVar(getenv, "GRACE_PERIOD_DAYS", 7, 0, 60); err != nil {
		return nil, err
	}
	if raw := strings.TrimSpace(getenv("PRACTICE_EFFECT_PRIOR")); raw != "" {
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil || v < -50 || v > 50 || v != v {
			return nil, &Error{"PRACTICE_EFFECT_PRIOR", "must be a number of score points from -50 to 50"}
		}
		c.PracticeEffectPrior = v
	}
	if err := c.loadMedia(getenv); err != nil {
		return nil, err
	}
	if c.PlansFile != "" {
		if st, err := os.Stat(c.PlansFile); err != nil || st.IsDir() {
			return nil, &Error{"PLANS_FILE", "must name a readable YAML file"}
		}
	}
	return c, nil
}

// SecureCookies reports whether cookies must carry the Secure flag (the public URL is https).
func (c *Config) SecureCookies() bool { return strings.HasPrefix(c.PublicURL, "https://") }

// BillingEnabled reports whether Stripe is configured.
func (c *Config) BillingEnabled() bool { return c.StripeSecretKey != "" }

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}

func checkURL(name, raw string, schemes ...string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return &Error{name, "is not a valid URL"}
	}
	for _, s := range schemes {
		if u.Scheme == s {
			return nil
		}
	}
	return &Error{name, "must use scheme " + strings.Join(schemes, " or ")}
}

func intVar(getenv func(string) string, name string, def, lo, hi int) (int, error) {
	raw := strings.TrimSpace(getenv(name))
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, &Error{name, fmt.Sprintf("must be an integer from %d to %d", lo, hi)}
	}
	return n, nil
}

// loadMedia reads the storage location and the upload limits.
func (c *Config) loadMedia(getenv func(string) string) error {
	c.StorageURL = strings.TrimSpace(getenv("STORAGE_URL"))
	if c.StorageURL == "" {
		dir, err := filepath.Abs(filepath.Join(".data", "media"))
		if err != nil {
			return &Error{"STORAGE_URL", "is not set and the working directory is unknown"}
		}
		c.StorageURL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String()
	}
	if err := storage.Check(c.StorageURL); err != nil {
		return &Error{"STORAGE_URL", err.Error()}
	}
	c.S3AccessKeyID = strings.TrimSpace(getenv("S3_ACCESS_KEY_ID"))
	c.S3SecretAccessKey = strings.TrimSpace(getenv("S3_SECRET_ACCESS_KEY"))
	if (c.S3AccessKeyID == "") != (c.S3SecretAccessKey == "") {
		if c.S3AccessKeyID == "" {
			return &Error{"S3_ACCESS_KEY_ID", "is required when S3_SECRET_ACCESS_KEY is set"}
		}
		return &Error{"S3_SECRET_ACCESS_KEY", "is required when S3_ACCESS_KEY_ID is set"}
	}
	var err error
	if c.MediaMaxImageMB, err = intVar(getenv, "MEDIA_MAX_IMAGE_MB", 10, 1, 1024); err != nil {
		return err
	}
	if c.MediaMaxDocMB, err = intVar(getenv, "MEDIA_MAX_DOC_MB", 25, 1, 1024); err != nil {
		return err
	}
	if c.MediaMaxAVMB, err = intVar(getenv, "MEDIA_MAX_AV_MB", 500, 1, 10240); err != nil {
		return err
	}
	c.PracticeMaxMB, err = intVar(getenv, "PRACTICE_MAX_MB", 200, 1, 10240)
	return err
}
