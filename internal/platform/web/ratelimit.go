package web

import (
	"math"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// IPLimiter limits requests per client address (Echo's RealIP, which trusts X-Forwarded-For only
// from loopback and private proxies): a token bucket per address, refilled at Rate with Burst
// requests in hand. Addresses idle for longer than a full refill are evicted, so a scan from many
// addresses cannot grow the map without bound. Safe for concurrent use.
type IPLimiter struct {
	Rate  rate.Limit
	Burst int
	Now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*ipBucket
	swept   time.Time
}

type ipBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewIPLimiter allows burst requests per address at once and perMinute a minute after that.
func NewIPLimiter(perMinute float64, burst int) *IPLimiter {
	return &IPLimiter{Rate: rate.Limit(perMinute / 60), Burst: burst, Now: time.Now, buckets: map[string]*ipBucket{}}
}

// idle is how long an untouched bucket takes to fill up again; after it, dropping the bucket
// changes nothing for its address.
func (l *IPLimiter) idle() time.Duration {
	return time.Duration(float64(l.Burst)/float64(l.Rate)*float64(time.Second)) + time.Minute
}

// Allow takes one request for addr; when refused it returns how long to wait, in whole seconds.
func (l *IPLimiter) Allow(addr string) (bool, int) {
	now := l.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > l.idle() {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[addr]
	if !ok {
		b = &ipBucket{lim: rate.NewLimiter(l.Rate, l.Burst)}
		l.buckets[addr] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, int(math.Ceil(d.Seconds()))
	}
	return true, 0
}

// Size is how many addresses are tracked (for tests of the eviction).
func (l *IPLimiter) Size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// Middleware refuses a request over the limit with 429 and Retry-After, before the handler runs.
func (l *IPLimiter) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ok, retry := l.Allow(c.RealIP()); !ok {
			return &apperr.Error{Kind: apperr.RateLimited, RetryAfter: retry,
				Detail: "Too many requests from your network. Please wait a moment and try again."}
		}
		return next(c)
	}
}
