"""Speech → tasks, measured on hand-labelled text: real public speeches, minutes and
supervision bulletins (``tune`` and ``heldout``) and the hand-made speeches (``synthetic``).

Runs without Django::

    PYTHONPATH=src .venv/bin/python bench/speech_eval.py \
        [--part tune|heldout|synthetic|all] [--json]

Each document of ``src/jiangping/tasks/tests/corpus/<part>/`` is a text and a gold JSON (see that
folder's README for the labelling guideline). The script runs
``jiangping.tasks.proposals.propose(text, date, Gazetteer.build([]), home=...)`` on it — ``home``
only when ``propose`` accepts it — with an empty registry, so units are found by their form alone,
and compares the proposals with the gold tasks:

- a proposal **matches** a gold task when its sentence contains the task's quote (both converted to
  Simplified by the product's own ``clean``); task precision counts proposals that match some gold
  task, task recall counts gold tasks matched by some proposal;
- on matched tasks (the first proposal containing the quote): lead and co-units, compared by their
  normalised surface (Simplified, half-width brackets, no spaces, a trailing 等 dropped; the
  registry's synonyms applied, so 市发展改革委 equals 市发改委). A proposed unit is its written
  ``text`` and its resolved ``unit`` name when the proposal lists ``units``, else its
  ``lead_units``/``co_units`` string; it counts as right when either form equals a gold unit;
- deadline: exact ISO date, over all matched tasks (null = null counts as right) and over those
  whose gold has a deadline;
- targets: (subject, value, unit) triples, and (value, unit) pairs for extractors that give no
  subject; a gold value ``X`` equals a proposed ``X``, ``None`` or placeholder;
- the share of proposals with no unit at all, and of matched tasks whose gold names a lead unit
  but whose proposal has none;
- milestones (recall of gold milestone dates) when proposals carry ``milestones``.

It measures; it does not judge: no threshold, exit status 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from jiangping.tasks.proposals import Gazetteer, propose
from jiangping.textkit.clean import clean

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "src" / "jiangping" / "tasks" / "tests" / "corpus"
PARTS = ("tune", "heldout", "synthetic")
PLACEHOLDER = "X"


def normal(text: str) -> str:
    """Simplified, half-width brackets, no blanks: the form both sides are compared in."""
    text = clean(text).text
    text = text.replace("（", "(").replace("）", ")")
    return re.sub(r"\s+", "", text)


def unit_key(text: str, gazetteer: Gazetteer) -> str:
    """A unit surface normalised for comparison: a trailing 等 dropped, synonyms applied."""
    text = normal(text)
    if text.endswith("等") and len(text) > 2:
        text = text[:-1]
    return normal(gazetteer.synonyms.get(text, text))


@dataclass
class Document:
    """One labelled text: ``gold`` is its sidecar JSON, ``text`` the text it labels."""

    part: str
    stem: str
    text: str
    gold: dict

    @property
    def meeting(self) -> dt.date:
        return dt.date.fromisoformat(self.gold["date"])


def load(part: str, corpus: Path = CORPUS) -> list[Document]:
    """The documents of one part, by stem. A sidecar may point at its text with
    ``text_path`` (relative to itself) instead of a ``<stem>.txt`` beside it."""
    documents = []
    for sidecar in sorted((corpus / part).glob("*.json")):
        gold = json.loads(sidecar.read_text(encoding="utf-8"))
        source = sidecar.with_suffix(".txt")
        if "text_path" in gold:
            source = (sidecar.parent / gold["text_path"]).resolve()
        documents.append(Document(part, sidecar.stem, source.read_text(encoding="utf-8"), gold))
    return documents


def run_extractor(document: Document, gazetteer: Gazetteer) -> list[dict]:
    """The proposals of ``document`` as dicts (``Proposal.as_dict``)."""
    kwargs = {}
    if "home" in inspect.signature(propose).parameters:
        kwargs["home"] = document.gold.get("home")
    _normal, proposals = propose(document.text, document.meeting, gazetteer, **kwargs)
    return [p.as_dict() if hasattr(p, "as_dict") else dict(p) for p in proposals]


def proposed_units(proposal: dict, role: str) -> list[set[str]]:
    """Each proposed unit of ``role`` ("lead" or "co") as the set of surfaces it may be
    compared by: its written text and its resolved name."""
    if proposal.get("units"):
        return [{u.get("text") or "", u.get("unit") or ""} - {""}
                for u in proposal["units"] if u.get("role") == role]
    return [{name} for name in proposal.get(f"{role}_units", [])]


def target_triples(targets: list[dict], with_subject: bool) -> list[tuple]:
    out = []
    for t in targets:
        value = t.get("value")
        if value in (None, "") or t.get("placeholder") or str(value).upper() == PLACEHOLDER:
            value = PLACEHOLDER
        key = (normal(str(value)), normal(t.get("unit") or ""))
        out.append(((normal(t.get("subject") or ""), *key)) if with_subject else key)
    return out


@dataclass
class Tally:
    """Counts pooled over documents; ``figures`` turns them into rates."""

    proposals: int = 0
    proposals_right: int = 0
    gold: int = 0
    gold_found: int = 0
    pairs: dict = field(default_factory=lambda: {
        k: [0, 0, 0, 0] for k in ("lead", "co", "target", "target_value_unit")})
    deadline_right: int = 0
    deadline_gold: int = 0
    deadline_gold_right: int = 0
    no_unit: int = 0
    lead_missing: int = 0
    lead_expected: int = 0
    milestones: list = field(default_factory=lambda: [0, 0, 0])
    documents: list = field(default_factory=list)

    def add_pairs(self, key: str, proposed: list, expected: list, same) -> None:
        """Precision numerator/denominator and recall numerator/denominator of one task."""
        right = sum(1 for p in proposed if any(same(p, e) for e in expected))
        found = sum(1 for e in expected if any(same(p, e) for p in proposed))
        counts = self.pairs[key]
        counts[0] += right
        counts[1] += len(proposed)
        counts[2] += found
        counts[3] += len(expected)

    def figures(self) -> dict:
        def rate(num: int, den: int) -> float | None:
            return round(num / den, 3) if den else None

        def f1(p: float | None, r: float | None) -> float | None:
            return round(2 * p * r / (p + r), 3) if p and r else (0.0 if p == 0 or r == 0 else None)

        p = rate(self.proposals_right, self.proposals)
        r = rate(self.gold_found, self.gold)
        out = {
            "documents": len(self.documents),
            "gold_tasks": self.gold,
            "proposals": self.proposals,
            "task": {"precision": p, "recall": r, "f1": f1(p, r)},
            "deadline": {"accuracy": rate(self.deadline_right, self.gold_found),
                         "with_gold_deadline": rate(self.deadline_gold_right, self.deadline_gold),
                         "gold_deadlines_matched": self.deadline_gold},
            "no_unit_share": rate(self.no_unit, self.proposals),
            "lead_missing_share": rate(self.lead_missing, self.lead_expected),
            "milestone_recall": rate(self.milestones[0], self.milestones[1])
            if self.milestones[2] else None,
        }
        for key, (right, proposed, found, expected) in self.pairs.items():
            pp, rr = rate(right, proposed), rate(found, expected)
            out[key] = {"precision": pp, "recall": rr, "proposed": proposed, "expected": expected}
        return out


def evaluate(documents: list[Document]) -> tuple[Tally, list[dict]]:
    """Pool the comparison of every document; also one row per document."""
    gazetteer = Gazetteer.build([])
    tally = Tally()
    rows = []
    for document in documents:
        proposals = run_extractor(document, gazetteer)
        sentences = [normal(p["sentence"]) for p in proposals]
        quotes = [normal(t["quote"]) for t in document.gold["tasks"]]
        tally.documents.append(document.stem)
        tally.proposals += len(proposals)
        tally.proposals_right += sum(1 for s in sentences if any(q in s for q in quotes))
        tally.no_unit += sum(1 for p in proposals if not (p.get("lead_units") or p.get("co_units")))
        found = 0
        for task, quote in zip(document.gold["tasks"], quotes, strict=True):
            tally.gold += 1
            hit = next((p for p, s in zip(proposals, sentences, strict=True) if quote in s), None)
            if hit is None:
                continue
            found += 1
            compare_task(tally, task, hit, gazetteer)
        tally.gold_found += found
        rows.append({"document": document.stem, "gold": len(quotes), "proposals": len(proposals),
                     "matched": found})
    return tally, rows


def compare_task(tally: Tally, task: dict, hit: dict, gazetteer: Gazetteer) -> None:
    """Field-by-field comparison of one matched gold task with its proposal."""
    def same_unit(surfaces: set[str], gold: str) -> bool:
        key = unit_key(gold, gazetteer)
        return any(unit_key(s, gazetteer) == key for s in surfaces)

    for role in ("lead", "co"):
        tally.add_pairs(role, proposed_units(hit, role), task[f"{role}_units"], same_unit)
    if task["lead_units"]:
        tally.lead_expected += 1
        tally.lead_missing += not proposed_units(hit, "lead")
    if hit.get("deadline") == task["deadline"]:
        tally.deadline_right += 1
    if task["deadline"]:
        tally.deadline_gold += 1
        tally.deadline_gold_right += hit.get("deadline") == task["deadline"]
    for key, with_subject in (("target", True), ("target_value_unit", False)):
        tally.add_pairs(key, target_triples(hit.get("targets", []), with_subject),
                        target_triples(task["targets"], with_subject), lambda a, b: a == b)
    if "milestones" in hit:
        tally.milestones[2] += 1
        wanted = [m["deadline"] for m in task.get("milestones", [])] or (
            [task["deadline"]] if task["deadline"] else [])
        got = {m.get("deadline") for m in hit["milestones"]}
        tally.milestones[0] += sum(1 for d in wanted if d in got)
        tally.milestones[1] += len(wanted)


def pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{value * 100:5.1f}%"


def report(part: str, figures: dict, rows: list[dict]) -> str:
    """The figures of one part as text lines."""
    task = figures["task"]
    lines = [
        f"== {part}: {figures['documents']} documents, {figures['gold_tasks']} gold tasks, "
        f"{figures['proposals']} proposals",
        f"  task detection      P {pct(task['precision'])}  R {pct(task['recall'])}  "
        f"F1 {pct(task['f1'])}",
    ]
    labels = {"lead": "lead units", "co": "co units", "target": "targets (subj+val+unit)",
              "target_value_unit": "targets (val+unit)"}
    for key, label in labels.items():
        field_ = figures[key]
        lines.append(f"  {label:<24}P {pct(field_['precision'])}  R {pct(field_['recall'])}  "
                     f"({field_['proposed']} proposed, {field_['expected']} expected)")
    deadline = figures["deadline"]
    lines += [
        f"  deadline exact       {pct(deadline['accuracy'])} of matched tasks; "
        f"{pct(deadline['with_gold_deadline'])} of the {deadline['gold_deadlines_matched']} "
        "matched with a gold deadline",
        f"  proposals with no unit          {pct(figures['no_unit_share'])}",
        f"  matched, gold lead but none     {pct(figures['lead_missing_share'])}",
        f"  milestone recall                {pct(figures['milestone_recall'])}",
    ]
    lines += [f"    {r['document']:<28} gold {r['gold']:>2}  proposed {r['proposals']:>2}  "
              f"matched {r['matched']:>2}" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=(*PARTS, "all"), default="all")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    parts = PARTS if args.part == "all" else (args.part,)
    results = {}
    for part in parts:
        documents = load(part)
        if not documents:
            print(f"no documents in {CORPUS / part}", file=sys.stderr)
            continue
        tally, rows = evaluate(documents)
        results[part] = {"figures": tally.figures(), "documents": rows}
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        print("\n".join(report(p, r["figures"], r["documents"]) for p, r in results.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
