package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rapport-hq/rapport/internal/app"
)

// cmdUsers: `users create --email E --password-stdin [--name N] [--role R]` and
// `users grant --email E --role R`.
func cmdUsers(ctx context.Context, e *env) error {
	if len(e.args) == 0 {
		return errors.New("users: want a subcommand: create or grant")
	}
	fs := flag.NewFlagSet("users "+e.args[0], flag.ContinueOnError)
	fs.SetOutput(e.stdout)
	email := fs.String("email", "", "the account's e-mail address")
	role := fs.String("role", "", "role: learner, instructor or admin")
	name := fs.String("name", "", "display name (create; default: the part of the e-mail before @)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (create)")
	if err := fs.Parse(e.args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("users: --email is required")
	}
	a, err := app.New(ctx, e.cfg, e.log, startWait)
	if err != nil {
		return err
	}
	defer a.Close()
	switch e.args[0] {
	case "create":
		if !*pwStdin {
			return errors.New("users create: --password-stdin is required (passwords never go on the command line)")
		}
		pw, err := readLine(e.stdin)
		if err != nil {
			return err
		}
		u, err := a.Identity.CreateUser(ctx, *email, pw, *name, *role)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "created %s (%s) with roles %s\n", u.Email, u.ID, strings.Join(u.Roles, ", "))
	case "grant":
		if *role == "" {
			return errors.New("users grant: --role is required")
		}
		u, err := a.Identity.Grant(ctx, *email, *role)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "%s now has roles %s\n", u.Email, strings.Join(u.Roles, ", "))
	default:
		return fmt.Errorf("users: unknown subcommand %q (want create or grant)", e.args[0])
	}
	return nil
}

func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input")
	}
	return line, nil
}
