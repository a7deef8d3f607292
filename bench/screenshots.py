"""Phone-sized screenshots of the main pages, in French and Arabic, for a person to review.

    make screenshots          (loads the demo data first, then runs `python -m bench.screenshots`)

Starts gunicorn on the demo data of the configured database (SQLite under var/ by default, as
`make run`), opens each page of SCREENSHOT_PAGES in headless Chromium at 360×740 and writes
var/screenshots/<page>-<language>.png (the whole page, not only the first screen). Pages behind a
sign-in get the demo organizer's session cookie. Nothing is compared: the pictures are for eyes."""

import os
import shutil
from pathlib import Path

from .procs import ROOT, gunicorn_start, stop

OUT_DIR = ROOT / "var" / "screenshots"
PHONE_SCREEN = {"width": 360, "height": 740}
LANGUAGES = ("fr", "ar")
SCREENSHOT_PAGES = ("registration", "ticket", "scanner signed in", "programme figures")
PORT = int(os.environ.get("SCREENSHOTS_PORT", "8797"))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from .pages import demo_pages, demo_user

    pages = [page for page in demo_pages() if page.name in SCREENSHOT_PAGES]
    sessions = {}
    for login in {page.login for page in pages if page.login}:
        client = Client()
        client.force_login(demo_user(login))
        sessions[login] = client.cookies[settings.SESSION_COOKIE_NAME].value
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{PORT}"
    server = gunicorn_start(port=PORT)
    try:
        from playwright.sync_api import sync_playwright

        executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            for page_info in pages:
                for language in LANGUAGES:
                    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language}]
                    if page_info.login:
                        value = sessions[page_info.login]
                        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": value})
                    context = browser.new_context(locale=language, viewport=PHONE_SCREEN)
                    context.add_cookies([{**cookie, "url": base} for cookie in cookies])
                    page = context.new_page()
                    page.goto(base + page_info.path, wait_until="networkidle")
                    path = _file_for(page_info.name, language)
                    page.screenshot(path=str(path), full_page=True)
                    context.close()
                    print(path.relative_to(ROOT), flush=True)
            browser.close()
    finally:
        stop(server)


def _file_for(name: str, language: str) -> Path:
    return OUT_DIR / f"{name.replace(' ', '-')}-{language}.png"


if __name__ == "__main__":
    main()
