#!/usr/bin/env bash
# The one command that runs every check and every test: contracts lint, the deploy check and its tests, a
# warnings-as-errors build, then all test projects (unit, integration on a throwaway PostgreSQL, SQLite and socket
# smoke tests).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/prerequisites.sh

echo "== buf lint, format and breaking (protos/ against protos/baseline.binpb)"
(cd protos && "$root/scripts/tools/node_modules/.bin/buf" lint && "$root/scripts/tools/node_modules/.bin/buf" format --diff --exit-code \
  && "$root/scripts/tools/node_modules/.bin/buf" breaking --against baseline.binpb)

echo "== deploy: render every kustomization, validate it against the schemas and the code; broken manifests must fail"
node scripts/tools/validate-deploy.mjs "$root"
node --test --test-reporter=dot scripts/tools/validate-deploy.test.mjs

echo "== build"
dotnet build Watershed.sln -c Release -nologo -v quiet

echo "== test"
results="$root/TestResults"
rm -rf "$results"
status=0
# A test that hangs ends its run after 15 minutes (and names itself) instead of holding the whole command.
dotnet test Watershed.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 15m --blame-hang-dump-type none || status=$?

# A short smoke run of the benchmark program (small sizes; its figures are not judged here): it must still run end to
# end, so a change that breaks a measured path's set-up is found here, not when someone next measures.
echo "== benchmark smoke run (scripts/bench.sh quick)"
if ! dotnet run -c Release --no-build --project tests/Watershed.Benchmarks -- all quick --json "$results/bench-smoke.json" \
    > "$results/bench-smoke.log" 2>&1; then
  echo "the benchmark smoke run failed; its output ends:"
  tail -40 "$results/bench-smoke.log"
  status=1
fi

# Clusters left by test processes that ended before they could remove them.
rm -rf /tmp/watershed-pg-* 2>/dev/null || true

# One closing line for the whole run, summed over every test assembly's results.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
runs = glob.glob(sys.argv[1] + "/*.trx")
if not runs:
    failed = 1
for path in runs:
    summary = ET.parse(path).getroot().find("t:ResultSummary", ns)
    c = summary.find("t:Counters", ns)
    run_failed = int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout")) + int(c.get("aborted"))
    if run_failed == 0 and summary.get("outcome") not in ("Completed", "Passed", "Warning"):
        run_failed = 1  # an aborted test run counts as a failure even when no test in it failed
    passed += int(c.get("passed")); failed += run_failed
    skipped += int(c.get("notExecuted"))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
