"""The contract check's answer: for each of the 13 provisions of 2-2, found or not, and where."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Passage:
    """A quoted sentence and its place: "第5条第2項", "l.12" (text), or "p.3 l.12" (PDF).

    `terms` are the concept terms that matched, one per concept group of the rule, so a
    reader sees why the sentence counts for the provision.
    """

    text: str
    where: str
    terms: tuple[str, ...] = field(default=(), compare=False)

    def as_json(self) -> dict[str, str]:
        return {"text": self.text, "where": self.where}


@dataclass(frozen=True)
class ProvisionResult:
    """Whether the provision is there, the passages that make it, and the ones that deny it.

    `denied` holds sentences that raise the provision only to deny or waive it (「監査及び
    検査は行わない」): a reviewer sees why a provision whose words appear is reported
    missing. They are not part of the JSON answer, whose shape is agreed.
    """

    id: str
    present: bool
    passages: list[Passage]
    denied: list[Passage] = field(default_factory=list, compare=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "present": self.present,
            "passages": [passage.as_json() for passage in self.passages],
        }


@dataclass(frozen=True)
class CheckResult:
    provisions: list[ProvisionResult]

    def missing(self) -> list[str]:
        """IDs of the provisions not found, in the order of 2-2 (a … m)."""
        return [result.id for result in self.provisions if not result.present]

    def get(self, provision_id: str) -> ProvisionResult:
        return next(result for result in self.provisions if result.id == provision_id)

    def as_json(self) -> dict[str, Any]:
        return {"provisions": [result.as_json() for result in self.provisions]}
