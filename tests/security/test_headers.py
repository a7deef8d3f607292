"""Security headers on the pages people actually use (participants, the door, partners) and the
production settings: no inline script or style outside a per-request nonce, no framing, no
sniffing, cookies that stay on HTTPS, and a clean `check --deploy`."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from forums.partners import partner_link_token
from tests.factories import SessionFactory, TicketFactory
from tests.forums.conftest import closed_forum, forum, partner_contact  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def _assert_locked_down(response):
    assert response.status_code == 200, response.status_code
    directives = _directives(response["Content-Security-Policy"])
    for name in ("script-src", "style-src"):
        sources = directives.get(name, directives.get("default-src"))
        assert "'unsafe-inline'" not in sources, name
        assert "'unsafe-eval'" not in sources, name
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"

    # What the page holds must work under that policy: no inline script, no style attribute, and
    # a <style> block only with this response's nonce.
    html = response.content.decode()
    # (a JSON data block is not run)
    assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", html), (
        "inline script"
    )
    assert not re.search(r"\sstyle=", html), "style attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    nonces = re.findall(r"'nonce-([^']+)'", " ".join(directives.get("style-src", [])))
    for tag in re.findall(r"<style[^>]*>", html):
        assert any(f'nonce="{nonce}"' in tag for nonce in nonces), tag
    return directives


@pytest.fixture
def ticket():
    session = SessionFactory()
    return TicketFactory(attendee__registration__event=session.event)


def test_public_registration_form(client, ticket):
    _assert_locked_down(client.get(f"/events/{ticket.attendee.registration.event_id}/register/"))


def test_ticket_page(client, ticket):
    _assert_locked_down(client.get(f"/tickets/{ticket.secret}/"))


def test_door_scanner_page(client):
    _assert_locked_down(client.get("/scan/"))


def test_partner_portal_and_forum_summary(client, closed_forum, partner_contact):  # noqa: F811
    token = partner_link_token(contact=partner_contact)
    _assert_locked_down(client.get(f"/partners/link/{token}/"))
    response = client.get(f"/partners/link/{token}/forums/{closed_forum.event.pk}/")
    directives = _assert_locked_down(response)
    assert "<style nonce=" in response.content.decode()  # its styles still apply
    assert any(source.startswith("'nonce-") for source in directives["style-src"])


def test_each_response_gets_its_own_nonce(client):
    first = client.get("/scan/")["Content-Security-Policy"]
    second = client.get("/scan/")["Content-Security-Policy"]
    assert re.search(r"'nonce-[\w-]{16,}'", first)
    assert first != second


def test_forum_pages_with_their_own_styles(organizer_client, closed_forum, settings):  # noqa: F811
    from tests.factories import MembershipFactory

    MembershipFactory(user=organizer_client.user, organization=closed_forum.event.organizer)
    _assert_locked_down(organizer_client.get(f"/forums/{closed_forum.event.pk}/manage/"))
    summary = organizer_client.get(f"/forums/{closed_forum.event.pk}/summary/")
    assert summary.status_code == 200
    # The archived document is served as stored; its own style blocks are admitted by hash.
    policy = summary["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'sha256-" in _directives(policy)["style-src"][1]


def _production_settings(monkeypatch):
    monkeypatch.setenv("DEBUG", "0")
    import config.settings

    try:
        return importlib.reload(config.settings)
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)


def test_production_settings_keep_cookies_and_transport_safe(monkeypatch):
    production = _production_settings(monkeypatch)
    assert production.DEBUG is False
    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True
    assert production.SESSION_COOKIE_HTTPONLY is True
    assert production.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    assert production.CSRF_COOKIE_SAMESITE in ("Lax", "Strict")
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SECURE_CONTENT_TYPE_NOSNIFF is True
    assert production.X_FRAME_OPTIONS == "DENY"
    assert "'unsafe-inline'" not in production.CONTENT_SECURITY_POLICY


def test_check_deploy_is_clean_with_a_production_environment(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="k7#Qz9!vR2@xL5$mN8^pT3&wY6*bD1(eG4)hJ0-sU9+fC2=aZq",
        ALLOWED_HOSTS="multaqa.example.org",
        MULTAQA_VAR_DIR=str(tmp_path),
    )
    assert len(env["SECRET_KEY"]) == 50
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
