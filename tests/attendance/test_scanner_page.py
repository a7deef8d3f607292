import json
import re

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db


def labels(response):
    block = re.search(
        r'<script id="scanner-labels" type="application/json">(.*?)</script>', response.text, re.S
    )
    return json.loads(block.group(1))


def test_scanner_page_in_arabic_is_rtl_with_translated_labels(client):
    client.cookies["django_language"] = "ar"

    response = client.get("/scan/")

    assert response.status_code == 200
    assert 'dir="rtl"' in response.text
    assert labels(response)["statuses"]["admitted"] == "تم الدخول"
    assert "امرأة 25–59" in response.text


def test_scanner_page_in_french_by_default_without_inline_script(client):
    response = client.get("/scan/")

    assert labels(response)["statuses"]["already_admitted"] == "Déjà entré·e"
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", response.text)
    assert scripts == []  # the CSP is script-src 'self'


def test_vendor_assets_copies_the_npm_qr_decoder(tmp_path, settings):
    source = tmp_path / "node_modules" / "jsqr" / "dist"
    source.mkdir(parents=True)
    (source / "jsQR.js").write_text("/* decoder */")

    with override_settings(BASE_DIR=tmp_path):
        call_command("vendor_assets")

    assert (tmp_path / "static" / "vendor" / "jsQR.js").read_text() == "/* decoder */"


def test_vendor_assets_without_npm_install_says_so(tmp_path):
    from django.core.management.base import CommandError

    with override_settings(BASE_DIR=tmp_path), pytest.raises(CommandError, match="npm ci"):
        call_command("vendor_assets")
