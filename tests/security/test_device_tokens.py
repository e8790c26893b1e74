"""Machines' own tokens (`Authorization: Device <token>`): each opens only its own kind's API."""

import pytest
from django.test import Client

from itaku.area import actions as area_actions
from itaku.area.models import Passage
from itaku.lgwan import actions as lgwan_actions
from itaku.lgwan.models import LogFile
from itaku.lgwan.sample import SAMPLE_MAPPING

PASSAGES = "/api/v1/area/passages/"
LOOKUPS = "/api/v1/lgwan/lookups/"


@pytest.fixture
def reader_token(area, manager):
    _reader, token = area_actions.register_reader(area=area, name="入口リーダー", by=manager)
    return token


@pytest.fixture
def source_token(db):
    _source, token = lgwan_actions.register_source(name="shipper", mapping=SAMPLE_MAPPING, by=None)
    return token


def _post(url: str, header: str):
    return Client(headers={"accept-language": "ja"}).post(
        url, b"{}", content_type="application/json", HTTP_AUTHORIZATION=header
    )


def test_a_card_readers_token_does_not_push_lookup_logs(reader_token, source_token):
    answer = _post(LOOKUPS, f"Device {reader_token}")

    assert answer.status_code in {401, 403}
    assert "機器トークン" in answer.json()["detail"]
    assert not LogFile.objects.exists()


def test_a_log_sources_token_does_not_record_passages(reader_token, source_token):
    answer = _post(PASSAGES, f"Device {source_token}")

    assert answer.status_code in {401, 403}
    assert "機器トークン" in answer.json()["detail"]
    assert not Passage.objects.exists()


@pytest.mark.parametrize("url", [PASSAGES, LOOKUPS])
def test_a_device_header_without_one_token_says_how_to_send_it(reader_token, source_token, url):
    answer = _post(url, f"Device {reader_token} extra")

    assert answer.status_code in {401, 403}
    assert answer.json()["detail"] == "「Device」の後に機器トークンを指定してください。"
