#!/usr/bin/env bash
# Runs the whole system locally on its embedded defaults: every service on a SQLite file under .local/, the
# development Dapr sidecar stand-in (events between the services; SMS and e-mail written as files under
# .local/sms and .local/email), development tokens (scripts/dev-token.sh), gRPC on loopback ports.
# It builds only what it runs, waits until every service answers health, then prints "ready". Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mkdir -p .local

services=(
  "Consultation:5101"
  "LandUse:5102"
  "Indicators:5103"
)
[ -f services/Notifications/Watershed.Notifications.csproj ] && services+=("Notifications:5104")
sidecar_grpc=50001
sidecar_http=3500

# buf is how a person calls the services (README, scripts/walkthrough-*.sh), and how this script asks for health.
if [ ! -x scripts/tools/node_modules/.bin/buf ]; then
  (cd scripts/tools && npm ci --no-audit --no-fund --loglevel=error)
fi
buf=scripts/tools/node_modules/.bin/buf

for entry in "${services[@]}" "Watershed.DevSidecar:0" "Watershed.Demo:0"; do
  name=${entry%%:*}
  project=services/$name/$( [[ "$name" = Watershed.* ]] && echo "$name" || echo "Watershed.$name").csproj
  dotnet build "$project" -c Debug -nologo -v quiet >/dev/null
done

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null' EXIT INT TERM

apps=()
for entry in "${services[@]}"; do
  name=${entry%%:*}; port=${entry##*:}; lower=$(echo "$name" | tr '[:upper:]' '[:lower:]')
  apps+=("--Sidecar:Apps:$lower:Address=http://127.0.0.1:$port")
done
(cd "$root/.local" && exec dotnet "$root/services/Watershed.DevSidecar/bin/Debug/net10.0/Watershed.DevSidecar.dll" \
   --Sidecar:GrpcUrl="http://127.0.0.1:$sidecar_grpc" --Sidecar:HttpUrl="http://127.0.0.1:$sidecar_http" \
   --Sidecar:DataDirectory="$root/.local/sidecar" "${apps[@]}" \
   --Sidecar:Bindings:sms:Type=bindings.twilio.sms --Sidecar:Bindings:sms:Directory="$root/.local/sms" \
   --Sidecar:Bindings:sms:FromNumber=+51984000000 \
   --Sidecar:Bindings:email:Type=bindings.smtp --Sidecar:Bindings:email:Directory="$root/.local/email" \
   --Sidecar:Bindings:email:EmailFrom=avisos@watershed.local --Sidecar:Bindings:email:ContentType=text/plain) &
pids+=($!)
echo "dev sidecar (stand-in for daprd): grpc http://127.0.0.1:$sidecar_grpc, store .local/sidecar, messages .local/sms and .local/email"

for entry in "${services[@]}"; do
  name=${entry%%:*}; port=${entry##*:}; lower=$(echo "$name" | tr '[:upper:]' '[:lower:]')
  # Indicators starts with its survey data (Demo__Seed): Pomacanchi's areas, a baseline and a follow-up round.
  (cd "$root/.local" && ASPNETCORE_ENVIRONMENT=Development Demo__Seed=true Grpc__Reflection=true \
     DAPR_GRPC_ENDPOINT="http://127.0.0.1:$sidecar_grpc" \
     Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$port" \
     Database__ConnectionString="Data Source=$root/.local/$lower.db" \
     exec dotnet "$root/services/$name/bin/Debug/net10.0/Watershed.$name.dll" --contentRoot "$root/services/$name") &
  pids+=($!)
  echo "$name: grpc on http://127.0.0.1:$port (SQLite .local/$lower.db)"
done

for entry in "${services[@]}"; do
  name=${entry%%:*}; port=${entry##*:}
  for _ in $(seq 1 120); do
    if "$buf" curl --protocol grpc --http2-prior-knowledge "http://127.0.0.1:$port/grpc.health.v1.Health/Check" 2>/dev/null | grep -Eq '"status": *"SERVING"'; then
      break
    fi
    sleep 0.5
  done
  "$buf" curl --protocol grpc --http2-prior-knowledge "http://127.0.0.1:$port/grpc.health.v1.Health/Check" 2>/dev/null | grep -Eq '"status": *"SERVING"' \
    || { echo "$name did not become healthy on :$port" >&2; exit 1; }
done

# The connected Pomacanchi demo, loaded once through the public APIs (a second start finds it and changes nothing).
dotnet services/Watershed.Demo/bin/Debug/net10.0/Watershed.Demo.dll --state .local/demo.json
open_ballot=$(python3 -c "import json; print(json.load(open('.local/demo.json'))['OpenBallotId'])" 2>/dev/null || true)

cat <<TXT
ready
  Demo:   Pomacanchi: four communities, the basin council's roll, the land-use plan (approved by the assembly's vote),
          survey rounds, a plan target, recipients with preferences; ids in .local/demo.json.
          Close the open ballot on the Sallma spring and read the messages it sends (.local/sms, .local/email):
            $buf curl --protocol grpc --http2-prior-knowledge -H "Authorization: Bearer \$(scripts/dev-token.sh facilitator pomacanchi)" \\
              -d '{"ballotId":"$open_ballot"}' http://127.0.0.1:5101/watershed.consultation.v1.ProposalService/CloseBallot
  Token:  TOKEN=\$(scripts/dev-token.sh admin '*')
  Try:    $buf curl --protocol grpc --http2-prior-knowledge -H "Authorization: Bearer \$TOKEN" \\
            http://127.0.0.1:5101/watershed.consultation.v1.StakeholderService/ListWatersheds
  Walkthroughs: scripts/walkthrough-consultation.sh, scripts/walkthrough-landuse.sh, scripts/walkthrough-indicators.sh
  Events: curl http://127.0.0.1:$sidecar_http/dev/deliveries?state=delivered ; messages in .local/sms and .local/email
TXT
wait
