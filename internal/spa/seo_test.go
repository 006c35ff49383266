package spa

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"
)

func slugs(s ...string) ModuleSlugs {
	return func(context.Context) ([]string, error) { return s, nil }
}

// router is the SEO routes in front of the SPA's catch-all, as the app mounts them.
func router(seo *SEO) *echo.Echo {
	e := echo.New()
	seo.Routes(e)
	New(fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>app</title>")}}).Routes(e)
	return e
}

func get(t *testing.T, e *echo.Echo, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestRobots(t *testing.T) {
	e := router(NewSEO("https://rapport.example/", slugs()))
	rec := get(t, e, "/robots.txt")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("robots.txt: %d %q, want 200 text/plain (not the app)", rec.Code, rec.Header().Get("Content-Type"))
	}
	body := rec.Body.String()
	lines := map[string]bool{}
	for _, l := range strings.Split(body, "\n") {
		lines[l] = true
	}
	for _, want := range []string{"User-agent: *", "Allow: /", "Disallow: /api/", "Disallow: /dashboard",
		"Disallow: /account", "Disallow: /admin", "Disallow: /studio", "Disallow: /teams", "Disallow: /billing",
		"Sitemap: https://rapport.example/sitemap.xml"} {
		if !lines[want] {
			t.Errorf("robots.txt lacks %q:\n%s", want, body)
		}
	}
	for _, public := range []string{"/catalog", "/pricing", "/modules/"} {
		for l := range lines {
			if p, ok := strings.CutPrefix(l, "Disallow: "); ok && strings.HasPrefix(public, p) {
				t.Errorf("robots.txt blocks the public page %s with %q", public, l)
			}
		}
	}
}

func TestSitemap(t *testing.T) {
	e := router(NewSEO("http://localhost:8080", slugs("01-buyer-has-changed", "a&b")))
	rec := get(t, e, "/sitemap.xml")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/xml") {
		t.Fatalf("sitemap.xml: %d %q, want 200 application/xml", rec.Code, rec.Header().Get("Content-Type"))
	}
	var set struct {
		XMLName xml.Name
		URLs    []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &set); err != nil {
		t.Fatalf("not XML: %v\n%s", err, rec.Body.String())
	}
	if set.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" || set.XMLName.Local != "urlset" {
		t.Errorf("root element %v, want the sitemaps.org urlset", set.XMLName)
	}
	var got []string
	for _, u := range set.URLs {
		got = append(got, u.Loc)
	}
	want := []string{"http://localhost:8080/", "http://localhost:8080/catalog", "http://localhost:8080/pricing",
		"http://localhost:8080/modules/01-buyer-has-changed", "http://localhost:8080/modules/a&b"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("sitemap URLs\n got %v\nwant %v", got, want)
	}
	if !strings.Contains(rec.Body.String(), "a&amp;b") {
		t.Errorf("the ampersand is not escaped in the XML: %s", rec.Body.String())
	}
}

func TestSitemapCatalogFailure(t *testing.T) {
	e := router(NewSEO("http://localhost:8080", func(context.Context) ([]string, error) {
		return nil, errors.New("database down")
	}))
	if rec := get(t, e, "/sitemap.xml"); rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "<!doctype") {
		t.Errorf("sitemap with a failing catalog: %d %q, want a 500 that is not the app", rec.Code, rec.Body.String())
	}
}
