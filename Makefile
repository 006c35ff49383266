# Rapport: `make run` starts it locally, `make test` runs every test. See README.md.
SHELL := /bin/bash
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/rapport-hq/rapport/internal/app.Version=$(VERSION)


.PHONY: build run test test-go test-web test-e2e frontend frontend-deps tools fmt vet clean bench drill api-types

build: frontend ## Build bin/rapport with the web app inside
	go build -trimpath -ldflags '$(LDFLAGS)' -o bin/rapport ./cmd/rapport

frontend-deps:
	@cd frontend && if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; fi

api-types: frontend-deps ## Regenerate the web app's API types (frontend/src/api/schema.d.ts) from the OpenAPI contract
	./scripts/api-types.sh

frontend: frontend-deps
	cd frontend && npm run build
	@touch frontend/dist/.gitkeep

run: build ## Build, find or start PostgreSQL, load the curriculum and demo accounts, serve
	./scripts/run.sh

tools: ## Install stripe-mock, Mailpit and (as root) Chromium for the tests
	./scripts/install-tools.sh

test: tools build ## Every test: Go (race detector on), frontend unit tests, browser tests
	./scripts/test.sh

test-go: tools
	./scripts/test.sh go

test-e2e: tools build
	./scripts/test.sh e2e

bench: ## Load figures into bench/results/bench.md: 2000 seeded learners, vegeta, bare Echo and raw pgx baselines
	go build -trimpath -ldflags '$(LDFLAGS)' -o bin/rapport ./cmd/rapport
	RAPPORT_BIN=bin/rapport ./bench/run.sh

drill: ## Failure drills into bench/results/drill.md: database outage, SIGTERM under load, two processes
	go build -trimpath -ldflags '$(LDFLAGS)' -o bin/rapport ./cmd/rapport
	RAPPORT_BIN=bin/rapport ./bench/drill.sh

.PHONY: lighthouse web-images
lighthouse: build ## Lighthouse (mobile) on the landing page and catalog into bench/results/lighthouse.md; not part of make test
	./bench/lighthouse.sh

web-images: ## Cut the landing page's product pictures (WebP, display size) from docs/screenshots; commit the results
	./scripts/web-images.sh

fmt:
	gofmt -w cmd internal migrations content frontend/embed.go

vet:
	go vet ./...

clean:
	rm -rf bin frontend/dist/assets frontend/dist/index.html

.PHONY: screenshots
screenshots: tools build ## Refresh the README screenshots (the demo accounts' screens, landing, pricing), then the landing page's copies
	UPDATE_SCREENSHOTS=1 ./scripts/test.sh e2e e2e/demo.spec.ts e2e/landing.spec.ts e2e/billing.spec.ts
	./scripts/web-images.sh
