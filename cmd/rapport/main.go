// Command rapport is the Rapport server and its admin tools:
//
//	rapport serve                      run the HTTP API, the web app and the job workers
//	rapport migrate [up|down|status]   manage the database schema
//	rapport content import [DIR]       load the curriculum (default: the embedded copy)
//	rapport openapi                    print the HTTP contract as production serves it
//	rapport version                    print the version
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // IANA zones inside the binary: learners' weeks are in their own time zone

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/config"
	"github.com/rapport-hq/rapport/internal/platform/obs"
)

const usage = `usage: rapport <command> [args]

commands:
  serve                               run the web server and job workers
  migrate [up|down|status]            apply, roll back or list database migrations (default up)
  content import [DIR]                import the curriculum from DIR (default: embedded content/)
  users create --email E --password-stdin [--name N] [--role R]
  users grant --email E --role R      give an account the instructor or admin role
  billing sync                        create or update the Stripe products and prices of the plans
  demo [--learners N]                 load the curriculum and the demo accounts (idempotent; N load-test learners)
  openapi                             print the API contract (JSON) exactly as production serves it
  version                             print the version
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rapport:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return errors.New("a command is required")
	}
	if args[0] == "version" {
		fmt.Fprintln(stdout, "rapport", app.Version)
		return nil
	}
	if args[0] == "openapi" {
		return cmdOpenAPI(stdout)
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	log := obs.NewLogger(os.Stderr, cfg.LogLevel)
	slog.SetDefault(log)
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprint(stdout, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return cmd(ctx, &env{cfg: cfg, log: log, args: args[1:], stdin: stdin, stdout: stdout})
}

// env is what every subcommand receives.
type env struct {
	cfg    *config.Config
	log    *slog.Logger
	args   []string
	stdin  io.Reader
	stdout io.Writer
}

var commands = map[string]func(context.Context, *env) error{
	"serve":   cmdServe,
	"migrate": cmdMigrate,
	"content": cmdContent,
	"users":   cmdUsers,
	"demo":    cmdDemo,
	"billing": cmdBilling,
}
