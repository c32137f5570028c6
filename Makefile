# Shujiao — one Makefile for people and CI alike.
GO        ?= go
BIN       := bin/shujiao
COMMIT    := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS   := -X main.commit=$(COMMIT)

.PHONY: build run test fuzz lint bench fmt clean

# The router fuzz targets (internal/httpapi/router_fuzz_test.go): a few
# seconds each in `make test`, FUZZTIME each in `make fuzz`. Their corpus
# lives in internal/httpapi/testdata/fuzz/.
FUZZ_TARGETS := FuzzRouterAccounts FuzzRouterListings FuzzRouterOrders FuzzRouterLedger FuzzRouterRegulator
FUZZTIME     ?= 2m

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/shujiao

## run: build, seed the demo world and serve on :8080 (private PostgreSQL under ./var unless DATABASE_URL is set)
run: build
	./$(BIN) demo
	exec ./$(BIN) serve

## test: every test, with the race detector, against a real PostgreSQL
test:
	$(GO) test -race -count=1 -timeout 30m ./...
	@for t in $(FUZZ_TARGETS); do \
		$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime 5s ./internal/httpapi || exit 1; \
	done

## fuzz: each router fuzz target for FUZZTIME (default 2m)
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) ./internal/httpapi || exit 1; \
	done

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
