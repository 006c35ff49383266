package app_test

import (
	"encoding/xml"
	"strings"
)

// seo reads robots.txt and sitemap.xml (after studio published a free and a premium module and
// unpublished a third): served by the server, not the SPA, with absolute URLs under PUBLIC_URL.
func (s *scenario) seo() {
	robots := s.want(nil, 200, "GET", "/robots.txt", nil, nil)
	text := robots.Body.String()
	for _, line := range []string{"User-agent: *", "Allow: /", "Disallow: /api/", "Disallow: /dashboard",
		"Disallow: /studio", "Sitemap: http://rapport.test/sitemap.xml"} {
		if !strings.Contains(text, line+"\n") {
			s.t.Errorf("robots.txt lacks the line %q:\n%s", line, text)
		}
	}
	// A stale bearer token changes nothing for crawlers' files.
	r := s.send(nil, "GET", "/sitemap.xml", nil, map[string]string{"Authorization": "Bearer expired"}).Want(200)
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(r.Body.Bytes(), &set); err != nil {
		s.t.Fatalf("sitemap.xml is not XML: %v\n%s", err, r.Body.String())
	}
	got := map[string]bool{}
	for _, u := range set.URLs {
		got[u.Loc] = true
		if strings.Contains(u.Loc, "contract-gone-") {
			s.t.Errorf("the sitemap lists the unpublished module %s", u.Loc)
		}
	}
	for _, want := range []string{"http://rapport.test/", "http://rapport.test/catalog", "http://rapport.test/pricing",
		"http://rapport.test/modules/" + s.free, "http://rapport.test/modules/" + s.premium} {
		if !got[want] {
			s.t.Errorf("the sitemap lacks %s: %s", want, r.Body.String())
		}
	}
}
