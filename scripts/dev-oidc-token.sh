#!/usr/bin/env bash
# Gets an access token from the development OpenID provider (services/Watershed.DevIdentity; development only),
# the way a real client does:
#   scripts/dev-oidc-token.sh <account>            a person: authorization code flow with PKCE, signed in on the provider's
#                                                  page as <account> (admin, facilitator.pomacanchi, member.cachora, ...)
#   scripts/dev-oidc-token.sh --service <client>   a service identity: client credentials (consultation, landuse,
#                                                  indicators, notifications, web)
# The provider is at $WATERSHED_DEV_IDENTITY (default http://127.0.0.1:5100); `scripts/run-local.sh --oidc` starts it.
# Accounts: curl $WATERSHED_DEV_IDENTITY/dev/accounts. Every account's password is "watershed" unless the provider
# was started with another DevIdentity:Password ($WATERSHED_DEV_PASSWORD here).
set -euo pipefail
base=${WATERSHED_DEV_IDENTITY:-http://127.0.0.1:5100}
base=${base%/}
password=${WATERSHED_DEV_PASSWORD:-watershed}
json_field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d.get('$1') or sys.exit('no $1 in the answer: ' + json.dumps(d)))"; }

if [ "${1:-}" = "--service" ]; then
  client=${2:?usage: dev-oidc-token.sh --service <client>}
  curl -sS --fail-with-body -d grant_type=client_credentials -d "client_id=$client" -d "client_secret=$client-dev-secret" \
    "$base/connect/token" | json_field access_token
  exit 0
fi

account=${1:?usage: dev-oidc-token.sh <account> | --service <client>}
redirect=http://127.0.0.1/callback
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
verifier=$(openssl rand 32 | b64url)
challenge=$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | b64url)
jar=$(mktemp); trap 'rm -f "$jar"' EXIT
query="client_id=cli&response_type=code&scope=openid%20profile&redirect_uri=$(python3 -c "import urllib.parse; print(urllib.parse.quote('$redirect', safe=''))")&code_challenge=$challenge&code_challenge_method=S256&state=cli"

# 1. authorize: not signed in yet, so the provider sends the browser to its sign-in page; 2. sign in there;
# 3. authorize again: the provider redirects to the client with a code, which is read, not followed.
curl -sS -o /dev/null -c "$jar" -b "$jar" "$base/connect/authorize?$query"
curl -sS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "username=$account" --data-urlencode "password=$password" \
  --data-urlencode "returnUrl=/connect/authorize?$query" "$base/signin"
location=$(curl -sS -o /dev/null -c "$jar" -b "$jar" -w '%{redirect_url}' "$base/connect/authorize?$query")
case "$location" in
  "$redirect"*code=*) ;;
  *) echo "no code: unknown account or wrong password? (redirected to ${location:-nowhere})" >&2; exit 1 ;;
esac
code=$(python3 -c "import sys, urllib.parse; print(urllib.parse.parse_qs(urllib.parse.urlparse(sys.argv[1]).query)['code'][0])" "$location")
curl -sS --fail-with-body -d grant_type=authorization_code -d client_id=cli --data-urlencode "code=$code" \
  -d "code_verifier=$verifier" --data-urlencode "redirect_uri=$redirect" "$base/connect/token" | json_field access_token
