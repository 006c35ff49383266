package progress_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// certificateBody is the JSON of one certificate.
type certificateBody struct {
	Code        string    `json:"code"`
	UserName    string    `json:"user_name"`
	ModuleSlug  string    `json:"module_slug"`
	ModuleTitle string    `json:"module_title"`
	IssuedAt    time.Time `json:"issued_at"`
}

func TestCertificateIssueAndVerification(t *testing.T) {
	a := apptest.New(t, nil)
	m := mustModule(t, a, 2, true)
	l, other := mustLearner(t, a, ""), mustLearner(t, a, "")
	ctx := context.Background()

	if at, err := a.Progress.LastCompletion(ctx, l.ID); err != nil || at != nil {
		t.Fatalf("LastCompletion before any = %v, %v", at, err)
	}
	if r := mustPut(t, a, l.Token, m.Lessons[0], call{Status: "completed"}); r.Certificate != nil {
		t.Fatalf("certificate after one of two lessons: %+v", r.Certificate)
	}
	mustPut(t, a, l.Token, m.Lessons[1], call{Status: "started"})
	done := mustPut(t, a, l.Token, m.Lessons[1], call{Status: "completed"})
	if done.Certificate == nil || !regexp.MustCompile(`^[A-Z2-7]{10}$`).MatchString(done.Certificate.Code) {
		t.Fatalf("no certificate (or a malformed code) after the last lesson: %+v", done)
	}
	code := done.Certificate.Code
	if again := mustPut(t, a, l.Token, m.Lessons[1], call{Status: "completed"}); again.Certificate == nil || again.Certificate.Code != code {
		t.Errorf("repeating the completion changed the certificate: %+v", again.Certificate)
	}
	if n := count(t, a, `SELECT count(*) FROM certificates WHERE user_id = ?`, l.ID); n != 1 {
		t.Errorf("certificates = %d, want 1", n)
	}

	var list struct {
		Certificates []certificateBody `json:"certificates"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/certificates", Token: l.Token}).Want(http.StatusOK).Decode(&list)
	if len(list.Certificates) != 1 {
		t.Fatalf("list = %+v", list)
	}
	c := list.Certificates[0]
	if c.Code != code || c.UserName != l.Name || c.ModuleSlug != m.Slug || c.ModuleTitle != m.Title || c.IssuedAt.IsZero() {
		t.Errorf("certificate = %+v", c)
	}
	at, err := a.Progress.LastCompletion(ctx, l.ID)
	if err != nil || at == nil || !at.Equal(c.IssuedAt) {
		t.Errorf("LastCompletion = %v, %v; want %v", at, err, c.IssuedAt)
	}

	t.Run("public verification", func(t *testing.T) {
		for _, path := range []string{code, strings.ToLower(code)} {
			var pub certificateBody
			a.Do(apptest.Request{Method: "GET", Path: "/api/v1/certificates/" + path}).Want(http.StatusOK).Decode(&pub)
			if pub != c {
				t.Errorf("public %s = %+v, want %+v", path, pub, c)
			}
		}
	})
	t.Run("unknown codes", func(t *testing.T) {
		for _, bad := range []string{"AAAAAAAAAA", "short", "0000000000", strings.Repeat("A", 11)} {
			a.Do(apptest.Request{Method: "GET", Path: "/api/v1/certificates/" + bad}).Want(http.StatusNotFound)
		}
	})
	t.Run("another learner's list", func(t *testing.T) {
		var theirs struct {
			Certificates []certificateBody `json:"certificates"`
		}
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/certificates", Token: other.Token}).Want(http.StatusOK).Decode(&theirs)
		if theirs.Certificates == nil || len(theirs.Certificates) != 0 {
			t.Errorf("other learner's list = %+v, want an empty list", theirs)
		}
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/certificates"}).Want(http.StatusUnauthorized)
	})
}

// TestCertificateParallelCompletion finishes a module's two lessons from two tabs at once: each
// transaction alone sees only its own lesson completed, so without serialisation neither would
// issue the certificate.
func TestCertificateParallelCompletion(t *testing.T) {
	a := apptest.New(t, nil)
	m := mustModule(t, a, 2, true)
	for round := range 5 {
		l := mustLearner(t, a, "")
		var wg sync.WaitGroup
		for _, id := range m.Lessons {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if r := put(a, l.Token, id, call{Status: "completed"}); r.Code != http.StatusOK {
					t.Errorf("round %d: status %d", round, r.Code)
				}
			}()
		}
		wg.Wait()
		if n := count(t, a, `SELECT count(*) FROM certificates WHERE user_id = ?`, l.ID); n != 1 {
			t.Errorf("round %d: certificates = %d, want 1", round, n)
		}
	}
}

func TestCertificateFollowsLatestVersion(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	m := mustModule(t, a, 1, true)
	l := mustLearner(t, a, "")
	mustPut(t, a, l.Token, m.Lessons[0], call{Status: "started"})

	// A second lesson is published before the learner finishes: finishing the first is not enough.
	slug, title, minutes, md := "l2", "Lesson 2", 5, "## More\n\nText.\n"
	if _, err := a.Catalog.CreateLesson(ctx, m.Slug, catalogLesson(slug, title, minutes, md)); err != nil {
		t.Fatal(err)
	}
	mustPublish(t, a, m.Slug)
	cm, err := a.Catalog.CatalogModule(ctx, "", m.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if r := mustPut(t, a, l.Token, m.Lessons[0], call{Status: "completed"}); r.Certificate != nil {
		t.Errorf("certificate with a lesson of the latest version unread: %+v", r.Certificate)
	}
	if r := mustPut(t, a, l.Token, cm.Lessons[1].ID, call{Status: "completed"}); r.Certificate == nil {
		t.Error("no certificate after every lesson of the latest version")
	}
}
