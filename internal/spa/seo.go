package spa

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// ModuleSlugs lists the slugs of the published modules. Every published module's page (its
// outline) is public, so each one belongs in the sitemap; the catalog supplies them.
type ModuleSlugs func(ctx context.Context) ([]string, error)

// publicPaths are the pages anyone may read that are worth a search engine's visit, in the
// order the sitemap lists them; module pages follow.
var publicPaths = []string{"/", "/catalog", "/pricing"}

// privatePaths are the signed-in areas and one-time links that crawlers should leave alone.
// /api/ is the JSON API.
var privatePaths = []string{
	"/api/", "/dashboard", "/account", "/admin", "/studio", "/teams", "/billing",
	"/assessments", "/skills", "/invites/", "/reset-password", "/verify-email",
}

// SEO serves /robots.txt and /sitemap.xml with absolute URLs under the public URL, so the SPA's
// history fallback never answers them with index.html.
type SEO struct {
	base    string
	modules ModuleSlugs
}

// NewSEO builds the handler; publicURL is PUBLIC_URL (scheme and host, maybe a path prefix).
func NewSEO(publicURL string, modules ModuleSlugs) *SEO {
	return &SEO{base: strings.TrimRight(publicURL, "/"), modules: modules}
}

// Routes mounts the two files on the root of the router (static routes win over the SPA's
// catch-all whatever the order).
func (s *SEO) Routes(e *echo.Echo) {
	e.GET("/robots.txt", s.handleRobots)
	e.GET("/sitemap.xml", s.handleSitemap)
}

// Robots is the robots.txt text: public pages allowed, the API and signed-in areas not, and
// where the sitemap is.
func (s *SEO) Robots() string {
	var b strings.Builder
	b.WriteString("User-agent: *\nAllow: /\n")
	for _, p := range privatePaths {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("\nSitemap: " + s.base + "/sitemap.xml\n")
	return b.String()
}

func (s *SEO) handleRobots(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=3600")
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(s.Robots()))
}

// sitemapURL and urlSet are the sitemaps.org 0.9 schema, as much of it as Rapport uses.
type sitemapURL struct {
	Loc string `xml:"loc"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"urlset"`
	XMLNS   string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

// Sitemap renders sitemap.xml for the given module slugs.
func (s *SEO) Sitemap(slugs []string) ([]byte, error) {
	set := urlSet{XMLNS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, p := range publicPaths {
		set.URLs = append(set.URLs, sitemapURL{Loc: s.base + p})
	}
	for _, slug := range slugs {
		set.URLs = append(set.URLs, sitemapURL{Loc: s.base + "/modules/" + url.PathEscape(slug)})
	}
	body, err := xml.MarshalIndent(set, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(body, '\n')...), nil
}

func (s *SEO) handleSitemap(c echo.Context) error {
	slugs, err := s.modules(c.Request().Context())
	if err != nil {
		return err
	}
	body, err := s.Sitemap(slugs)
	if err != nil {
		return err
	}
	// Short: a newly published module should reach the sitemap soon.
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=300")
	return c.Blob(http.StatusOK, "application/xml; charset=utf-8", body)
}
