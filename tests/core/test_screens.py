"""What every screen shares: grouped menu, breadcrumbs, the city's name, fields that say their
errors, a Japanese placeholder in select boxes, the favicon and the idle-logout reason."""

from django.urls import reverse

from itaku.core import menu
from itaku.people.account_models import ApiToken
from itaku.people.accounts import issue_api_token
from itaku.people.roles import Role


def test_the_menu_groups_pages_by_task_in_disclosures(as_role):
    page = as_role(Role.MANAGER).get(reverse("area:visitors")).content.decode()
    nav = page.split('class="site-nav"')[1].split("</nav>")[0]
    assert "<details>" in nav and "<summary>管理区域</summary>" in nav
    assert "<summary>監査</summary>" in nav
    assert 'class="menu-group menu-group-current"' in nav  # the group of the page shown


def test_an_app_can_add_its_own_menu_group_and_register_into_it():
    menu.register_group("test-chapter", "テスト章", 55)
    assert menu.group("test-chapter").label == "テスト章"
    assert [g.key for g in menu.groups()].index("test-chapter") > [
        g.key for g in menu.groups()
    ].index("contractors")


def test_every_page_has_breadcrumbs_to_home(as_role):
    page = as_role(Role.CITY_STAFF).get(reverse("area:visitors")).content.decode()
    crumbs = page.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert "ホーム" in crumbs and "管理区域" in crumbs and 'aria-current="page">訪問者' in crumbs


def test_the_header_names_the_installations_city_from_the_setting(as_role, settings):
    settings.ITAKU_CITY_NAME = "架空市"
    page = as_role(Role.CITY_STAFF).get(reverse("area:visitors")).content.decode()
    assert "架空市" in page.split("</header>")[0]
    assert "東大阪市" not in page


def test_select_boxes_start_with_a_japanese_placeholder(as_role):
    page = as_role(Role.CITY_STAFF).get(reverse("area:visitors")).content.decode()
    assert "選択してください" in page
    assert "---------" not in page


def test_field_errors_and_help_are_linked_to_the_field(as_role):
    response = as_role(Role.CITY_STAFF).post(reverse("area:visitors"), {"new_name": "架空 花子"})
    page = response.content.decode()
    field = page.split('name="purpose"')[0].rsplit("<input", 1)[1] + page.split('name="purpose"')[1]
    field = field.split(">")[0]
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_purpose_error"' in field
    assert 'id="id_purpose_error"' in page
    person = page.split('name="person"')[1].split(">")[0]
    assert 'aria-describedby="id_person_help"' in person


def test_every_page_links_its_favicon(client):
    page = client.get(reverse("people:login")).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page


def test_the_login_page_says_why_after_an_idle_logout(client):
    page = client.get(reverse("people:login") + "?idle=1").content.decode()
    assert "一定時間操作がなかったため" in page
    assert "一定時間操作がなかったため" not in client.get(reverse("people:login")).content.decode()


def test_staying_logged_in_is_a_post_that_answers_without_a_page(as_role):
    client = as_role(Role.AUDITOR)
    assert client.post(reverse("core:ping")).status_code == 204
    assert client.get(reverse("core:ping")).status_code == 405


def test_an_address_that_only_takes_a_form_says_so_when_opened(as_role):
    page = as_role(Role.MANAGER).get("/lgwan/findings/close/")

    assert page.status_code == 405
    assert page["Allow"] == "POST"
    text = page.content.decode()
    assert "このページは直接開けません" in text
    assert "フォームのあった画面に戻って" in text


def test_the_api_keeps_its_own_answer_to_a_method_it_does_not_take(client, manager):
    _token, key = issue_api_token(manager.user, days=1, scope=ApiToken.Scope.WRITE, by=None)

    page = client.post("/api/v1/compliance/", headers={"authorization": f"Token {key}"})

    assert page.status_code == 405
    assert page.json()["detail"]


def test_the_dashboard_keeps_the_english_gloss_behind_a_toggle(as_role):
    page = as_role(Role.MANAGER).get(reverse("policy:dashboard")).content.decode()
    assert 'class="gloss-toggle"' in page
    assert '<details class="gloss-toggle" open>' not in page
