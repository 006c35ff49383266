package apptest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"testing"
)

// Password is the password of every account NewUser creates.
const Password = "correct horse battery"

// User is a verified account a test created, with the tokens of its latest sign-in.
type User struct {
	ID, Email, Name, Token string
	// Refresh is the refresh cookie of the latest sign-in.
	Refresh *http.Cookie
}

// NewUser creates a verified account at prefix-<random>@example.com holding role (and learner;
// "" means learner only) with Password, and signs it in through the API.
func (a *App) NewUser(tb testing.TB, prefix, role string) *User {
	tb.Helper()
	return newUser(tb, a, a, prefix, role)
}

// Login signs u in with password through POST /auth/login and keeps its access token and refresh
// cookie (tests that move the clock by days sign in again: access tokens expire by the app's clock).
func (a *App) Login(tb testing.TB, u *User, password string) {
	tb.Helper()
	login(tb, a, u, password)
}

// NewUser is App.NewUser with the sign-in checked against the contract.
func (c *Checked) NewUser(tb testing.TB, prefix, role string) *User {
	tb.Helper()
	return newUser(tb, c.App, c, prefix, role)
}

// Login is App.Login with the exchange checked against the contract.
func (c *Checked) Login(tb testing.TB, u *User, password string) {
	tb.Helper()
	login(tb, c, u, password)
}

// doer sends a request: an App, or a Checked one.
type doer interface{ Do(Request) *Response }

func newUser(tb testing.TB, a *App, d doer, prefix, role string) *User {
	tb.Helper()
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	email := prefix + "-" + hex.EncodeToString(b) + "@example.com"
	u, err := a.Identity.CreateUser(context.Background(), email, Password, "", role)
	if err != nil {
		tb.Fatalf("create %s: %v", email, err)
	}
	usr := &User{ID: u.ID, Email: email, Name: u.Name}
	login(tb, d, usr, Password)
	return usr
}

func login(tb testing.TB, d doer, u *User, password string) {
	tb.Helper()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	r := d.Do(Request{Method: "POST", Path: "/api/v1/auth/login",
		Body: map[string]string{"email": u.Email, "password": password}}).Want(http.StatusOK)
	r.Decode(&out)
	u.Token, u.Refresh = out.AccessToken, r.Cookie("rapport_refresh")
}
