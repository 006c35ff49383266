package storage_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/storage"
	"github.com/rapport-hq/rapport/internal/platform/storage/storagetest"
)

func open(t *testing.T, b storagetest.Backend) *storage.Bucket {
	t.Helper()
	bk, err := storage.Open(context.Background(), b.URL, storage.Keys{AccessKeyID: b.Env["S3_ACCESS_KEY_ID"], SecretAccessKey: b.Env["S3_SECRET_ACCESS_KEY"]})
	if err != nil {
		t.Fatalf("open %s: %v", b.URL, err)
	}
	t.Cleanup(func() { _ = bk.Close() })
	return bk
}

func TestPutReadRangeListDelete(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, b storagetest.Backend) {
		ctx := context.Background()
		bk := open(t, b)
		if bk.Backend != b.Name {
			t.Fatalf("backend = %q, want %q", bk.Backend, b.Name)
		}
		n, err := bk.Put(ctx, "media/a", "text/plain", strings.NewReader("0123456789"))
		if err != nil || n != 10 {
			t.Fatalf("put: %d, %v", n, err)
		}
		if sz, err := bk.Size(ctx, "media/a"); err != nil || sz != 10 {
			t.Fatalf("size: %d, %v", sz, err)
		}
		r, err := bk.OpenRange(ctx, "media/a", 3, 4)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		_ = r.Close()
		if string(got) != "3456" {
			t.Fatalf("range = %q", got)
		}
		s := bk.NewSeeker(ctx, "media/a", 10)
		if end, _ := s.Seek(0, io.SeekEnd); end != 10 {
			t.Fatalf("seek end = %d", end)
		}
		_, _ = s.Seek(7, io.SeekStart)
		got, _ = io.ReadAll(s)
		_ = s.Close()
		if string(got) != "789" {
			t.Fatalf("seeker read = %q", got)
		}
		objs, err := bk.List(ctx, "media/")
		if err != nil || len(objs) != 1 || objs[0].Key != "media/a" || objs[0].Size != 10 {
			t.Fatalf("list = %+v, %v", objs, err)
		}
		if err := bk.Delete(ctx, "media/a"); err != nil {
			t.Fatal(err)
		}
		if _, err := bk.Size(ctx, "media/a"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("after delete: %v, want ErrNotFound", err)
		}
		if err := bk.Delete(ctx, "media/a"); err != nil {
			t.Fatalf("deleting a missing key: %v", err)
		}
	})
}

type failingReader struct{ sent bool }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.sent {
		return 0, errors.New("client hung up")
	}
	f.sent = true
	return copy(p, "partial bytes"), nil
}

func TestPutLeavesNothingWhenTheSourceFails(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, b storagetest.Backend) {
		ctx := context.Background()
		bk := open(t, b)
		_, err := bk.Put(ctx, "media/broken", "application/octet-stream", storage.SourceReader(&failingReader{}))
		if err == nil || !strings.Contains(err.Error(), "client hung up") || storage.IsUnavailable(err) {
			t.Fatalf("put = %v, want the reader's error unchanged", err)
		}
		if _, err := bk.Size(ctx, "media/broken"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("a failed put left an object: %v", err)
		}
	})
}

func TestUnreachableS3IsUnavailable(t *testing.T) {
	bk, err := storage.Open(context.Background(), "s3://down?endpoint=http://127.0.0.1:1&region=us-east-1&use_path_style=true",
		storage.Keys{AccessKeyID: "k", SecretAccessKey: "s"})
	if err != nil {
		t.Fatalf("open must not contact the store: %v", err)
	}
	_, err = bk.Put(context.Background(), "media/x", "text/plain", strings.NewReader("x"))
	if !apperr.Is(err, apperr.Unavailable) || !storage.IsUnavailable(err) {
		t.Fatalf("put on a dead store = %v, want Unavailable", err)
	}
	if _, err := bk.Size(context.Background(), "media/x"); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("size on a dead store = %v, want Unavailable", err)
	}
}

func TestCheck(t *testing.T) {
	for raw, ok := range map[string]bool{
		"file:///var/lib/rapport/media": true,
		"file://relative/dir":           false,
		"file:relative":                 false,
		"s3://bucket?endpoint=http://127.0.0.1:9000&region=us-east-1&use_path_style=true": true,
		"s3://bucket":                      true,
		"s3://?endpoint=http://x":          false,
		"s3://bucket?endpoint=ftp://x":     false,
		"s3://bucket?use_path_style=maybe": false,
		"s3://bucket?acl=public":           false,
		"gs://bucket":                      false,
		"::not a url":                      false,
	} {
		if err := storage.Check(raw); (err == nil) != ok {
			t.Errorf("Check(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
}
