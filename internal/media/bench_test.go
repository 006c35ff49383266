package media_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/media"
)

// The serving benchmarks compare GET /media/{id} (database lookup, gate, storage seeker, headers)
// with Go's bare http.ServeContent on the same file on local disk, for a cached image (304 and a
// full 200) and a 1 MiB byte range of a video. bench/media.sh runs them and reports the ratio.

func benchFiles(b *testing.B) (http.Handler, string, string, string) {
	b.Helper()
	gate := fixedGate{}
	svc, h := harness(b, gate, media.NoUsage)
	img := pngFile(200 << 10)
	video := mp4File("isom", 1000, 60000)
	video = append(video, bytes.Repeat([]byte{9}, 8<<20)...)
	i, err := svc.Import(b.Context(), "bench.png", img, "Bench image", "")
	if err != nil {
		b.Fatal(err)
	}
	v, err := svc.Import(b.Context(), "bench.mp4", video, "Bench video", "")
	if err != nil {
		b.Fatal(err)
	}
	gate[i.ID], gate[v.ID] = media.AccessPublic, media.AccessPublic
	return h, i.ID, v.ID, storageDir
}

// storageDir is the file bucket's directory of the latest harness.
var storageDir string

func bareHandler(dir, id string) http.Handler {
	path := filepath.Join(dir, "media", id)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, "", time.Time{}, f)
	})
}

func run(b *testing.B, h http.Handler, path string, hdr map[string]string, want int) {
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			b.Fatalf("%s: %d", path, rec.Code)
		}
	}
}

func BenchmarkServe(b *testing.B) {
	h, img, vid, dir := benchFiles(b)
	rng := map[string]string{"Range": "bytes=1048576-2097151"}
	b.Run("image/rapport", func(b *testing.B) { run(b, h, "/media/"+img, nil, 200) })
	b.Run("image/bare", func(b *testing.B) { run(b, bareHandler(dir, img), "/x", nil, 200) })
	b.Run("video-range/rapport", func(b *testing.B) { run(b, h, "/media/"+vid, rng, 206) })
	b.Run("video-range/bare", func(b *testing.B) { run(b, bareHandler(dir, vid), "/x", rng, 206) })
}

// BenchmarkStreamLarge streams a 500 MB video (the largest file an upload may be) through a real
// HTTP server to a client that discards it, sampling the heap while it flows. The figure is the
// heap's peak growth over the idle baseline: it stays a few MB whatever the file's size, because
// the handler copies from a storage reader in small buffers and never holds the file.
// bench/media.sh reports it.
func BenchmarkStreamLarge(b *testing.B) {
	gate := fixedGate{}
	svc, h := harness(b, gate, media.NoUsage)
	const size = 500 << 20
	id := func() string {
		video := mp4File("isom", 1000, 60000)
		video = append(video, make([]byte, size-len(video))...)
		v, err := svc.Import(b.Context(), "large.mp4", video, "Large video", "")
		if err != nil {
			b.Fatal(err)
		}
		return v.ID
	}()
	gate[id] = media.AccessPublic
	srv := httptest.NewServer(h)
	defer srv.Close()

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	for b.Loop() {
		res, err := srv.Client().Get(srv.URL + "/media/" + id)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 || n != size {
			b.Fatalf("streamed %d of %d bytes, status %d: %v", n, size, res.StatusCode, err)
		}
	}
	close(stop)
	<-done
	growth := 0.0
	if p := peak.Load(); p > before.HeapInuse {
		growth = float64(p-before.HeapInuse) / (1 << 20)
	}
	b.ReportMetric(growth, "peak-heap-growth-MB")
	b.ReportMetric(float64(size)/(1<<20), "file-MB")
}
