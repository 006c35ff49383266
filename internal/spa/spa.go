// Package spa serves the embedded single-page app: hashed assets with immutable caching, other
// root files with revalidation, and index.html for every other non-API path (history fallback).
package spa

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// SPA serves files from dist.
type SPA struct {
	files fs.FS
	index []byte
	etag  string
}

// New reads index.html once; a build without it still serves a clear 503 page.
func New(dist fs.FS) *SPA {
	s := &SPA{files: dist}
	if b, err := fs.ReadFile(dist, "index.html"); err == nil {
		s.index = b
		sum := sha256.Sum256(b)
		s.etag = `"` + hex.EncodeToString(sum[:8]) + `"`
	}
	return s
}

// Routes registers the catch-all routes. API paths never fall through to the app: an unknown
// /api path is a problem+json 404.
func (s *SPA) Routes(e *echo.Echo) {
	e.Any("/api/*", func(c echo.Context) error {
		return apperr.New(apperr.NotFound, "This API endpoint does not exist. Check the path and method in the API documentation.")
	})
	e.GET("/*", s.handle)
	e.HEAD("/*", s.handle)
}

func (s *SPA) handle(c echo.Context) error {
	p := strings.TrimPrefix(path.Clean("/"+c.Request().URL.Path), "/")
	if p != "" && p != "index.html" {
		if b, err := fs.ReadFile(s.files, p); err == nil {
			return s.serveFile(c, p, b)
		}
		if strings.HasPrefix(p, "assets/") {
			return echo.NewHTTPError(http.StatusNotFound, "We couldn’t find this file. Reload the page to get the latest version of Rapport.")
		}
	}
	if s.index == nil {
		return c.HTML(http.StatusServiceUnavailable, "<!doctype html><title>Rapport</title><p>The web app was not built. Run <code>make build</code>.</p>")
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", s.etag)
	if c.Request().Header.Get("If-None-Match") == s.etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "text/html; charset=utf-8", s.index)
}

func (s *SPA) serveFile(c echo.Context, p string, b []byte) error {
	h := c.Response().Header()
	if strings.HasPrefix(p, "assets/") {
		// Vite puts a content hash in every asset name, so a name never changes content.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=3600")
	}
	ctype := mime.TypeByExtension(path.Ext(p))
	if ctype == "" {
		ctype = http.DetectContentType(b)
	}
	h.Set(echo.HeaderContentType, ctype)
	http.ServeContent(c.Response(), c.Request(), p, time.Time{}, bytes.NewReader(b))
	return nil
}
