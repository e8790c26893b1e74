"""Precision and recall of the contract check (2-2-a … 2-2-m) against hand labels.

    .venv/bin/python scripts/contract_eval.py FOLDER [--labels docs/contract-labels.yaml]

FOLDER holds the public texts named in the labels file (they are not in the repository:
see docs/contract-check.md). Each file is read and checked as an upload would be; a
provision is a true positive when the check finds it and the label says it is there. An
entry with `derived_from` is a negated variant, built here from the named text by the
entry's `replace` pairs (docs/contract-check.md, held-out set 4).
"""

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "docs" / "contract-labels.yaml"
CONTRACTS = ROOT / "tests" / "contractors" / "contracts"


@dataclass
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0

    @property
    def precision(self) -> float | None:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else None

    @property
    def recall(self) -> float | None:
        present = self.true_positive + self.false_negative
        return self.true_positive / present if present else None

    def add(self, *, predicted: bool, labelled: bool) -> None:
        if predicted and labelled:
            self.true_positive += 1
        elif predicted:
            self.false_positive += 1
        elif labelled:
            self.false_negative += 1
        else:
            self.true_negative += 1


@dataclass
class Evaluation:
    documents: int = 0
    per_provision: dict[str, Counts] = field(default_factory=dict)
    per_set: dict[str, Counts] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def overall(self) -> Counts:
        total = Counts()
        for counts in self.per_provision.values():
            total.true_positive += counts.true_positive
            total.false_positive += counts.false_positive
            total.false_negative += counts.false_negative
            total.true_negative += counts.true_negative
        return total


def evaluate(folder: Path, labels_path: Path = LABELS) -> Evaluation:
    from itaku.contractors.contract_check import PROVISIONS, DocumentError, check_document

    labels = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
    evaluation = Evaluation(per_provision={pid: Counts() for pid in PROVISIONS})
    for entry in labels["documents"]:
        try:
            data = _document_bytes(folder, entry, labels_path)
            result = check_document(entry["file"], data)
        except (OSError, ValueError, DocumentError) as error:
            evaluation.errors.append(f"{entry['file']}: {error}")
            continue
        evaluation.documents += 1
        found = set(PROVISIONS) - set(result.missing())
        in_set = evaluation.per_set.setdefault(entry.get("set", "all"), Counts())
        for pid in PROVISIONS:
            predicted, labelled = pid in found, bool(entry["provisions"][pid])
            evaluation.per_provision[pid].add(predicted=predicted, labelled=labelled)
            in_set.add(predicted=predicted, labelled=labelled)
    return evaluation


def _saved(folder: Path, labels_path: Path, name: str) -> Path:
    """The text in FOLDER, or else the copy kept in the repository for its labels file.

    Set 9's texts, and those of the earlier sets read again in its round, are kept in
    tests/contractors/contracts/<labels file's name>/ (docs/contract-check.md).
    """
    given = folder / name
    if given.exists():
        return given
    return CONTRACTS / labels_path.stem / name


def _document_bytes(folder: Path, entry: dict[str, Any], labels_path: Path = LABELS) -> bytes:
    """The saved text, or for a negated variant its source with the clauses rewritten."""
    if "derived_from" not in entry:
        return _saved(folder, labels_path, str(entry["file"])).read_bytes()
    source = str(entry["derived_from"])
    text = _saved(folder, labels_path, source).read_text(encoding="utf-8")
    for original, rewritten in entry["replace"]:
        if original not in text:
            raise ValueError(f"not in {source}: {original!r}")
        text = text.replace(str(original), str(rewritten))
    return text.encode("utf-8")


def _percent(value: float | None) -> str:
    return "   —  " if value is None else f"{value * 100:5.1f}%"


def report(evaluation: Evaluation) -> list[str]:
    lines = [f"documents checked: {evaluation.documents}"]
    lines += [f"  not read: {error}" for error in evaluation.errors]
    lines.append(f"  {'provision':<12} {'precision':>9} {'recall':>7}   TP FP FN TN")
    rows = [
        *evaluation.per_provision.items(),
        ("overall", evaluation.overall),
        *evaluation.per_set.items(),
    ]
    for name, c in rows:
        lines.append(
            f"  {name:<12} {_percent(c.precision):>9} {_percent(c.recall):>7}   "
            f"{c.true_positive:2} {c.false_positive:2} {c.false_negative:2} {c.true_negative:2}"
        )
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--labels", type=Path, default=LABELS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    evaluation = evaluate(args.folder, args.labels)
    print("\n".join(report(evaluation)))
    return 1 if evaluation.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
