"""The demo site in real headless Chromium, shared by the page-wide browser checks (accessibility,
touch targets): `load_demo` once per module into the test database, the live server, and a
browser page per (page, language) signed in as the page's demo account."""

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from bench.pages import Page, demo_pages, demo_user

PHONE_SCREEN = {"width": 360, "height": 740}


@dataclass
class DemoSite:
    url: str
    pages: dict[str, Page]
    # Session cookie value per demo login (bench.pages.ORGANIZER, RAPPORTEUR).
    sessions: dict[str, str]


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    # Loaded once and committed, as the server (another thread) must see it; flushed at the end
    # like any transactional test, so the next tests find the database empty again. The server is
    # our own: pytest-django's `live_server` would flush the database after every test.
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        pages = {page.name: page for page in demo_pages()}
        sessions = {}
        for login in {page.login for page in pages.values() if page.login}:
            client = Client()
            client.force_login(demo_user(login))
            sessions[login] = client.cookies[settings.SESSION_COOKIE_NAME].value
        try:
            yield DemoSite(url=server.url, pages=pages, sessions=sessions)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def chromium():
    # Playwright's sync API keeps an event loop in this thread for the module's life.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_page(demo_site, chromium):
    """open_page(name, language) -> a Playwright page showing it at phone size, fully loaded."""

    @contextmanager
    def opener(name: str, language: str):
        page_info = demo_site.pages[name]
        context = chromium.new_context(locale=language, viewport=PHONE_SCREEN)
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language}]
        if page_info.login:
            value = demo_site.sessions[page_info.login]
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": value})
        context.add_cookies([{**cookie, "url": demo_site.url} for cookie in cookies])
        try:
            page = context.new_page()
            page.goto(demo_site.url + page_info.path, wait_until="networkidle")
            yield page
        finally:
            context.close()

    return opener
