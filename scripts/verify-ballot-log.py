#!/usr/bin/env python3
"""Recomputes a consultation ballot's published log and its tally, independently of the service.

    scripts/verify-ballot-log.py BALLOT.json LOG.json [LOG-PAGE-2.json ...]

BALLOT.json is the answer of ProposalService/GetBallot (or the Ballot message alone); each LOG.json is an answer of
ProposalService/GetBallotLog, in order when the log was read in pages. Both as protobuf JSON, which is what
`buf curl` prints. Only the Python standard library is used.

It checks that every entry's hash is the SHA-256 of its fields in the documented byte format
(protos/watershed/consultation/v1/proposals.proto, BallotLogEntry), that each entry links to the one before,
that the last hash is the ballot's log head hash and the log is complete, that voids name an earlier vote that still
counted and that a paper count holds no more ballots than were issued; then it recounts the votes (with the count of
a ballot box, whose blank and spoiled ballots count for no side) and applies the ballot's decision rule. It prints what it
found and exits 0 when everything holds, 1 when anything does not, 2 when the input cannot be read.
"""

import hashlib
import json
import sys

GENESIS = "0" * 64
CHOICES = {"VOTE_CHOICE_YES": 1, "VOTE_CHOICE_NO": 2, "VOTE_CHOICE_ABSTAIN": 3, "VOTE_CHOICE_BLOCK": 4}
COUNTED = ("yes", "no", "abstain", "block")
PAPER = COUNTED + ("blank", "spoiled")


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def number(value):
    """Protobuf JSON writes int64 as a string and leaves zero values out."""
    return int(value) if value not in (None, "") else 0


def choice_number(value):
    if isinstance(value, int):
        return value
    if value not in CHOICES:
        raise ValueError(f"unknown vote choice {value!r}")
    return CHOICES[value]


def expected_hash(entry, previous, ballot_id):
    kind = entry.get("kind", "BALLOT_LOG_ENTRY_KIND_VOTE")
    sequence = number(entry.get("sequence"))
    if kind == "BALLOT_LOG_ENTRY_KIND_VOID":
        fields = ["watershed.ballot.void.v1", previous, str(sequence), ballot_id,
                  str(number(entry.get("voidedSequence"))), entry.get("reason", "")]
    elif kind == "BALLOT_LOG_ENTRY_KIND_PAPER_TALLY":
        paper = entry.get("paperCount", {})
        fields = ["watershed.ballot.paper-tally.v1", previous, str(sequence), ballot_id] + \
                 [str(number(paper.get(name))) for name in PAPER] + [str(number(entry.get("ballotsIssued")))]
    else:
        fields = ["watershed.ballot.v1", previous, str(sequence), ballot_id, entry.get("receiptCode", ""),
                  str(choice_number(entry.get("choice"))), entry.get("memberId", "")]
    return sha256_hex("|".join(fields))


def decide(rule, tally, eligible, roll):
    """The decision rules of decisions.proto; returns (approved, yes votes required)."""
    yes, no, block = tally["yes"], tally["no"], tally["block"]
    if rule == "DECISION_RULE_SIMPLE_MAJORITY":
        return yes > no, no + 1
    if rule == "DECISION_RULE_ABSOLUTE_MAJORITY_OF_PRESENT":
        required = eligible // 2 + 1
        return yes >= required, required
    if rule == "DECISION_RULE_TWO_THIRDS_OF_ROLL":
        required = max(1, (2 * roll + 2) // 3)  # the ceiling of 2/3 of the roll, in integers
        return yes >= required, required
    if rule == "DECISION_RULE_CONSENSUS":
        return block == 0 and yes >= 1, 1
    raise ValueError(f"unknown decision rule {rule!r}")


def verify(ballot, pages):
    problems = []
    ballot_id = ballot["id"]
    entries = [entry for page in pages for entry in page.get("entries", [])]
    if any(page.get("withheld") for page in pages):
        return ["the log is withheld: a secret ballot publishes it when it closes"], None
    tally = dict.fromkeys(PAPER, 0)
    counted = {}
    previous = GENESIS
    for position, entry in enumerate(entries, start=1):
        sequence = number(entry.get("sequence"))
        where = f"entry {sequence}"
        if sequence != position:
            problems.append(f"{where}: expected sequence {position} (an entry is missing, repeated or out of order)")
        if entry.get("previousHash", "") != previous:
            problems.append(f"{where}: previous_hash does not link to the entry before it")
        if expected_hash(entry, previous, ballot_id) != entry.get("entryHash", ""):
            problems.append(f"{where}: entry_hash is not the hash of its fields")
        kind = entry.get("kind", "BALLOT_LOG_ENTRY_KIND_VOTE")
        if kind == "BALLOT_LOG_ENTRY_KIND_VOID":
            voided = number(entry.get("voidedSequence"))
            if voided not in counted:
                problems.append(f"{where}: voids entry {voided}, which is not an earlier vote that still counted")
            else:
                tally[counted.pop(voided)] -= 1
        elif kind == "BALLOT_LOG_ENTRY_KIND_PAPER_TALLY":
            paper = entry.get("paperCount", {})
            counts = {name: number(paper.get(name)) for name in PAPER}
            issued = number(entry.get("ballotsIssued"))
            if sum(counts.values()) > issued:
                problems.append(f"{where}: the box holds {sum(counts.values())} ballots, more than the {issued} issued")
            for name in PAPER:
                tally[name] += counts[name]
        else:
            name = {1: "yes", 2: "no", 3: "abstain", 4: "block"}[choice_number(entry.get("choice"))]
            tally[name] += 1
            counted[sequence] = name
        previous = entry.get("entryHash", "")

    if previous != ballot.get("logHeadHash", ""):
        problems.append("the last entry's hash is not the ballot's log_head_hash")
    length = max((number(page.get("length")) for page in pages), default=0)
    if length != len(entries):
        problems.append(f"the log has {length} entries and {len(entries)} were given (read every page)")
    return problems, tally


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            ballot = json.load(f)
        ballot = ballot.get("ballot", ballot)
        pages = []
        for name in argv[2:]:
            with open(name, encoding="utf-8") as f:
                pages.append(json.load(f))
        problems, tally = verify(ballot, pages)
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"cannot read the input: {error}", file=sys.stderr)
        return 2

    if tally is not None:
        tally["cast"] = sum(tally[name] for name in COUNTED)
        print("recomputed tally: " + ", ".join(f"{name} {tally[name]}" for name in COUNTED + ("cast",))
              + f"; paper ballots blank {tally['blank']}, spoiled {tally['spoiled']}")
        published = ballot.get("tally")
        if published is not None:
            paper = ballot.get("paper", {})
            differing = [name for name in COUNTED + ("cast",) if number(published.get(name)) != tally[name]] + \
                        [name for name in ("blank", "spoiled") if number(paper.get(name)) != tally[name]]
            if differing:
                problems.append("the published tally differs in: " + ", ".join(differing))
        try:
            approved, required = decide(ballot.get("rule", ""), tally, number(ballot.get("eligible")), number(ballot.get("roll")))
            print(f"rule {ballot.get('rule')}: {'approved' if approved else 'rejected'}, {required} yes required")
            result = ballot.get("result")
            if result is not None:
                if bool(result.get("approved", False)) != approved or number(result.get("requiredYes")) != required:
                    problems.append("the published result is not what the rule gives")
        except ValueError as error:
            problems.append(str(error))

    for problem in problems:
        print("FAIL: " + problem)
    if problems:
        return 1
    print(f"OK: ballot {ballot['id']}: {sum(len(p.get('entries', [])) for p in pages)} entries, the chain holds and the count is the published one")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
