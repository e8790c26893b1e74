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

Deadlines. The rules (施行規則) ask for the preliminary report (速報) "promptly" after the body
became aware of the incident, and for the final report (確報) within 30 days, 60 when an
improper purpose is involved; the Commission's guidelines (個人情報の保護に関する法律についての
ガイドライン（通則編）3-5-3-3 速報, 3-5-3-4 確報; 行政機関等編 likewise) put "promptly" at
about 3 to 5 days. How the days are counted, as implemented here:

  * The day the body became aware is day 1 (the Japanese calendar day, Asia/Tokyo: known at
    23:59 is still that day). Civil-law counting (民法140条, 初日不算入) would give one day more;
    day 1 is the earlier, safe reading, and the one practitioners attribute to the guidelines.
  * Every calendar day counts, weekends and public holidays included; the office's own business
    days (`itaku.core.business_days`) play no part.
  * The final report's last day, when it falls on a day the Commission is closed (行政機関の休日:
    Saturday, Sunday, a public holiday, 29 December to 3 January), moves to the next day it is
    open. Source: 行政機関の休日に関する法律（昭和63年法律第91号）第1条・第2条 — a period set by
    law or order (命令, here 施行規則) for a filing with a national body that ends on such a
    day ends on the following day instead (https://laws.e-gov.go.jp/law/363AC0000000091; text
    as stored at https://www.shugiin.go.jp/internet/itdb_housei.nsf/html/houritsu/11319881213091.htm
    and, as amended, https://compalex.tty-i.com/law/363AC0000000091_20150801_000000000000000).
    The preliminary report's 3 to 5 days are guidance, not a period set by order, so they do not
    move. `ITAKU_INCIDENT_FINAL_MOVES_OFF_CLOSED_DAYS = False` turns the move off.
  * The Commission's own wording of these three points (the guidelines' text and its Q&A, said
    to read 「知った日を1日目とする」 and to include 土日・祝日) could not be retrieved and
    checked; see docs/incidents.md. The day counts are settings for that reason.

No Django models here: facts in, assessment out, so every edge can be tested by itself.
"""

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from itaku.core.business_days import public_holiday


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


def commission_closed(day: date) -> bool:
    """行政機関の休日 (法1条): Saturday, Sunday, a public holiday, 29 December to 3 January."""
    year_end = (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3)
    return day.weekday() >= 5 or year_end or public_holiday(day) is not None


def next_open_day(day: date) -> date:
    """`day`, or the first day after it on which the Commission is open (法2条)."""
    while commission_closed(day):
        day += timedelta(days=1)
    return day


def deadlines(
    known_on: date,
    *,
    improper_purpose: bool,
    preliminary_days: int = 5,
    final_days: int = 30,
    final_days_improper: int = 60,
    final_moves_off_closed_days: bool = True,
) -> Deadlines:
    """The last day for each report: the day it became known is day 1, every day counts, and a
    final report due on a day the Commission is closed is due on its next open day."""
    final = known_on + timedelta(days=(final_days_improper if improper_purpose else final_days) - 1)
    return Deadlines(
        preliminary=known_on + timedelta(days=preliminary_days - 1),
        final=next_open_day(final) if final_moves_off_closed_days else final,
    )
