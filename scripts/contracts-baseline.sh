#!/usr/bin/env bash
# Records the released contracts as the baseline `buf breaking` compares protos/ with (scripts/test.sh).
# Run it on purpose, after an additive change has been released; a breaking change needs a new package
# version (watershed.<area>.v2) instead.
set -euo pipefail
cd "$(dirname "$0")/../protos"
"../scripts/tools/node_modules/.bin/buf" build -o baseline.binpb
echo "protos/baseline.binpb recorded"
