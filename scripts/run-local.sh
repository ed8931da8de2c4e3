#!/usr/bin/env bash
# Runs the whole system locally on its embedded defaults: every service on a SQLite file under .local/,
# development tokens (scripts/dev-token.sh), gRPC on loopback ports. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mkdir -p .local

services=(
  "Consultation:5101"
  "LandUse:5102"
  "Indicators:5103"
)

# buf is how a person calls the services (README, scripts/walkthrough-*.sh).
if [ ! -x scripts/tools/node_modules/.bin/buf ]; then
  (cd scripts/tools && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet build Watershed.sln -c Debug -nologo -v quiet

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null' EXIT INT TERM
for entry in "${services[@]}"; do
  name=${entry%%:*}; port=${entry##*:}
  lower=$(echo "$name" | tr '[:upper:]' '[:lower:]')
  # Indicators starts with demo data: Pomacanchi, two communities, a baseline and a follow-up round.
  (cd "$root/.local" && ASPNETCORE_ENVIRONMENT=Development Demo__Seed=true \
     Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$port" \
     Database__ConnectionString="Data Source=$root/.local/$lower.db" \
     exec dotnet "$root/services/$name/bin/Debug/net10.0/Watershed.$name.dll" --contentRoot "$root/services/$name") &
  pids+=($!)
  echo "$name: grpc on http://127.0.0.1:$port (SQLite .local/$lower.db)"
done

echo "Token: TOKEN=\$(scripts/dev-token.sh admin '*')   Try: scripts/tools/node_modules/.bin/buf curl --protocol grpc --http2-prior-knowledge -H \"Authorization: Bearer \$TOKEN\" http://127.0.0.1:5101/watershed.consultation.v1.StakeholderService/ListWatersheds"
wait
