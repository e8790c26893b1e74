"""The procedure as data: the shipped catalog, and loading another city's catalog."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from itaku.audit.models import Event
from itaku.policy.catalog import SEED_CATALOG
from itaku.policy.models import Clause, Procedure

SEED_IDS = (
    ["2-1", "2-2"]
    + [f"2-2-{letter}" for letter in "abcdefghijklm"]
    + [f"3-{n}" for n in range(1, 13)]
    + [f"4-{n}" for n in range(1, 6)]
    + [f"5-{n}" for n in range(1, 12)]
    + [f"6-{n}" for n in range(1, 7)]
)

OTHER_CITY = """\
procedure:
  id: other-city
  title: 架空町委託業務実施手順
  title_en: Procedure of a fictional town
  city: 架空町
  preamble: 架空町の委託業務に関する手順。
  effective: 2020-04-01
  revisions: [2022-04-01]
chapters:
  - number: "3"
    title: 区域の管理
    title_en: The area
    clauses:
      - id: "3-1"
        text: 管理者を置く。
        gloss: There is a manager.
"""


@pytest.mark.django_db
def test_a_fresh_database_holds_the_shipped_procedure_with_every_clause():
    procedure = Procedure.objects.current()
    assert procedure is not None
    assert procedure.effective_on == date(2012, 10, 1)
    assert [r.revised_on for r in procedure.revisions.all()] == [
        date(2015, 4, 1),
        date(2018, 7, 1),
        date(2020, 4, 1),
        date(2021, 2, 1),
        date(2023, 3, 27),
        date(2023, 4, 1),
    ]
    ids = list(
        Clause.objects.filter(chapter__procedure=procedure).values_list("clause_id", flat=True)
    )
    assert ids == SEED_IDS
    assert Clause.objects.get(clause_id="2-2-h").parent.clause_id == "2-2"
    assert "再委託" in Clause.objects.get(clause_id="2-2-h").text


@pytest.mark.django_db
def test_loading_another_catalog_makes_it_current_and_keeps_the_old_one(tmp_path, capsys):
    path = tmp_path / "other.yaml"
    path.write_text(OTHER_CITY, encoding="utf-8")
    call_command("load-policy", str(path))
    current = Procedure.objects.current()
    assert current.code == "other-city"
    assert Procedure.objects.count() == 2
    assert "架空町委託業務実施手順" in capsys.readouterr().out
    assert Event.objects.filter(code="policy.catalog.loaded", object_id=str(current.pk)).exists()


def _load_broken(tmp_path: Path, text: str) -> CommandError:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("load-policy", str(path))
    return raised.value


@pytest.mark.django_db
def test_a_clause_with_a_bad_id_is_refused_naming_line_and_field(tmp_path):
    error = _load_broken(tmp_path, OTHER_CITY.replace('id: "3-1"', 'id: "three"'))
    message = str(error)
    assert "14行目" in message and "line 14" in message
    assert "expected an ID like 3-1" in message
    assert "chapters[0].clauses[0].id" in message
    assert Procedure.objects.current().code == "passport-outsourcing"


@pytest.mark.django_db
def test_a_missing_field_is_named(tmp_path):
    error = _load_broken(tmp_path, OTHER_CITY.replace("        gloss: There is a manager.\n", ""))
    assert "chapters[0].clauses[0].gloss" in str(error)
    assert "この項目がありません" in str(error)


@pytest.mark.django_db
def test_a_bad_date_is_named(tmp_path):
    error = _load_broken(
        tmp_path, OTHER_CITY.replace("effective: 2020-04-01", "effective: 令和2年")
    )
    assert "procedure.effective" in str(error) and "line 7" in str(error)


@pytest.mark.django_db
def test_broken_yaml_syntax_names_the_line(tmp_path):
    error = _load_broken(tmp_path, OTHER_CITY.replace("  city: 架空町\n", "  city: [架空町\n"))
    assert "YAML" in str(error)
    assert Procedure.objects.count() == 1


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "sjis.yaml"
    path.write_bytes(OTHER_CITY.encode("shift_jis"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("load-policy", str(path))
    assert Procedure.objects.current().code == "passport-outsourcing"


@pytest.mark.django_db
def test_a_duplicated_clause_id_is_refused(tmp_path):
    doubled = OTHER_CITY + ('      - id: "3-1"\n        text: 二度目。\n        gloss: Twice.\n')
    assert "重複" in str(_load_broken(tmp_path, doubled))


def test_the_shipped_catalog_is_the_yaml_format_the_command_reads():
    assert SEED_CATALOG.read_text(encoding="utf-8").startswith("# The passport-issuance")
