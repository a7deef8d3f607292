"""The scanner as an installable app: manifest and service worker, served so that the worker's
scope covers /scan/ and its precache list matches what the page loads, hashed names included."""

import json
import re
import shutil

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db


def precache_of(service_worker) -> list[str]:
    return json.loads(re.search(r"var PRECACHE = (\[.*?\]);", service_worker.text).group(1))


def test_service_worker_is_served_under_the_scanner_scope_and_never_cached(client):
    response = client.get("/scan/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/scan/"
    assert "no-cache" in response["Cache-Control"]
    assert "/scan/" in precache_of(response)


def test_service_worker_never_caches_the_api(client):
    source = client.get("/scan/sw.js").text

    assert '"/api/' not in source
    assert not any(url.startswith("/api/") for url in precache_of(client.get("/scan/sw.js")))


def test_service_worker_precaches_the_hashed_urls_the_page_references(client, tmp_path, settings):
    sources = tmp_path / "src"
    (sources / "vendor").mkdir(parents=True)
    (sources / "vendor" / "jsQR.js").write_text("/* decoder */")
    production_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=tmp_path / "collected",
        STATICFILES_DIRS=[*settings.STATICFILES_DIRS, sources],
        STORAGES=production_storage,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        page = client.get("/scan/").text
        precache = precache_of(client.get("/scan/sw.js"))

    referenced = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page))
    assert referenced and referenced <= set(precache)
    assert any(
        re.fullmatch(r"/static/attendance/scanner\.[0-9a-f]{12}\.js", url) for url in precache
    )
    assert any(re.fullmatch(r"/static/vendor/jsQR\.[0-9a-f]{12}\.js", url) for url in precache)


@pytest.mark.parametrize("vendored", [False, True])
def test_without_the_npm_qr_decoder_the_page_and_worker_fall_back_to_the_browser(
    client, tmp_path, settings, vendored
):
    # `make install` without npm: static/vendor/ was never filled. The project's own static
    # files are collected, the decoder only when it was vendored.
    sources = tmp_path / "src"
    for directory in settings.STATICFILES_DIRS:
        shutil.copytree(
            directory, sources, ignore=shutil.ignore_patterns("vendor"), dirs_exist_ok=True
        )
    if vendored:
        (sources / "vendor").mkdir()
        (sources / "vendor" / "jsQR.js").write_text("/* decoder */")
    production_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(
        DEBUG=False,
        STATIC_ROOT=tmp_path / "collected",
        STATICFILES_DIRS=[sources],
        STORAGES=production_storage,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        page = client.get("/scan/")
        worker = client.get("/scan/sw.js")

    assert page.status_code == worker.status_code == 200
    precache = precache_of(worker)
    scripts = re.findall(r'<script src="(/static/[^"]+)"', page.text)
    assert any("/attendance/scanner." in url for url in scripts)
    assert any("/attendance/scanner." in url for url in precache)
    assert any("jsQR" in url for url in scripts) is vendored
    assert any("jsQR" in url for url in precache) is vendored
    assert ("data-jsqr=" in page.text) is vendored


def test_page_links_the_manifest_and_registers_the_worker_from_its_own_files(client):
    page = client.get("/scan/")

    assert '<link rel="manifest" href="/scan/manifest.webmanifest">' in page.text
    assert 'data-sw="/scan/sw.js"' in page.text
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy


def test_manifest_makes_an_installable_app_in_the_volunteers_language(client):
    client.cookies["django_language"] = "ar"

    response = client.get("/scan/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/scan/",
        "/scan/",
        "standalone",
    )
    assert manifest["dir"] == "rtl"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert manifest["name"] != "Multaqa door scanner"  # translated


def test_scanner_labels_include_the_offline_texts(client):
    from tests.attendance.test_scanner_page import labels

    client.cookies["django_language"] = "fr"
    page_labels = labels(client.get("/scan/"))

    assert page_labels["offline"] != "Offline"
    # A counted message: each plural form and the form of each count (core/plurals.py).
    pack_info = page_labels["pack_info"]
    assert pack_info["forms"][pack_info["index"][3]] == (
        "Liste des billets pour le hors-ligne : %(count)s billets."
    )
    assert page_labels["genders"]["female"]
