"""Load a procedure from its YAML catalog (see catalogs/passport-outsourcing.yaml).

A malformed file is rejected with the line and field at fault, and the catalog in use stays as
it was: the new catalog replaces the old one in a single transaction, only after the whole file
has been read and checked.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from itaku.audit.log import record
from itaku.core.bilingual import lazy_message
from itaku.policy.events import PolicyEvent
from itaku.policy.models import Chapter, Clause, Procedure, Revision

SEED_CATALOG = Path(__file__).parent / "catalogs" / "passport-outsourcing.yaml"
CLAUSE_ID = re.compile(r"^\d+-\d+(-[a-z])?$")


class CatalogError(Exception):
    def __init__(self, line: int, field_path: str, message: Promise | str) -> None:
        self.line = line
        self.field_path = field_path
        self.message = message
        super().__init__(f"line {line}, {field_path}: {message}")


@dataclass
class ClauseData:
    clause_id: str
    text: str
    gloss: str
    items: list["ClauseData"] = field(default_factory=list)


@dataclass
class ChapterData:
    number: int
    title: str
    title_en: str
    clauses: list[ClauseData]


@dataclass
class CatalogData:
    code: str
    title: str
    title_en: str
    city: str
    preamble: str
    effective_on: date
    revisions: list[date]
    chapters: list[ChapterData]


class _Reader:
    """Walks the YAML node tree so every complaint can name the line it is about."""

    def mapping(self, node: yaml.Node, where: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise CatalogError(_line(node), where, _("expected a mapping of fields"))
        return {str(key.value): value for key, value in node.value}

    def sequence(self, node: yaml.Node, where: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise CatalogError(_line(node), where, _("expected a list"))
        return list(node.value)

    def child(
        self, fields: dict[str, yaml.Node], name: str, parent: yaml.Node, where: str
    ) -> yaml.Node:
        if name not in fields:
            raise CatalogError(_line(parent), f"{where}.{name}", _("this field is missing"))
        return fields[name]

    def text(self, fields: dict[str, yaml.Node], name: str, parent: yaml.Node, where: str) -> str:
        node = self.child(fields, name, parent, where)
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise CatalogError(_line(node), f"{where}.{name}", _("expected non-empty text"))
        return str(node.value).strip()

    def day(self, node: yaml.Node, where: str) -> date:
        try:
            if not isinstance(node, yaml.ScalarNode):
                raise ValueError
            return date.fromisoformat(str(node.value))
        except ValueError:
            raise CatalogError(
                _line(node), where, _("expected a date written as YYYY-MM-DD")
            ) from None


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def parse(text: str) -> CatalogData:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise CatalogError(
            line, "(file)", _("not valid YAML: %(problem)s") % {"problem": error.problem}
        ) from None
    if root is None:
        raise CatalogError(1, "(file)", _("the file is empty"))
    r = _Reader()
    top = r.mapping(root, "(file)")
    proc_node = r.child(top, "procedure", root, "(file)")
    proc = r.mapping(proc_node, "procedure")
    revisions = [
        r.day(node, f"procedure.revisions[{i}]")
        for i, node in enumerate(
            r.sequence(r.child(proc, "revisions", proc_node, "procedure"), "procedure.revisions")
        )
    ]
    chapters_node = r.child(top, "chapters", root, "(file)")
    chapters: list[ChapterData] = []
    seen: set[str] = set()
    for ci, chapter_node in enumerate(r.sequence(chapters_node, "chapters")):
        where = f"chapters[{ci}]"
        chapter = r.mapping(chapter_node, where)
        number_text = r.text(chapter, "number", chapter_node, where)
        if not number_text.isdigit():
            raise CatalogError(
                _line(chapter["number"]), f"{where}.number", _("expected a chapter number")
            )
        clauses_node = r.child(chapter, "clauses", chapter_node, where)
        clauses = [
            _clause(r, node, f"{where}.clauses[{i}]", seen, prefix=f"{number_text}-")
            for i, node in enumerate(r.sequence(clauses_node, f"{where}.clauses"))
        ]
        chapters.append(
            ChapterData(
                number=int(number_text),
                title=r.text(chapter, "title", chapter_node, where),
                title_en=r.text(chapter, "title_en", chapter_node, where),
                clauses=clauses,
            )
        )
    return CatalogData(
        code=r.text(proc, "id", proc_node, "procedure"),
        title=r.text(proc, "title", proc_node, "procedure"),
        title_en=r.text(proc, "title_en", proc_node, "procedure"),
        city=r.text(proc, "city", proc_node, "procedure"),
        preamble=r.text(proc, "preamble", proc_node, "procedure"),
        effective_on=r.day(
            r.child(proc, "effective", proc_node, "procedure"), "procedure.effective"
        ),
        revisions=revisions,
        chapters=chapters,
    )


def _clause(r: _Reader, node: yaml.Node, where: str, seen: set[str], prefix: str) -> ClauseData:
    fields = r.mapping(node, where)
    clause_id = r.text(fields, "id", node, where)
    if not CLAUSE_ID.match(clause_id) or not clause_id.startswith(prefix):
        raise CatalogError(
            _line(fields["id"]),
            f"{where}.id",
            lazy_message(_("expected an ID like %(example)s"), example=f"{prefix}1"),
        )
    if clause_id in seen:
        raise CatalogError(_line(fields["id"]), f"{where}.id", _("this ID is used twice"))
    seen.add(clause_id)
    items: list[ClauseData] = []
    if "items" in fields:
        items = [
            _clause(r, item, f"{where}.items[{i}]", seen, prefix=f"{clause_id}-")
            for i, item in enumerate(r.sequence(fields["items"], f"{where}.items"))
        ]
    return ClauseData(
        clause_id=clause_id,
        text=r.text(fields, "text", node, where),
        gloss=r.text(fields, "gloss", node, where),
        items=items,
    )


@transaction.atomic
def install(data: CatalogData, *, source_sha256: str) -> Procedure:
    """Make `data` the catalog in use; the previous one is kept, no longer current."""
    Procedure.objects.filter(is_current=True).update(is_current=False)
    procedure = Procedure.objects.create(
        code=data.code,
        title=data.title,
        title_en=data.title_en,
        city=data.city,
        preamble=data.preamble,
        effective_on=data.effective_on,
        source_sha256=source_sha256,
        loaded_at=timezone.now(),
        is_current=True,
    )
    Revision.objects.bulk_create(
        Revision(procedure=procedure, revised_on=day) for day in data.revisions
    )
    for chapter_data in data.chapters:
        chapter = Chapter.objects.create(
            procedure=procedure,
            number=chapter_data.number,
            title=chapter_data.title,
            title_en=chapter_data.title_en,
        )
        position = 0
        for clause_data in chapter_data.clauses:
            position = _save_clause(chapter, clause_data, None, position)
    record(
        PolicyEvent.CATALOG_LOADED,
        actor=None,
        target=procedure,
        changes={"code": data.code, "sha256": source_sha256},
    )
    return procedure


def _save_clause(chapter: Chapter, data: ClauseData, parent: Clause | None, position: int) -> int:
    clause = Clause.objects.create(
        chapter=chapter,
        parent=parent,
        clause_id=data.clause_id,
        text=data.text,
        gloss=data.gloss,
        position=position,
    )
    position += 1
    for item in data.items:
        position = _save_clause(chapter, item, clause, position)
    return position


def load(path: Path) -> Procedure:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CatalogError(line, "(file)", _("the file is not UTF-8 text")) from None
    return install(parse(text), source_sha256=hashlib.sha256(raw).hexdigest())


def ensure_seed() -> Procedure:
    """The shipped catalog, loaded when no catalog is in use yet (after `migrate`)."""
    current = Procedure.objects.current()
    if current is not None:
        return current
    return load(SEED_CATALOG)
