package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzhttp"
	kgzip "github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"
)

// Body is a JSON response prepared once and served many times (published lessons, a report that
// concurrent requests share): the encoded bytes and their gzip, made when the body is built, so
// serving it costs a copy instead of an encode and a compression per request.
type Body struct {
	// ContentType is the body's media type; empty means application/json.
	ContentType string
	// JSON is the body as it is (named for the usual case; a CSV report is prepared the same way).
	JSON []byte
	// Gzip is JSON compressed at the best ratio, or nil when compressing does not pay (small bodies).
	Gzip []byte
}

// minGzip is the size under which a body goes out as it is: gzip's framing eats the gain.
const minGzip = 1024

// NewBody encodes v as JSON (as c.JSON would, with a trailing newline) and compresses it.
func NewBody(v any) (Body, error) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return Body{}, err
	}
	return NewBodyBytes(buf.Bytes()), nil
}

// NewBodyBytes prepares an already encoded body (JSON unless ContentType is set afterwards).
func NewBodyBytes(js []byte) Body {
	b := Body{JSON: js}
	if len(js) < minGzip {
		return b
	}
	// Small bodies (lessons, built once and served for months) get the best ratio; big ones (a
	// 500-rep report, built per burst of requests that wait for it) the fastest level, which
	// compresses a megabyte of JSON in a few milliseconds.
	level := gzip.BestCompression
	if len(js) > 256<<10 {
		level = gzip.BestSpeed
	}
	var z bytes.Buffer
	zw, _ := kgzip.NewWriterLevel(&z, level) // the level is valid
	_, _ = zw.Write(js)                      // writes to memory do not fail
	_ = zw.Close()
	if z.Len() < len(js) {
		b.Gzip = z.Bytes()
	}
	return b
}

// Size is the bytes the body holds in memory (both forms), for caches that bound themselves.
func (b Body) Size() int { return len(b.JSON) + len(b.Gzip) }

// ServeBody writes b with status, gzipped when the client accepts gzip and a compressed form
// exists; the compression middleware passes such a response through untouched.
func ServeBody(c echo.Context, status int, b Body) error {
	h := c.Response().Header()
	if b.ContentType != "" {
		h[echo.HeaderContentType] = []string{b.ContentType}
	} else {
		h[echo.HeaderContentType] = jsonContentType
	}
	out := b.JSON
	if b.Gzip != nil {
		if !varies(h, echo.HeaderAcceptEncoding) { // the compression middleware may have said it
			h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		}
		if acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) {
			h[echo.HeaderContentEncoding] = gzipEncoding
			out = b.Gzip
		}
	}
	h[echo.HeaderContentLength] = []string{strconv.Itoa(len(out))}
	c.Response().WriteHeader(status)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	_, err := c.Response().Write(out)
	return err
}

// varies reports whether h's Vary already names field.
func varies(h http.Header, field string) bool {
	for _, v := range h.Values(echo.HeaderVary) {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), field) {
				return true
			}
		}
	}
	return false
}

var (
	jsonContentType = []string{echo.MIMEApplicationJSON}
	gzipEncoding    = []string{"gzip"}
)

// acceptsGzip reads Accept-Encoding: gzip listed without q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// compress gzips responses of 1 kB and more for clients that accept it (klauspost's gzhttp:
// pooled writers, a faster deflate than the standard library's), at the fastest level: the
// bodies compressed per request are small JSON, where the fastest level loses little ratio.
// A response whose handler set Content-Encoding (a prepared Body, a stored file) passes
// through untouched. The handler's error is rendered inside, so an error body is compressed and
// flushed like any other.
func compress(skip func(echo.Context) bool) echo.MiddlewareFunc {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(minGzip), gzhttp.CompressionLevel(gzip.BestSpeed),
		gzhttp.EnableZstd(false))
	if err != nil {
		panic(err) // the options are constants: a failure is a programming error
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip(c) || c.Request().Header.Get(echo.HeaderAcceptEncoding) == "" {
				return next(c)
			}
			res := c.Response()
			orig := res.Writer
			defer func() { res.Writer = orig }()
			wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				res.Writer = w
				if err := next(c); err != nil {
					c.Error(err)
				}
			})).ServeHTTP(orig, c.Request())
			return nil
		}
	}
}

// bufferedJSON is Echo's JSON serializer, but it encodes into a pooled buffer first so the
// response carries a Content-Length and goes out in one write, instead of a chunked body for
// anything over net/http's 2 kB buffer.
type bufferedJSON struct{ echo.DefaultJSONSerializer }

var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Serialize implements echo.JSONSerializer.
func (bufferedJSON) Serialize(c echo.Context, i any, indent string) error {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 { // keep small buffers only: one big report must not pin a megabyte
			jsonBuffers.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(i); err != nil {
		return err
	}
	c.Response().Header()[echo.HeaderContentLength] = []string{strconv.Itoa(buf.Len())}
	_, err := c.Response().Write(buf.Bytes())
	return err
}
