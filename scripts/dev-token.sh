#!/usr/bin/env bash
# Mints a development token the local services accept (HS256 with the development key in
# services/*/appsettings.Development.json; never valid where Auth:Authority or another key is set).
#   scripts/dev-token.sh [role] [watershed-code|*] [person-id] [subject]
#   roles: admin, facilitator, member, viewer, analyst
#   subject: who the token names (default dev-<role>); two facilitators (a paper count entered by one and attested by
#   another) need two subjects, e.g. `scripts/dev-token.sh facilitator cachora "" comite-2`.
set -euo pipefail
role=${1:-admin}
watershed=${2:-*}
person=${3:-}
subject=${4:-dev-$role}
key_b64=${WATERSHED_DEV_SIGNING_KEY:-d2F0ZXJzaGVkLWxvY2FsLWRldmVsb3BtZW50LWtleS1ub3QtYS1zZWNyZXQ=}
now=$(date +%s)
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
person_claim=""
[ -n "$person" ] && person_claim=$(printf ',"person_id":"%s"' "$person")
payload=$(printf '{"sub":"%s","role":"%s","watershed":"%s","iss":"watershed-dev","aud":"watershed","iat":%d,"nbf":%d,"exp":%d%s}' \
  "$subject" "$role" "$watershed" "$now" "$now" $((now + 8 * 3600)) "$person_claim" | b64url)
key_hex=$(printf '%s' "$key_b64" | openssl base64 -d -A | od -An -tx1 | tr -d ' \n')
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
