#!/usr/bin/env bash
# Runs the whole system locally on its embedded defaults: every service on a SQLite file under .local/, the
# development Dapr sidecar stand-in (events between the services; SMS and e-mail written as files under
# .local/sms and .local/email), development tokens (scripts/dev-token.sh), gRPC on loopback ports.
# It builds only what it runs, waits until every service answers health, then prints "ready". Ctrl-C stops all.
#   scripts/run-local.sh           tokens: HS256 development tokens (scripts/dev-token.sh)
#   scripts/run-local.sh --oidc    tokens: the development OpenID provider (services/Watershed.DevIdentity) on :5100; the
#                                  services validate its RS256 tokens through discovery and JWKS as production validates
#                                  Keycloak's, and call each other with their own client-credentials identities
#                                  (scripts/dev-oidc-token.sh gets a token). Development only, never deployed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mkdir -p .local
oidc=false
for arg in "$@"; do
  case "$arg" in
    --oidc) oidc=true ;;
    *) echo "unknown option $arg; expected --oidc" >&2; exit 2 ;;
  esac
done
identity_port=5100

services=(
  "Consultation:5101"
  "LandUse:5102"
  "Indicators:5103"
)
[ -f services/Notifications/Watershed.Notifications.csproj ] && services+=("Notifications:5104")
sidecar_grpc=50001
sidecar_http=3500
# Dapr's app API token for this run: the stand-in sends it to each service's AppCallback (dapr-api-token), and the
# services refuse AppCallback calls without it, as with daprd's APP_API_TOKEN.
app_api_token=$(head -c 32 /dev/urandom | base64 | tr -d '/+=')

# buf is how a person calls the services (README, scripts/walkthrough-*.sh), and how this script asks for health.
if [ ! -x scripts/tools/node_modules/.bin/buf ]; then
  (cd scripts/tools && npm ci --no-audit --no-fund --loglevel=error)
fi
buf=scripts/tools/node_modules/.bin/buf

extra=()
$oidc && extra+=("Watershed.DevIdentity:0")
for entry in "${services[@]}" "Watershed.DevSidecar:0" "Watershed.Demo:0" "Web:0" "${extra[@]}"; do
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
(cd "$root/.local" && exec env APP_API_TOKEN="$app_api_token" dotnet "$root/services/Watershed.DevSidecar/bin/Debug/net10.0/Watershed.DevSidecar.dll" \
   --Sidecar:GrpcUrl="http://127.0.0.1:$sidecar_grpc" --Sidecar:HttpUrl="http://127.0.0.1:$sidecar_http" \
   --Sidecar:DataDirectory="$root/.local/sidecar" "${apps[@]}" \
   --Sidecar:Bindings:sms:Type=bindings.twilio.sms --Sidecar:Bindings:sms:Directory="$root/.local/sms" \
   --Sidecar:Bindings:sms:FromNumber=+51984000000 \
   --Sidecar:Bindings:email:Type=bindings.smtp --Sidecar:Bindings:email:Directory="$root/.local/email" \
   --Sidecar:Bindings:email:EmailFrom=avisos@watershed.local --Sidecar:Bindings:email:ContentType=text/plain) &
pids+=($!)
echo "dev sidecar (stand-in for daprd): grpc http://127.0.0.1:$sidecar_grpc, store .local/sidecar, messages .local/sms and .local/email"

auth=()
demo_identity=()
if $oidc; then
  (cd "$root/.local" && exec dotnet "$root/services/Watershed.DevIdentity/bin/Debug/net10.0/Watershed.DevIdentity.dll" \
     --DevIdentity:Url="http://127.0.0.1:$identity_port") &
  pids+=($!)
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$identity_port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$identity_port/healthz" >/dev/null || { echo "DevIdentity did not start on :$identity_port" >&2; exit 1; }
  echo "DevIdentity (development OpenID provider): http://127.0.0.1:$identity_port (accounts: /dev/accounts)"
  auth=(Auth__Authority="http://127.0.0.1:$identity_port/" Auth__Issuer="http://127.0.0.1:$identity_port/" Auth__RequireHttpsMetadata=false)
  demo_identity=(--identity "http://127.0.0.1:$identity_port")
fi

for entry in "${services[@]}"; do
  name=${entry%%:*}; port=${entry##*:}; lower=$(echo "$name" | tr '[:upper:]' '[:lower:]')
  identity=()
  $oidc && identity=("${auth[@]}" Auth__ClientId="$lower" Auth__ClientSecret="$lower-dev-secret")
  # Indicators starts with its survey data (Demo__Seed): Pomacanchi's areas, a baseline and a follow-up round.
  (cd "$root/.local" && exec env ASPNETCORE_ENVIRONMENT=Development Demo__Seed=true Grpc__Reflection=true "${identity[@]}" \
     DAPR_GRPC_ENDPOINT="http://127.0.0.1:$sidecar_grpc" APP_API_TOKEN="$app_api_token" \
     Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$port" \
     Database__ConnectionString="Data Source=$root/.local/$lower.db" \
     dotnet "$root/services/$name/bin/Debug/net10.0/Watershed.$name.dll" --contentRoot "$root/services/$name") &
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

# The web app (services/Web) on :5200: people sign in at the OpenID provider, so sign-in needs --oidc (the services
# then accept the provider's tokens); without it the pages show, and signing in is refused.
web_port=5200
(cd "$root/.local" && exec env ASPNETCORE_ENVIRONMENT=Development Kestrel__Endpoints__Http__Url="http://127.0.0.1:$web_port" \
   Web__Oidc__Authority="http://127.0.0.1:$identity_port/" Web__Oidc__RequireHttpsMetadata=false \
   Services__consultation__Address="http://127.0.0.1:5101" \
   dotnet "$root/services/Web/bin/Debug/net10.0/Watershed.Web.dll" --contentRoot "$root/services/Web") &
pids+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$web_port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$web_port/healthz" >/dev/null || { echo "the web app did not start on :$web_port" >&2; exit 1; }
web_note="sign in as facilitator.pomacanchi (password watershed)"
$oidc || web_note="sign-in needs scripts/run-local.sh --oidc (the development OpenID provider)"
echo "Web: http://127.0.0.1:$web_port ($web_note)"

# The connected Pomacanchi demo, loaded once through the public APIs (a second start finds it and changes nothing).
dotnet services/Watershed.Demo/bin/Debug/net10.0/Watershed.Demo.dll --state .local/demo.json "${demo_identity[@]}"
open_ballot=$(python3 -c "import json; print(json.load(open('.local/demo.json'))['OpenBallotId'])" 2>/dev/null || true)

token_help='TOKEN=$(scripts/dev-token.sh admin '"'"'*'"'"')'
facilitator_token='$(scripts/dev-token.sh facilitator pomacanchi)'
if $oidc; then
  token_help='TOKEN=$(scripts/dev-oidc-token.sh admin)        (or facilitator.pomacanchi, member.cachora, ...; --service landuse)'
  facilitator_token='$(scripts/dev-oidc-token.sh facilitator.pomacanchi)'
fi

cat <<TXT
ready
  Web:    http://127.0.0.1:$web_port  ($web_note)
  Demo:   Pomacanchi: four communities, the basin council's roll, the land-use plan (approved by the assembly's vote),
          survey rounds, a plan target, recipients with preferences; ids in .local/demo.json.
          Close the open ballot on the Sallma spring and read the messages it sends (.local/sms, .local/email):
            $buf curl --protocol grpc --http2-prior-knowledge -H "Authorization: Bearer $facilitator_token" \\
              -d '{"ballotId":"$open_ballot"}' http://127.0.0.1:5101/watershed.consultation.v1.ProposalService/CloseBallot
  Token:  $token_help
  Try:    $buf curl --protocol grpc --http2-prior-knowledge -H "Authorization: Bearer \$TOKEN" \\
            http://127.0.0.1:5101/watershed.consultation.v1.StakeholderService/ListWatersheds
  Walkthroughs: scripts/walkthrough-consultation.sh, scripts/walkthrough-landuse.sh, scripts/walkthrough-indicators.sh
  Events: curl http://127.0.0.1:$sidecar_http/dev/deliveries?state=delivered ; messages in .local/sms and .local/email
TXT
wait
