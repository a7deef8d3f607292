"""/api/v1/docs works without the internet: Swagger UI comes from our own static files (the
copy django-ninja ships), never from a CDN, and renders under our Content-Security-Policy."""

import re

import pytest

DOCS_URL = "/api/v1/docs"
ASSET = re.compile(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"')


@pytest.mark.django_db
def test_docs_page_references_no_external_host(organizer_client):
    html = organizer_client.get(DOCS_URL).content.decode()
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)
    assets = ASSET.findall(html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    assert all(a.startswith("/static/") for a in assets)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_docs_render_offline_from_our_static_files(live_server, browser, admin_user):
    context = browser.new_context()
    page = context.new_page()
    external, assets = [], {}
    # Offline: anything not served by the live server is cut off.
    page.route(
        re.compile(r"^(?!" + re.escape(live_server.url) + ")"),
        lambda route: (external.append(route.request.url), route.abort()),
    )
    page.on("response", lambda r: assets.__setitem__(r.url, r.status) if "/static/" in r.url else 0)
    page.goto(f"{live_server.url}/admin/login/?next={DOCS_URL}")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{DOCS_URL}")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "Multaqa" in page.inner_text(".swagger-ui .info .title")
    assert external == []
    js_css = {url: status for url, status in assets.items() if url.endswith((".js", ".css"))}
    assert len(js_css) >= 3 and set(js_css.values()) == {200}
