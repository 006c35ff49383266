// Package storage is the one place Rapport keeps files: a bucket on local disk (the default) or on
// any S3-compatible store, chosen by STORAGE_URL. It wraps gocloud.dev/blob so callers see one
// small API whatever the backend, and turns backend failures into apperr.Unavailable.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	"gocloud.dev/blob/s3blob"
	"gocloud.dev/gcerrors"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Keys are the S3 credentials (S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY). Empty keys mean the AWS
// default chain (environment, instance role), which suits a deployment on AWS itself.
type Keys struct {
	AccessKeyID     string
	SecretAccessKey string
}

// Bucket is an opened store.
type Bucket struct {
	b *blob.Bucket
	// Backend is "file" or "s3", for logs and tests.
	Backend string
}

// ErrUnavailable marks a failure of the storage backend itself (down, refusing, timing out).
var errUnavailable = errors.New("storage unavailable")

// unavailable is the error every backend failure becomes: a 503 the customer can read.
func unavailable(err error) error {
	return apperr.Wrap(apperr.Unavailable, "File storage is not answering right now. Nothing was saved; please try again in a minute.",
		errors.Join(errUnavailable, err))
}

// ErrNotFound is returned when a key does not exist.
var ErrNotFound = errors.New("storage: no such object")

// wrap maps a backend error: a missing key is ErrNotFound, anything else is Unavailable.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	if gcerrors.Code(err) == gcerrors.NotFound {
		return ErrNotFound
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return unavailable(err)
}

// Check validates a STORAGE_URL without opening anything: file:///absolute/dir, or
// s3://BUCKET?endpoint=http(s)://HOST:PORT&region=R&use_path_style=true.
func Check(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("is not a valid URL")
	}
	switch u.Scheme {
	case "file":
		if u.Host != "" || !filepath.IsAbs(u.Path) {
			return errors.New("must be file:///absolute/path (three slashes and an absolute directory)")
		}
		return nil
	case "s3":
		if u.Host == "" {
			return errors.New("must name the bucket: s3://BUCKET?endpoint=…&region=…")
		}
		q := u.Query()
		for k := range q {
			switch k {
			case "endpoint", "region", "use_path_style":
			default:
				return fmt.Errorf("has an unknown parameter %q (use endpoint, region, use_path_style)", k)
			}
		}
		if ep := q.Get("endpoint"); ep != "" {
			e, err := url.Parse(ep)
			if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
				return errors.New("has an endpoint that is not an http(s) URL")
			}
		}
		if ps := q.Get("use_path_style"); ps != "" {
			if _, err := strconv.ParseBool(ps); err != nil {
				return errors.New("has a use_path_style that is not true or false")
			}
		}
		return nil
	default:
		return errors.New("must use scheme file or s3")
	}
}

// Open opens the bucket named by raw (see Check). A file bucket's directory is created if missing.
// Opening does not contact an S3 store: a store that is down answers Unavailable on first use, so
// the rest of the app keeps working.
func Open(ctx context.Context, raw string, keys Keys) (*Bucket, error) {
	if err := Check(raw); err != nil {
		return nil, err
	}
	u, _ := url.Parse(raw)
	if u.Scheme == "file" {
		if err := os.MkdirAll(u.Path, 0o750); err != nil {
			return nil, fmt.Errorf("cannot create %s: %w", u.Path, err)
		}
		// Temporary files beside the final ones: a rename across mount points would fail, and the
		// sidecar attribute files are not needed (the database holds type and size).
		b, err := fileblob.OpenBucket(u.Path, &fileblob.Options{NoTempDir: true, Metadata: fileblob.MetadataDontWrite})
		if err != nil {
			return nil, err
		}
		return &Bucket{b: b, Backend: "file"}, nil
	}
	q := u.Query()
	region := q.Get("region")
	if region == "" {
		region = "us-east-1"
	}
	cfg := aws.Config{Region: region, RetryMaxAttempts: 2}
	if keys.AccessKeyID != "" {
		cfg.Credentials = credentials.NewStaticCredentialsProvider(keys.AccessKeyID, keys.SecretAccessKey, "")
	}
	pathStyle, _ := strconv.ParseBool(q.Get("use_path_style"))
	endpoint := q.Get("endpoint")
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.UsePathStyle = pathStyle
		// S3-compatible stores differ in checksum support; ask for checksums only where required.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	b, err := s3blob.OpenBucket(ctx, client, u.Host, &s3blob.Options{RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired})
	if err != nil {
		return nil, err
	}
	return &Bucket{b: b, Backend: "s3"}, nil
}

// Close releases the bucket.
func (b *Bucket) Close() error { return b.b.Close() }

// Put writes r to key, replacing what was there. The object appears only when r is read to its
// end without error: on any error (from r or the backend) nothing is left under key.
func (b *Bucket) Put(ctx context.Context, key, contentType string, r io.Reader) (int64, error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := b.b.NewWriter(wctx, key, &blob.WriterOptions{ContentType: contentType, DisableContentTypeDetection: true})
	if err != nil {
		return 0, wrap(err)
	}
	n, err := io.Copy(w, r)
	if err != nil {
		// Cancelling before Close aborts the write (blob's contract), so no partial object stays.
		cancel()
		_ = w.Close()
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return n, err
		}
		if rerr := (readError{}); errors.As(err, &rerr) {
			return n, rerr.err
		}
		return n, wrap(err)
	}
	if err := w.Close(); err != nil {
		return n, wrap(err)
	}
	return n, nil
}

// readError marks an error that came from the caller's reader rather than the backend, so Put
// returns it unchanged (a client that hung up is not a storage outage).
type readError struct{ err error }

func (e readError) Error() string { return e.err.Error() }
func (e readError) Unwrap() error { return e.err }

// SourceReader wraps r so that its errors reach Put's caller unchanged.
func SourceReader(r io.Reader) io.Reader { return sourceReader{r} }

type sourceReader struct{ r io.Reader }

func (s sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		return n, readError{err}
	}
	return n, err
}

// Delete removes key; a missing key is not an error.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	err := wrap(b.b.Delete(ctx, key))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Size reports the size of key (ErrNotFound when missing).
func (b *Bucket) Size(ctx context.Context, key string) (int64, error) {
	a, err := b.b.Attributes(ctx, key)
	if err != nil {
		return 0, wrap(err)
	}
	return a.Size, nil
}

// ReadAll reads a small object (upload bookkeeping) whole.
func (b *Bucket) ReadAll(ctx context.Context, key string) ([]byte, error) {
	data, err := b.b.ReadAll(ctx, key)
	return data, wrap(err)
}

// Object is one listed key.
type Object struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// List returns every key under prefix.
func (b *Bucket) List(ctx context.Context, prefix string) ([]Object, error) {
	it := b.b.List(&blob.ListOptions{Prefix: prefix})
	var out []Object
	for {
		o, err := it.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, wrap(err)
		}
		if !o.IsDir {
			out = append(out, Object{Key: o.Key, Size: o.Size, ModTime: o.ModTime})
		}
	}
}

// OpenRange reads length bytes of key from offset (length < 0: to the end).
func (b *Bucket) OpenRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	r, err := b.b.NewRangeReader(ctx, key, offset, length, nil)
	if err != nil {
		return nil, wrap(err)
	}
	return errReader{r}, nil
}

// errReader maps read errors of a backend stream to storage errors.
type errReader struct{ r *blob.Reader }

func (e errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		return n, wrap(err)
	}
	return n, err
}
func (e errReader) Close() error { return e.r.Close() }

// Seeker is a read-only view of an object of known size that opens the backend stream lazily
// at the offset of the first Read after a Seek. http.ServeContent seeks to the end and back and
// then to the range asked for: this costs one backend request per range, never a whole-file read.
type Seeker struct {
	ctx  context.Context
	b    *Bucket
	key  string
	size int64
	off  int64
	r    io.ReadCloser
}

// NewSeeker returns a Seeker over key, whose size the caller already knows.
func (b *Bucket) NewSeeker(ctx context.Context, key string, size int64) *Seeker {
	return &Seeker{ctx: ctx, b: b, key: key, size: size}
}

// Read reads from the current offset.
func (s *Seeker) Read(p []byte) (int, error) {
	if s.off >= s.size {
		return 0, io.EOF
	}
	if s.r == nil {
		r, err := s.b.OpenRange(s.ctx, s.key, s.off, -1)
		if err != nil {
			return 0, err
		}
		s.r = r
	}
	n, err := s.r.Read(p)
	s.off += int64(n)
	return n, err
}

// Seek moves the offset; the stream is reopened on the next Read only if the offset changed.
func (s *Seeker) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = s.off + offset
	case io.SeekEnd:
		abs = s.size + offset
	default:
		return s.off, errors.New("storage: bad whence")
	}
	if abs < 0 {
		return s.off, errors.New("storage: seek before start")
	}
	if abs != s.off && s.r != nil {
		_ = s.r.Close()
		s.r = nil
	}
	s.off = abs
	return abs, nil
}

// Close releases the open stream, if any.
func (s *Seeker) Close() error {
	if s.r != nil {
		return s.r.Close()
	}
	return nil
}

// IsUnavailable reports whether err is a storage outage.
func IsUnavailable(err error) bool { return errors.Is(err, errUnavailable) }

// KeyPrefix joins key parts with "/", refusing parts that could escape a prefix.
func KeyPrefix(parts ...string) string {
	for i, p := range parts {
		parts[i] = strings.Trim(strings.ReplaceAll(p, "..", ""), "/")
	}
	return strings.Join(parts, "/")
}
