"""Matching sentences against the provision rules, on surface text and on lemmas.

SudachiPy (core dictionary) gives each word its normalised form: 取扱い and 取り扱い, 漏えい
and 漏洩, 立入 and 立ち入り, 受けさせる and 受け all come out the same. A term matches a
sentence when it appears in the normalised sentence itself or, lemma by lemma, in the
sentence's normalised forms. Terms and sentences go through the same analysis (split mode C,
which keeps compounds such as 個人情報 whole), so their joined forms compare like for like.
"""

import functools
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import sudachipy

from itaku.contractors.contract_check.addressee import (
    addressed_to_staff,
    city_acts,
    party_is_subject,
)
from itaku.contractors.contract_check.negation import emptied_by_proviso, imposes
from itaku.contractors.contract_check.normalize import normalize_line
from itaku.contractors.contract_check.provisions import PLAIN_DUTY, PROVISION_RULES, Provision
from itaku.contractors.contract_check.result import CheckResult, Passage, ProvisionResult
from itaku.contractors.contract_check.structure import Sentence

# Enough quotes to show where a provision is, few enough to read on one screen.
MAX_PASSAGES = 5
# Sudachi refuses very long inputs; a "sentence" this long is a table or a list anyway.
MAX_ANALYSED_CHARS = 4000

# An inserted definition, (以下「従事者」という。), can split a phrase in two:
# 請け負わせて(「再委託等」という。)はならない. Rules also see the sentence without them.
_PARENTHESIS = re.compile(r"\([^()]*\)")
# A caption run into the text of a one-line extraction: (再委託の制限)第2条 乙は… The
# caption is a heading, not part of the clause (a lone caption line is skipped already).
_LEADING_CAPTION = re.compile(r"^\([^()]{1,40}\)\s*(?=第\s?[0-9一二三四五六七八九十百]+)")
# A sentence that takes its case from the one before: 「乙は、事故が発生したときは、…措置を
# 講じなければならない。2 前項の場合において、乙は、直ちに甲に報告しなければならない。」
# The case is the condition of the sentence before (事故が発生したとき), not the rest of
# it; the rule may find the provision's words in both, what it imposes is read in itself.
_REFERS_BACK = re.compile(
    r"^(?:第\s?[0-9一二三四五六七八九十百]+条\s*|[0-9]+\s)?(?:前項|前条|前各項|前2項|この)(?:ただし書)?の?場合(?:において|には|は)"
)
_PLAIN = frozenset(PLAIN_DUTY)
_ARTICLE = re.compile(r"第[0-9一二三四五六七八九十百]+条(?:の[0-9]+)?")
_CONDITION = re.compile(r"^.*(?:ときは|とき、|場合は|場合には|場合において)")


def _without_parentheses(text: str) -> str:
    """The text with every parenthesised insertion removed, nested ones included."""
    while (shorter := _PARENTHESIS.sub("", text)) != text:
        text = shorter
    return text


_local = threading.local()


def _tokenizer() -> sudachipy.Tokenizer:
    # A Sudachi tokenizer is not safe to share between threads (the dev server, gunicorn).
    tokenizer: sudachipy.Tokenizer | None = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _dictionary().tokenizer(mode=sudachipy.SplitMode.C)
        _local.tokenizer = tokenizer
    return tokenizer


@functools.cache
def _dictionary() -> sudachipy.Dictionary:
    return sudachipy.Dictionary(dict="core")


def lemmas(text: str) -> str:
    """The text as the concatenation of its words' normalised forms."""
    return "".join(m.normalized_form() for m in _tokenizer().tokenize(text[:MAX_ANALYSED_CHARS]))


@dataclass(frozen=True)
class Term:
    text: str
    lemmas: str

    def found_in(self, surfaces: tuple[str, str], lemma_text: str) -> bool:
        if any(self.text in surface for surface in surfaces):
            return True
        return bool(self.lemmas) and self.lemmas in lemma_text


@functools.cache
def _compiled() -> list[tuple[Provision, list[list[list[Term]]]]]:
    def term(text: str) -> Term:
        normalized = normalize_line(text)
        return Term(normalized, lemmas(normalized))

    return [
        (provision, [[[term(t) for t in group] for group in rule] for rule in provision.rules])
        for provision in PROVISION_RULES
    ]


def _match(
    rule: list[list[Term]], surfaces: tuple[str, str], lemma_text: str
) -> tuple[str, ...] | None:
    """One matching term per concept group, or None when a group has none."""
    terms = []
    for group in rule:
        hit = next((term for term in group if term.found_in(surfaces, lemma_text)), None)
        if hit is None:
            return None
        terms.append(hit.text)
    return tuple(terms)


def check_sentences(sentences: Iterable[Sentence]) -> CheckResult:
    compiled = _compiled()
    passages: dict[str, list[Passage]] = {provision.id: [] for provision, _ in compiled}
    denials: dict[str, list[Passage]] = {provision.id: [] for provision, _ in compiled}
    listed = list(sentences)
    to_staff = addressed_to_staff(listed)
    for index, sentence in enumerate(listed):
        text = _LEADING_CAPTION.sub("", sentence.text)
        plain = _without_parentheses(text)
        surfaces = (text, plain)
        lemma_text = lemmas(plain)
        case = _case_before(listed, index, text)
        if case:
            case_plain = _without_parentheses(case)
            surfaces = (f"{case} {text}", f"{case_plain} {plain}")
            lemma_text = lemmas(f"{case_plain} {plain}")
        following = listed[index + 1] if index + 1 < len(listed) else None
        # 「…再委託してはならない。ただし、本業務についてはこの限りでない。」 empties the
        # sentence before it; a proviso conditioned on the city's consent does not.
        emptied = (
            following is not None
            and following.where == sentence.where
            and emptied_by_proviso(following.text)
        )
        for provision, rules in compiled:
            found = passages[provision.id]
            if len(found) >= MAX_PASSAGES:
                continue
            seen, seen_lemmas = surfaces, lemma_text
            if provision.ignore and re.search(provision.ignore, surfaces[0]):
                # 「乙は、甲の職員に対し…研修を実施する」: the words the provision ignores
                seen = (
                    re.sub(provision.ignore, "", surfaces[0]),
                    re.sub(provision.ignore, "", surfaces[1]),
                )
                seen_lemmas = lemmas(seen[1])
            denied: Passage | None = None
            for rule in rules:
                terms = _match(rule, seen, seen_lemmas)
                if terms is None:
                    continue
                # the words of the case before only complete this sentence's own
                own = tuple(term for term in terms if term in text or term in plain)
                if case and not own:
                    continue
                # a plain form (…通知する。) is a duty only of a party: 乙は、…
                if any(term in _PLAIN for term in terms) and not party_is_subject(text):
                    continue
                passage = Passage(text=sentence.text, where=sentence.where, terms=terms)
                # The topic raised only to deny or waive it (要しない, 行わない, 何らの制限
                # も受けない) is not the provision: try the provision's other rules, then
                # the next sentence; keep the sentence to show why.
                # A rule the city gives its staff (実施機関は…, この基準は…) binds no
                # contractor, whatever its words (addressee.py).
                if (
                    to_staff[index]
                    or (provision.by_city and not city_acts(plain))
                    or emptied
                    or not imposes(provision.id, plain, own if case else terms)
                ):
                    denied = denied or passage
                    continue
                # A merged table cell repeats its text: quote it once.
                if passage not in found:
                    found.append(passage)
                denied = None
                break
            if denied is not None and len(denials[provision.id]) < MAX_PASSAGES:
                denials[provision.id].append(denied)
    return CheckResult(
        provisions=[
            ProvisionResult(id=pid, present=bool(found), passages=found, denied=denials[pid])
            for pid, found in passages.items()
        ]
    )


def _case_before(listed: list[Sentence], index: int, text: str) -> str:
    """The sentence before, when this one refers back to its case (前項の場合において)."""
    if index == 0 or not _REFERS_BACK.match(text):
        return ""
    before = listed[index - 1]
    here, there = _ARTICLE.search(listed[index].where), _ARTICLE.search(before.where)
    if (here is None) != (there is None) or (here and there and here.group() != there.group()):
        return ""
    condition = _CONDITION.match(_LEADING_CAPTION.sub("", before.text))
    return condition.group() if condition else ""
