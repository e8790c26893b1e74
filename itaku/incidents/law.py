"""What the Act on the Protection of Personal Information requires after a leak (pure functions).

For a local public body (行政機関等) the Act (法68条, 施行規則43条) requires a report to the
Personal Information Protection Commission (個人情報保護委員会) and notice to the persons
concerned when a leak, loss or damage — or its possibility (おそれ) — involves:
  1. 要配慮個人情報 (special-care personal information),
  2. data whose misuse may cause financial damage,
  3. an improper purpose (不正の目的), e.g. theft or unauthorised access,
  4. more than 100 persons (private businesses: 1,000; the figure is a setting).
Data protected by high-level encryption (高度な暗号化) does not count for 1, 2 and 4.
Source: https://www.ppc.go.jp/personalinfo/legal/leakAction/ (報告対象となる事態).

Deadlines (施行規則 and the Commission's guidelines 通則編 3-5-3-3/3-5-3-4): the preliminary
report (速報) "promptly" — about 3 to 5 days; the final report (確報) within 30 days, 60 when an
improper purpose is involved. They are counted in calendar days, weekends and public holidays
included, from the day the incident became known, that day being day 1. Business days play no
part: the law does not move the deadline for a holiday.

No Django models here: facts in, assessment out, so every edge can be tested by itself.
"""

import enum
from dataclasses import dataclass
from datetime import date, timedelta


class Criterion(enum.StrEnum):
    SENSITIVE = "sensitive"  # 要配慮個人情報
    FINANCIAL = "financial"  # 財産的被害のおそれ
    IMPROPER_PURPOSE = "improper_purpose"  # 不正の目的
    MANY_PERSONS = "many_persons"  # 本人の数が100人を超える


@dataclass(frozen=True)
class Facts:
    persons: int | None  # None: not yet known
    sensitive: bool = False
    financial_risk: bool = False
    improper_purpose: bool = False
    encrypted: bool = False  # 高度な暗号化その他の保護措置


@dataclass(frozen=True)
class Assessment:
    criteria: tuple[Criterion, ...]
    # Criteria the facts would meet but for the encryption of the data (kept to show why).
    exempted: tuple[Criterion, ...] = ()

    @property
    def report_required(self) -> bool:
        """Report to the Commission (and notice to the persons concerned) is required."""
        return bool(self.criteria)

    @property
    def improper_purpose(self) -> bool:
        return Criterion.IMPROPER_PURPOSE in self.criteria


def assess(facts: Facts, *, persons_threshold: int = 100) -> Assessment:
    """Which criteria of the Act the facts meet, in the order of the rules.

    The rules define the data they speak of as excluding data under high-level encryption
    (高度な暗号化その他の個人の権利利益を保護するために必要な措置を講じたもの), so encrypted
    data meets no criterion; the ones it would have met are kept as `exempted`. An unknown
    number of persons meets no threshold until it is known.
    """
    met: list[Criterion] = []
    if facts.sensitive:
        met.append(Criterion.SENSITIVE)
    if facts.financial_risk:
        met.append(Criterion.FINANCIAL)
    if facts.improper_purpose:
        met.append(Criterion.IMPROPER_PURPOSE)
    if facts.persons is not None and facts.persons > persons_threshold:
        met.append(Criterion.MANY_PERSONS)
    if facts.encrypted:
        return Assessment((), exempted=tuple(met))
    return Assessment(tuple(met))


@dataclass(frozen=True)
class Deadlines:
    preliminary: date  # 速報
    final: date  # 確報


def deadlines(
    known_on: date,
    *,
    improper_purpose: bool,
    preliminary_days: int = 5,
    final_days: int = 30,
    final_days_improper: int = 60,
) -> Deadlines:
    """The last day for each report; the day it became known is day 1, every day counts."""
    final = final_days_improper if improper_purpose else final_days
    return Deadlines(
        preliminary=known_on + timedelta(days=preliminary_days - 1),
        final=known_on + timedelta(days=final - 1),
    )
