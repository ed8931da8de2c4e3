#!/usr/bin/env bash
# Watershed's benchmark, in one command: builds in Release, starts what it measures on loopback (a durable throwaway
# PostgreSQL cluster, the services as processes), warms up, prints one table (each path beside its baseline measured
# in the same run, as a ratio, with the issue's target) and writes it as JSON.
#
#   scripts/bench.sh                 everything: ballot sizes 1k/10k/100k, surveys, events (about 15 minutes here)
#   scripts/bench.sh quick           small sizes only (about a minute): a smoke run
#   scripts/bench.sh consultation    one part: consultation | indicators | events, with or without quick
#
# Results: .local/bench/results.json (or --json FILE). Run it on a quiet machine: it measures, it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
dotnet build tests/Watershed.Benchmarks -c Release -nologo -v quiet
mkdir -p .local/bench
json=.local/bench/results.json
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --json) json="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
exec dotnet run -c Release --no-build --project tests/Watershed.Benchmarks -- "${args[@]}" --json "$json"
