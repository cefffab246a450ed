# Frontdesk: build, run, test and package.
#
# `make run` and `make test` are all a developer needs: both install what is
# missing through `make deps` first. CI runs the same targets (.ci/run).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin
# Fyne's GLFW driver and the race detector both need cgo.
export CGO_ENABLED := 1

GO        ?= go
TAGS      := migrated_fynedo
BIN       := bin/frontdesk
BENCH     ?= .
BENCHTIME ?= 2s
FUZZTIME  ?= 10s
FYNE      := fyne.io/tools/cmd/fyne@v1.7.4
# VERSION is the build's version: `frontdesk --version`, the window's
# preferences and every PDF's footer print it. Outside a git work tree it is
# "dev", and the program then shows the commit Go recorded, if any.
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)

# Tests that open windows need an X display; without one, they get a
# throw-away Xvfb server.
ifeq ($(DISPLAY),)
XVFB := xvfb-run -a -s "-screen 0 1280x1024x24"
endif

.DEFAULT_GOAL := build
.PHONY: deps build run test bench lint fuzz package clean

## deps: install the missing system packages (apt-get, Debian/Ubuntu)
deps:
	bash .ci/deps.sh

## build: compile bin/frontdesk
build: deps
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/frontdesk

## run: start the app on the demo site
run: build
	@if [ -z "$${DISPLAY:-}" ] && [ -z "$${WAYLAND_DISPLAY:-}" ]; then \
		echo "run: Frontdesk needs a display, and DISPLAY and WAYLAND_DISPLAY are empty." >&2; \
		echo "run: start it from a desktop session, or without a screen: xvfb-run -a make run" >&2; \
		exit 1; \
	fi
	./$(BIN) --demo

## test: every test, with the race detector
test: deps
	CGO_ENABLED=1 $(XVFB) $(GO) test -race -tags $(TAGS) -count=1 -timeout 45m ./...

STATICCHECK ?= v0.8.2

## bench: benchmarks (BENCH=regexp, BENCHTIME=2s|100x), output also in bench.out
bench: deps
	$(XVFB) $(GO) test -tags $(TAGS) -run '^$$' -bench '$(BENCH)' -benchtime=$(BENCHTIME) -benchmem ./... | tee bench.out

## lint: gofmt, go vet and staticcheck (a pinned version, fetched by go run the first time)
lint: deps
	@echo "gofmt -l ."
	@unformatted="$$(gofmt -l .)"; \
	if [ -n "$$unformatted" ]; then \
		echo "lint: these files need gofmt -w:" >&2; \
		echo "$$unformatted" >&2; \
		exit 1; \
	fi
	$(GO) vet -tags $(TAGS) ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) -tags $(TAGS) ./...

## fuzz: run every Fuzz target for FUZZTIME each
fuzz: deps
	@files="$$(grep -rl --include='*_test.go' --exclude-dir=testdata --exclude-dir=.git 'func Fuzz' . || true)"; \
	if [ -z "$$files" ]; then \
		echo "fuzz: no Fuzz targets found"; \
		exit 0; \
	fi; \
	for file in $$files; do \
		dir="$$(dirname "$$file")"; \
		for name in $$(grep -oE '^func Fuzz[A-Za-z0-9_]*' "$$file" | cut -d' ' -f2); do \
			echo "$(GO) test -tags $(TAGS) -run '^\$$' -fuzz '^$$name\$$' -fuzztime $(FUZZTIME) $$dir"; \
			$(GO) test -tags $(TAGS) -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) "$$dir"; \
		done; \
	done

## package: a Linux desktop package (Frontdesk.tar.xz) with the icon and metadata of FyneApp.toml
## (fyne package raises Build in FyneApp.toml on each run: commit it with a release)
package: build
	@# fyne package bumps Build in FyneApp.toml: keep the file as committed.
	cp FyneApp.toml bin/FyneApp.toml.keep
	$(GO) run $(FYNE) package -os linux --release --exe bin/frontdesk --name Frontdesk --icon assets/icon.png; \
	status=$$?; mv bin/FyneApp.toml.keep FyneApp.toml; exit $$status

## clean: remove what the targets above produce
clean:
	rm -rf bin fyne-cross bench.out frontdesk *.tar.xz
