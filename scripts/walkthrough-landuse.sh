#!/usr/bin/env bash
# A land-use plan from boundary to approval, with buf curl and development tokens: the district draws
# the watershed boundary, imports the zones (GeoJSON), submits the version for consultation; the
# community assembly approves it in the consultation service; land use then approves the version,
# citing that decision, and exports it as KML for Google Earth.
#   scripts/walkthrough-landuse.sh [landuse-url] [consultation-url]
set -euo pipefail
cd "$(dirname "$0")/.."
landuse=${1:-http://127.0.0.1:5102}
consultation=${2:-http://127.0.0.1:5101}
source scripts/lib/grpc.sh
code="plan-demo-$(date +%s)"
admin=$(scripts/dev-token.sh admin '*')
facilitator=$(scripts/dev-token.sh facilitator "$code")
lu() { rpc "$landuse" "$facilitator" "watershed.landuse.v1.$1" "$2"; }
co() { rpc "$consultation" "$facilitator" "watershed.consultation.v1.$1" "$2"; }

boundary='{"type":"Polygon","coordinates":[[[-71.62,-14.08],[-71.52,-14.08],[-71.52,-13.98],[-71.62,-13.98],[-71.62,-14.08]]]}'
unit=$(lu WatershedUnitService/CreateWatershedUnit "$(python3 -c 'import json,sys; print(json.dumps({"code":sys.argv[1],"name":"Laguna de Pomacanchi","boundaryGeojson":sys.argv[2]}))' "$code" "$boundary")" | field "['watershedUnit']['id']")
version=$(lu PlanService/CreatePlan "{\"watershedUnitId\":\"$unit\",\"title\":\"Plan de ordenamiento territorial de Pomacanchi\",\"horizon\":{\"fromYear\":2027,\"toYear\":2036},\"goals\":[\"Proteger las cabeceras de cuenca\"]}" | field "['firstVersion']['id']")
zones=$(base64 -w0 services/LandUse/Samples/pomacanchi_zones.geojson)
lu PlanService/ImportPlanVersionZones "{\"planVersionId\":\"$version\",\"geojson\":\"$zones\"}" \
  | python3 -c "import json,sys; v=json.load(sys.stdin)['planVersion']; [print(f\"{z['content']['zoneCode']:<12} {z['content']['category']:<40} {z['areaHa']:9.2f} ha\") for z in v['zones']]; print(f\"total {v['areaHa']:.2f} ha\")"
lu PlanService/SubmitPlanVersion "{\"planVersionId\":\"$version\"}" | field "['planVersion']['state']"

# The assembly decides in the consultation service.
ws=$(rpc "$consultation" "$admin" watershed.consultation.v1.StakeholderService/CreateWatershed "{\"code\":\"$code\",\"name\":\"Laguna de Pomacanchi\"}" | field "['watershed']['id']")
space=$(co SpaceService/CreateSpace "{\"watershedId\":\"$ws\",\"name\":\"Asamblea distrital\",\"kind\":\"SPACE_KIND_COMMUNITY_ASSEMBLY\"}" | field "['space']['id']")
members=()
for name in "Rosa Quispe" "Juan Mamani" "Lucía Huamán"; do
  person=$(co StakeholderService/CreatePerson "{\"watershedId\":\"$ws\",\"fullName\":\"$name\"}" | field "['person']['id']")
  members+=("$(co SpaceService/AddMember "{\"spaceId\":\"$space\",\"personId\":\"$person\",\"role\":\"MEMBER_ROLE_VOTING_MEMBER\"}" | field "['member']['id']")")
done
assembly=$(co AssemblyService/ConveneAssembly "{\"spaceId\":\"$space\",\"title\":\"Aprobación del POT\",\"place\":\"Municipalidad\",\"scheduledAt\":\"2026-12-12T15:00:00Z\"}" | field "['assembly']['id']")
for m in "${members[@]}"; do co AssemblyService/RecordAttendance "{\"assemblyId\":\"$assembly\",\"memberId\":\"$m\",\"present\":true}" >/dev/null; done
co AssemblyService/OpenAssembly "{\"assemblyId\":\"$assembly\",\"call\":\"ASSEMBLY_CALL_FIRST\"}" >/dev/null
proposal=$(co ProposalService/CreateProposal "{\"spaceId\":\"$space\",\"title\":\"Aprobar el POT 2027-2036\",\"type\":\"PROPOSAL_TYPE_PLAN_APPROVAL\",\"submittedByPersonId\":\"$person\",\"references\":[{\"kind\":\"landuse.plan_version\",\"id\":\"$version\"}]}" | field "['proposal']['id']")
co ProposalService/SubmitProposal "{\"proposalId\":\"$proposal\"}" >/dev/null
co ProposalService/PlaceOnAgenda "{\"proposalId\":\"$proposal\",\"assemblyId\":\"$assembly\"}" >/dev/null
ballot=$(co ProposalService/OpenBallot "{\"proposalId\":\"$proposal\"}" | field "['ballot']['id']")
for m in "${members[@]}"; do co ProposalService/CastVote "{\"ballotId\":\"$ballot\",\"memberId\":\"$m\",\"choice\":\"VOTE_CHOICE_YES\",\"clientRequestId\":\"pot-$m\"}" >/dev/null; done
co ProposalService/CloseBallot "{\"ballotId\":\"$ballot\"}" | field "['proposal']['state']"

# Land use approves the version, citing the decision; consultation is asked, not trusted blindly.
lu PlanService/ApprovePlanVersion "{\"planVersionId\":\"$version\",\"proposalId\":\"$proposal\"}" | field "['planVersion']['state']"
lu PlanService/ExportPlanVersion "{\"planVersionId\":\"$version\",\"format\":\"EXPORT_FORMAT_KML\"}" \
  | python3 -c "import json,sys,base64; e=json.load(sys.stdin); print(e['fileName'], len(base64.b64decode(e['content'])), 'bytes', e['mediaType'])"
