#!/usr/bin/env bash
# Runs TestPrism (test/prism_test.go): the SDK against Stoplight Prism, a
# mock server and validating proxy run on api/openapi.json. Prism is
# installed with npm, at PRISM_VERSION, into a cache outside the repository
# ($XDG_CACHE_HOME/arthur-go, ~/.cache/arthur-go by default, or
# ARTHUR_CACHE_DIR), once: a later run finds it there. A machine without
# node and npm skips the run, and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
PRISM_VERSION=5.14.2
GO=${GO:-go}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "node not found: make conformance skipped"
	exit 0
fi

dir="${ARTHUR_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/arthur-go}/prism-$PRISM_VERSION"
bin="$dir/node_modules/.bin/prism"
if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null)" != "$PRISM_VERSION" ]; then
	echo "installing @stoplight/prism-cli@$PRISM_VERSION into $dir"
	mkdir -p "$dir"
	# 5.14.2 is the newest Prism whose package allows the node of Debian's
	# stable release (node >= 18.20.1; 5.16 asks for node 24).
	npm install --prefix "$dir" --save-exact --no-audit --no-fund --loglevel=error \
		"@stoplight/prism-cli@$PRISM_VERSION"
fi
echo "prism $("$bin" --version) at $bin, node $(node --version)"

# -v for TestPrism's counts, without a line per passing subtest.
cd test
ARTHUR_PRISM="$bin" SCARF_ANALYTICS=false "$GO" test -count=1 -timeout=20m -run '^TestPrism$' -v . |
	grep -Ev '^ *(=== (RUN|PAUSE|CONT)|--- PASS)'
