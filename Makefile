# arthur-go: the library module is the repository root; test/ is a module of
# its own (its contract checks need kin-openapi, which needs a newer Go than
# the library asks of its users).

GO          ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
BENCHSTAT   ?= $(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
MODULES     := . test

.PHONY: test lint fmt vet staticcheck unit bench bench-peers conformance demo fuzz fuzz-ci generate check-generated

## test: the generated files as the generator writes them, vet, staticcheck,
## every test of both modules with the race detector, and fuzz-ci
test: check-generated lint unit fuzz-ci

## generate: write the models, services, docs pages and operation table from
## api/openapi.json and api/overrides.json (internal/gen); files the
## generator no longer writes are removed
generate:
	$(GO) run ./internal/gen

## check-generated: write nothing; fail, with a diff, where the committed
## generated files are not what the generator writes, or one is stale
check-generated:
	$(GO) run ./internal/gen -check

## unit: the tests alone, with the race detector
unit:
	$(GO) test -race -count=1 ./...
	cd test && $(GO) test -race -count=1 ./...

## fuzz-ci: each fuzz target of the library for FUZZTIME_CI executions (a
## count, not a duration: Go before 1.27 can fail a duration-bound run at its
## deadline with a spurious "context deadline exceeded", golang/go#75804)
## fuzz: each fuzz target of the library for FUZZTIME (60 s), one after another
## A failure leaves its input in testdata/fuzz/<target>/: commit it, and it
## runs with the unit tests from then on.
FUZZTIME_CI ?= 4000x
FUZZTIME    ?= 60s

define run-fuzz
	@set -e; targets=$$($(GO) test -list '^Fuzz' . | grep '^Fuzz'); \
	for f in $$targets; do \
		echo "== $$f, $(1)"; \
		$(GO) test -run='^$$' -fuzz="^$$f\$$" -fuzztime=$(1) .; \
	done
endef

fuzz-ci:
	$(call run-fuzz,$(FUZZTIME_CI))

fuzz:
	$(call run-fuzz,$(FUZZTIME))

## lint: gofmt, go vet and staticcheck on both modules
lint: fmt vet staticcheck

fmt:
	@out=$$(gofmt -l . ); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...
	cd test && $(GO) vet ./...

staticcheck:
	$(STATICCHECK) ./...
	cd test && $(STATICCHECK) ./...

## conformance: the SDK against Stoplight Prism, a mock server and
## validating proxy of api/openapi.json that the project did not write
## (scripts/conformance.sh installs it with npm, once); skipped, and said so,
## where node is not installed
conformance:
	GO=$(GO) ./scripts/conformance.sh

## demo: a guided tour of the SDK against an in-memory fake Arthur (arthurtest)
demo:
	$(GO) run ./examples/demo

## bench: the SDK against a hand-written net/http client, compared by benchstat
bench:
	$(GO) test -run='^$$' -bench=BenchmarkClient -benchmem -count=6 . | tee bench.txt
	$(BENCHSTAT) -col /impl bench.txt

## bench-peers: the same cases against generated oapi-codegen and ogen clients
bench-peers:
	./bench/peers.sh