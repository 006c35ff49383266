package practice

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"time"
)

// Recordings and buyer lines are played by <video> and <audio> elements, which send no
// Authorization header. Their URLs therefore carry their own permission: an expiry and an HMAC
// of the path and the expiry under a key derived from the server's secret. A link is handed out
// only to a caller who may see the file, and works for at most LinkTTL.

// LinkTTL is the longest a signed link works.
const LinkTTL = time.Hour

// linkStep rounds expiries, so the links a page gets on refetches within a few minutes are
// byte for byte the same and a playing video is not reloaded.
const linkStep = 10 * time.Minute

type linkSigner struct{ key []byte }

func (l linkSigner) sign(path string, exp int64) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(path + "?exp=" + strconv.FormatInt(exp, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// expiry is a link's end: between LinkTTL-linkStep and LinkTTL after now.
func expiry(now time.Time) int64 {
	step := int64(linkStep / time.Second)
	return (now.Unix()/step)*step + int64(LinkTTL/time.Second)
}

// url is the signed link to prefix+id.
func (l linkSigner) url(prefix, id string, now time.Time) string {
	exp := expiry(now)
	path := prefix + id
	return path + "?exp=" + strconv.FormatInt(exp, 10) + "&sig=" + l.sign(path, exp)
}

// valid checks a link's expiry and signature.
func (l linkSigner) valid(path, exp, sig string, now time.Time) bool {
	e, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || e < now.Unix() || e > now.Add(LinkTTL).Unix() {
		return false
	}
	return hmac.Equal([]byte(sig), []byte(l.sign(path, e)))
}
