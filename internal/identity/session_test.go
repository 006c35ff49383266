package identity_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/platform/token"
)

func TestAccessTokensAreChecked(t *testing.T) {
	a := apptest.New(t, nil)
	secret := []byte(apptest.Env(t, nil)("JWT_SECRET"))
	acc := signedIn(t, a, "tokens", "")
	now := time.Now()
	claims := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": token.Issuer, "aud": []string{token.Audience}, "sub": acc.ID,
			"iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(), "typ": "access", "jti": uuid.NewString()}
		if mod != nil {
			mod(c)
		}
		return c
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	past, err := token.New(secret, func() time.Time { return now.Add(-2 * time.Hour) })
	if err != nil {
		t.Fatal(err)
	}
	expired, _, err := past.Issue(acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	ghost, _, _ := a.Identity.Keys().Issue(uuid.NewString())

	// The forging helper itself is right: an honest HS256 token with the test secret passes.
	if code, _ := me(t, a, forge(t, jwt.SigningMethodHS256, claims(nil), secret)); code != http.StatusOK {
		t.Fatalf("control token = %d, want 200", code)
	}
	tests := []struct {
		name   string
		header string
	}{
		{"no token", ""},
		{"Basic scheme", "Basic dXNlcjpwYXNz"},
		{"empty bearer", "Bearer "},
		{"garbage", "Bearer not.a.jwt"},
		{"alg none", "Bearer " + forge(t, jwt.SigningMethodNone, claims(nil), jwt.UnsafeAllowNoneSignatureType)},
		{"HS512 with the right secret", "Bearer " + forge(t, jwt.SigningMethodHS512, claims(nil), secret)},
		{"RS256", "Bearer " + forge(t, jwt.SigningMethodRS256, claims(nil), rsaKey)},
		{"RS256 header over an HS256 signature", "Bearer " + hmacToken(t, `{"alg":"RS256","typ":"JWT"}`, claims(nil), secret)},
		{"wrong secret", "Bearer " + forge(t, jwt.SigningMethodHS256, claims(nil), []byte("another-secret-another-secret-0123456"))},
		{"expired", "Bearer " + expired},
		{"wrong audience", "Bearer " + forge(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["aud"] = "stripe" }), secret)},
		{"wrong issuer", "Bearer " + forge(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["iss"] = "someone-else" }), secret)},
		{"typ refresh", "Bearer " + forge(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["typ"] = "refresh" }), secret)},
		{"no typ", "Bearer " + forge(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { delete(c, "typ") }), secret)},
		{"no exp", "Bearer " + forge(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { delete(c, "exp") }), secret)},
		{"refresh cookie value as bearer", "Bearer " + acc.Refresh.Value},
		{"valid token of an account that never existed", "Bearer " + ghost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr map[string]string
			if tt.header != "" {
				hdr = map[string]string{"Authorization": tt.header}
			}
			r := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Header: hdr})
			wantProblem(t, r, http.StatusUnauthorized)
		})
	}

	t.Run("token of a deleted account", func(t *testing.T) {
		victim := signedIn(t, a, "deleted", "")
		if code, _ := me(t, a, victim.Access); code != http.StatusOK {
			t.Fatalf("before delete: %d", code)
		}
		if err := a.DB.Gorm.Exec("DELETE FROM users WHERE id = ?", victim.ID).Error; err != nil {
			t.Fatal(err)
		}
		wantProblem(t, a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: victim.Access}), http.StatusUnauthorized)
		wantProblem(t, a.Do(apptest.Request{Method: "GET", Path: "/api/v1/admin/users", Token: victim.Access}), http.StatusUnauthorized)
		wantProblem(t, refresh(a, victim.Refresh), http.StatusUnauthorized)
	})
}

func TestRefreshRotatesAndDetectsReuse(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "rotate", "")
	other := login(t, a, acc.Email, password) // a second session of the same user

	r := refresh(a, acc.Refresh).Want(http.StatusOK)
	body := r.JSON()
	if got := sortedKeys(body); len(got) != 2 || got[0] != "access_token" || got[1] != "expires_in" || body["expires_in"] != float64(900) {
		t.Errorf("refresh body = %v, want {access_token, expires_in: 900}", body)
	}
	second := r.Cookie(identity.RefreshCookie)
	if second == nil || second.Value == "" || second.Value == acc.Refresh.Value {
		t.Fatalf("rotated cookie = %+v, want a new value", second)
	}
	if !second.HttpOnly || second.Path != "/api/v1/auth" || second.SameSite != http.SameSiteLaxMode {
		t.Errorf("rotated cookie attributes = %+v", second)
	}
	if code, m := me(t, a, body["access_token"].(string)); code != http.StatusOK || m["id"] != acc.ID {
		t.Fatalf("new access token: GET /me = %d %v", code, m)
	}
	third := refresh(a, second).Want(http.StatusOK).Cookie(identity.RefreshCookie)

	// Replaying a spent token kills the whole family, including the newest token.
	replay := refresh(a, acc.Refresh)
	wantProblem(t, replay, http.StatusUnauthorized)
	if ck := replay.Cookie(identity.RefreshCookie); ck == nil || ck.MaxAge >= 0 {
		t.Errorf("a refused refresh should clear the cookie, got %+v", ck)
	}
	wantProblem(t, refresh(a, third), http.StatusUnauthorized)
	wantProblem(t, refresh(a, second), http.StatusUnauthorized)
	var fam string
	if err := a.DB.Gorm.Raw("SELECT family_id FROM refresh_tokens WHERE token_hash = sha256(convert_to(?, 'UTF8'))", third.Value).Scan(&fam).Error; err != nil || fam == "" {
		t.Fatalf("find family: %q %v", fam, err)
	}
	if n := count(t, a, "SELECT count(*) FROM refresh_tokens WHERE family_id = ? AND revoked_at IS NULL", fam); n != 0 {
		t.Errorf("%d tokens of the reused family are still live", n)
	}

	// The user's other session is a different family and lives on.
	refresh(a, other.Refresh).Want(http.StatusOK)
}

func TestRefreshRefusesBadCookies(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "badcookie", "")
	random := make([]byte, 32)
	_, _ = rand.Read(random)
	for name, cookies := range map[string][]*http.Cookie{
		"no cookie":     nil,
		"empty cookie":  {{Name: identity.RefreshCookie, Value: ""}},
		"random cookie": {{Name: identity.RefreshCookie, Value: base64.RawURLEncoding.EncodeToString(random)}},
		"access token":  {{Name: identity.RefreshCookie, Value: acc.Access}},
		"other name":    {{Name: "refresh", Value: acc.Refresh.Value}},
	} {
		t.Run(name, func(t *testing.T) {
			wantProblem(t, a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: cookies}), http.StatusUnauthorized)
		})
	}
	refresh(a, acc.Refresh).Want(http.StatusOK) // none of that harmed the real session

	t.Run("expired", func(t *testing.T) {
		late := signedIn(t, a, "expires", "")
		a.Advance(identity.RefreshTTL + time.Hour)
		wantProblem(t, refresh(a, late.Refresh), http.StatusUnauthorized)
	})
}

func TestConcurrentRefreshIsSingleUse(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "parallel", "")
	const n = 5
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = refresh(a, acc.Refresh).Code
		}()
	}
	wg.Wait()
	ok, unauthorized := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			ok++
		case http.StatusUnauthorized:
			unauthorized++
		}
	}
	if ok != 1 || unauthorized != n-1 {
		t.Fatalf("codes = %v, want exactly one 200 and the rest 401 (never a 500)", codes)
	}
}

func TestLogout(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "logout", "")
	r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/logout", Cookie: []*http.Cookie{acc.Refresh}}).Want(http.StatusNoContent)
	if ck := r.Cookie(identity.RefreshCookie); ck == nil || ck.MaxAge >= 0 || ck.Value != "" || ck.Path != "/api/v1/auth" {
		t.Errorf("logout cookie = %+v, want it cleared on /api/v1/auth", ck)
	}
	wantProblem(t, refresh(a, acc.Refresh), http.StatusUnauthorized)
	login(t, a, acc.Email, password) // logging out does not lock the account

	for name, cookies := range map[string][]*http.Cookie{
		"no cookie":      nil,
		"unknown cookie": {{Name: identity.RefreshCookie, Value: "nope"}},
		"spent cookie":   {acc.Refresh},
	} {
		t.Run(name, func(t *testing.T) {
			a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/logout", Cookie: cookies}).Want(http.StatusNoContent)
		})
	}
}

func TestLogoutAllEndsEverySession(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "logoutall", "")
	s1 := login(t, a, acc.Email, password)
	s2 := login(t, a, acc.Email, password)
	bystander := signedIn(t, a, "bystander", "")

	wantProblem(t, a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/logout-all"}), http.StatusUnauthorized)
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/logout-all", Token: s1.Access}).Want(http.StatusNoContent)
	for name, ck := range map[string]*http.Cookie{"registration": acc.Refresh, "first login": s1.Refresh, "second login": s2.Refresh} {
		if r := refresh(a, ck); r.Code != http.StatusUnauthorized {
			t.Errorf("%s session still refreshes after logout-all: %d", name, r.Code)
		}
	}
	refresh(a, bystander.Refresh).Want(http.StatusOK)
	login(t, a, acc.Email, password)
}

func TestGeneratedJWTSecretIsShared(t *testing.T) {
	a1 := apptest.New(t, map[string]string{"JWT_SECRET": ""})
	var stored string
	if err := a1.DB.Gorm.Raw("SELECT value FROM settings WHERE key = 'jwt_secret'").Scan(&stored).Error; err != nil {
		t.Fatal(err)
	}
	key, err := base64.StdEncoding.DecodeString(stored)
	if err != nil || len(key) < 32 {
		t.Fatalf("stored jwt_secret = %q (%d bytes, %v), want base64 of ≥ 32 random bytes", stored, len(key), err)
	}
	a2 := apptest.New(t, map[string]string{"JWT_SECRET": ""})
	acc := signedIn(t, a1, "sharedkey", "")
	if code, m := me(t, a2, acc.Access); code != http.StatusOK || m["id"] != acc.ID {
		t.Fatalf("token from app 1 on app 2: %d %v", code, m)
	}
	var after string
	_ = a2.DB.Gorm.Raw("SELECT value FROM settings WHERE key = 'jwt_secret'").Scan(&after).Error
	if after != stored {
		t.Error("the second app replaced the stored key")
	}
	if n := count(t, a2, "SELECT count(*) FROM settings WHERE key = 'jwt_secret'"); n != 1 {
		t.Errorf("%d jwt_secret rows", n)
	}
	// The generated key really is the one in use: a token signed with it verifies, the
	// configured test secret's tokens do not.
	forged := forge(t, jwt.SigningMethodHS256, jwt.MapClaims{"iss": token.Issuer, "aud": token.Audience, "sub": acc.ID,
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Minute).Unix(), "typ": "access"}, key)
	if code, _ := me(t, a2, forged); code != http.StatusOK {
		t.Errorf("token signed with the stored key = %d, want 200", code)
	}
	configured := apptest.New(t, nil)
	if code, _ := me(t, configured, acc.Access); code != http.StatusUnauthorized {
		t.Errorf("generated-key token on an app with JWT_SECRET set = %d, want 401", code)
	}
}

func forge(t *testing.T, m jwt.SigningMethod, c jwt.MapClaims, key any) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, c).SignedString(key)
	if err != nil {
		t.Fatalf("forge %s: %v", m.Alg(), err)
	}
	return s
}

// hmacToken signs arbitrary header and claims with HS256, whatever alg the header names.
func hmacToken(t *testing.T, header string, c jwt.MapClaims, key []byte) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	payload, err := tok.SigningString()
	if err != nil {
		t.Fatal(err)
	}
	_, claims, _ := strings.Cut(payload, ".")
	signing := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + claims
	sig, err := jwt.SigningMethodHS256.Sign(signing, key)
	if err != nil {
		t.Fatal(err)
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig)
}
