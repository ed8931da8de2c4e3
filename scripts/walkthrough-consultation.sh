#!/usr/bin/env bash
# A whole assembly through the public gRPC API with buf curl and development tokens, as a person
# would do it: watershed, space, roll, assembly, attendance, proposal, vote, close, acta.
#   scripts/walkthrough-consultation.sh [http://127.0.0.1:5101]
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:-http://127.0.0.1:5101}
source scripts/lib/grpc.sh
code="demo-$(date +%s)"
admin=$(scripts/dev-token.sh admin '*')
facilitator=$(scripts/dev-token.sh facilitator "$code")

call() { rpc "$url" "$1" "watershed.consultation.v1.$2" "$3"; }

ws=$(call "$admin" StakeholderService/CreateWatershed "{\"code\":\"$code\",\"name\":\"Laguna de Pomacanchi\",\"region\":\"Cusco\",\"district\":\"Pomacanchi\"}" | field "['watershed']['id']")
space=$(call "$facilitator" SpaceService/CreateSpace "{\"watershedId\":\"$ws\",\"name\":\"Asamblea General CC Manzanares\",\"kind\":\"SPACE_KIND_COMMUNITY_ASSEMBLY\"}" | field "['space']['id']")
members=()
for name in "Rosa Quispe" "Juan Mamani" "Lucía Huamán" "Pedro Ccori" "Nilda Puma"; do
  person=$(call "$facilitator" StakeholderService/CreatePerson "{\"watershedId\":\"$ws\",\"fullName\":\"$name\",\"preferredLanguage\":\"qu-PE\"}" | field "['person']['id']")
  members+=("$(call "$facilitator" SpaceService/AddMember "{\"spaceId\":\"$space\",\"personId\":\"$person\",\"role\":\"MEMBER_ROLE_VOTING_MEMBER\"}" | field "['member']['id']")")
done
assembly=$(call "$facilitator" AssemblyService/ConveneAssembly "{\"spaceId\":\"$space\",\"title\":\"Asamblea ordinaria\",\"place\":\"Local comunal\",\"scheduledAt\":\"2026-12-05T15:00:00Z\",\"agenda\":[\"Plan de uso del suelo\"]}" | field "['assembly']['id']")
for m in "${members[@]:0:4}"; do
  call "$facilitator" AssemblyService/RecordAttendance "{\"assemblyId\":\"$assembly\",\"memberId\":\"$m\",\"present\":true}" >/dev/null
done
call "$facilitator" AssemblyService/OpenAssembly "{\"assemblyId\":\"$assembly\",\"call\":\"ASSEMBLY_CALL_FIRST\"}" | field "['assembly']['quorum']"
proposal=$(call "$facilitator" ProposalService/CreateProposal "{\"spaceId\":\"$space\",\"title\":\"Proteger el manantial de Sallma\",\"type\":\"PROPOSAL_TYPE_GENERAL\",\"submittedByPersonId\":\"$person\"}" | field "['proposal']['id']")
call "$facilitator" ProposalService/SubmitProposal "{\"proposalId\":\"$proposal\"}" >/dev/null
call "$facilitator" ProposalService/PlaceOnAgenda "{\"proposalId\":\"$proposal\",\"assemblyId\":\"$assembly\"}" >/dev/null
ballot=$(call "$facilitator" ProposalService/OpenBallot "{\"proposalId\":\"$proposal\"}" | field "['ballot']['id']")
choices=(VOTE_CHOICE_YES VOTE_CHOICE_YES VOTE_CHOICE_YES VOTE_CHOICE_NO)
for i in 0 1 2 3; do
  call "$facilitator" ProposalService/CastVote "{\"ballotId\":\"$ballot\",\"memberId\":\"${members[$i]}\",\"choice\":\"${choices[$i]}\",\"clientRequestId\":\"walkthrough-$i-$ballot\"}" | field "['receipt']['receiptCode']"
done
call "$facilitator" ProposalService/CloseBallot "{\"ballotId\":\"$ballot\"}" | field "['ballot']['result']"
call "$facilitator" AssemblyService/CloseAssembly "{\"assemblyId\":\"$assembly\"}" >/dev/null
call "$facilitator" AssemblyService/GetMinutes "{\"assemblyId\":\"$assembly\"}" | field "['text']"
