# Shujiao — one Makefile for people and CI alike.
GO        ?= go
BIN       := bin/shujiao
COMMIT    := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS   := -X main.commit=$(COMMIT)

.PHONY: build run test lint bench fmt clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/shujiao

## run: build, seed the demo world and serve on :8080 (private PostgreSQL under ./var unless DATABASE_URL is set)
run: build
	./$(BIN) demo
	exec ./$(BIN) serve

## test: every test, with the race detector, against a real PostgreSQL
test:
	$(GO) test -race -count=1 -timeout 30m ./...

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) run honnef.co/go/tools/cmd/staticcheck@latest ./...

## bench: the benchmarks, figures into bench/RESULTS.md
bench: build
	bash bench/run.sh

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin var
