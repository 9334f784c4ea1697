#!/usr/bin/env bash
# Generates oapi-codegen and ogen clients from the Users V1 part of
# api/openapi.json (bench/usersv1) into a temporary, untracked module and
# runs the SDK's benchmark cases against them, the SDK and a hand-written
# net/http client, in one run. COUNT sets
# -count (6); BENCH sets -bench (BenchmarkClient: every case), for example
# BENCH=BenchmarkClient/Decode for the in-memory page cases alone.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
count=${COUNT:-6}
bench=${BENCH:-BenchmarkClient}
work=$(mktemp -d "${TMPDIR:-/tmp}/arthur-peers.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

cat > go.mod <<MOD
module github.com/arthur-sdk/arthur-go/bench/peerrun

go 1.25

replace github.com/arthur-sdk/arthur-go => $root
MOD
cat > ogen.yml <<'YML'
generator:
  ignore_not_implemented: ["all"]
  features:
    disable_all: true
    enable:
      - "paths/client"
YML

# The peers are generated from the Users V1 part of api/openapi.json, the
# API the benchmarks call (oapi-codegen's output for the whole document
# does not compile without configuration, and ogen skips part of it).
(cd "$root" && go run ./bench/usersv1 api/openapi.json) > usersv1.json
echo "generating the ogen client (v1.24.0)" >&2
go run github.com/ogen-go/ogen/cmd/ogen@v1.24.0 --config ogen.yml --target ogenclient \
  --package ogenclient --clean usersv1.json >/dev/null 2>ogen.log || { cat ogen.log >&2; exit 1; }
echo "generating the oapi-codegen client (v2.8.2)" >&2
mkdir -p oapiclient
go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2 -generate types,client \
  -package oapiclient usersv1.json > oapiclient/client.go

cp "$root/bench/peers/peers_test.go.in" peers_test.go
go mod tidy >/dev/null 2>&1 || go mod tidy
go vet -tags peers ./... >&2

go test -tags peers -run '^$' -bench "$bench" -benchmem -count "$count" . | tee "$root/bench-peers.txt"
go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da -col /impl "$root/bench-peers.txt"
