// Package storagetest gives tests every storage backend to run against: a temporary directory
// always, and a fresh bucket on a real S3 server when TEST_S3_URL is set (scripts/test.sh starts
// versitygw and sets it, with TEST_S3_ACCESS_KEY_ID and TEST_S3_SECRET_ACCESS_KEY).
package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Backend is one storage to test against.
type Backend struct {
	// Name is "file" or "s3" (the subtest name).
	Name string
	// URL is a STORAGE_URL.
	URL string
	// Env is the app configuration that selects the backend (STORAGE_URL and keys).
	Env map[string]string
}

// Each runs fn as a subtest per backend. Without TEST_S3_URL the S3 subtest is skipped, with a
// message, rather than silently absent.
func Each(t *testing.T, fn func(t *testing.T, b Backend)) {
	t.Helper()
	t.Run("file", func(t *testing.T) { fn(t, File(t)) })
	t.Run("s3", func(t *testing.T) {
		b, ok := S3(t)
		if !ok {
			t.Skip("TEST_S3_URL is not set: scripts/test.sh starts versitygw and sets it")
		}
		fn(t, b)
	})
}

// File is a bucket in a temporary directory.
func File(t testing.TB) Backend {
	u := (&url.URL{Scheme: "file", Path: t.TempDir()}).String()
	return Backend{Name: "file", URL: u, Env: map[string]string{"STORAGE_URL": u}}
}

// S3 is a fresh bucket on the TEST_S3_URL server.
func S3(t testing.TB) (Backend, bool) {
	endpoint := os.Getenv("TEST_S3_URL")
	if endpoint == "" {
		return Backend{}, false
	}
	key, secret := os.Getenv("TEST_S3_ACCESS_KEY_ID"), os.Getenv("TEST_S3_SECRET_ACCESS_KEY")
	client := s3.NewFromConfig(aws.Config{Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, "")}, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	name := "rapport-test-" + hex.EncodeToString(rnd[:])
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket on %s: %v", endpoint, err)
	}
	u := "s3://" + name + "?endpoint=" + url.QueryEscape(endpoint) + "&region=us-east-1&use_path_style=true"
	return Backend{Name: "s3", URL: u, Env: map[string]string{"STORAGE_URL": u, "S3_ACCESS_KEY_ID": key, "S3_SECRET_ACCESS_KEY": secret}}, true
}
