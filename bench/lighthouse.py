"""Lighthouse scores of every page people see, on the demo data, with the mobile profile.

    BENCH_ONLY=lighthouse make bench

Run by bench/run.py, which has already re-created the benchmark database with production
settings: this loads the demo data, collects the static files, starts gunicorn on 127.0.0.1 and
runs the `lighthouse` npm package (pinned in package.json's devDependencies) once per page of
`bench/pages.py`, with the machine's headless Chromium (`CHROME_PATH`, default /usr/bin/chromium)
and Lighthouse's default mobile profile (simulated throttling: no network is needed). Pages behind
a sign-in get the demo account's session cookie in the cookie jar of the Chromium profile that
Lighthouse runs in (`_profile_with_cookies`). Goals: accessibility 100, best practices 100,
performance at least 95.

`LIGHTHOUSE_PAGES="registration,ticket"` limits the run to some pages (names from bench/pages.py)."""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .procs import ROOT, gunicorn_start, stop

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100}
LANGUAGE = "fr"


def lighthouse_benchmark(*, port: int, out_dir: Path, log) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from .pages import demo_pages, demo_user

    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` (make assets)")
    log("demo data and static files")
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", interactive=False, verbosity=0)
    wanted = {name.strip() for name in os.environ.get("LIGHTHOUSE_PAGES", "").split(",") if name}
    pages = [page for page in demo_pages() if not wanted or page.name in wanted]
    cookies = {}
    for login in {page.login for page in pages if page.login}:
        client = Client()
        client.force_login(demo_user(login))
        cookies[login] = client.cookies[settings.SESSION_COOKIE_NAME].value

    reports = out_dir / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    server = gunicorn_start(port=port)
    rows = []
    try:
        for page in pages:
            url = f"http://127.0.0.1:{port}{page.path}"
            jar = {settings.LANGUAGE_COOKIE_NAME: LANGUAGE}
            if page.login:
                jar[settings.SESSION_COOKIE_NAME] = cookies[page.login]
            log(f"lighthouse: {page.name}")
            report = reports / f"{page.name.replace(' ', '-')}.json"
            with tempfile.TemporaryDirectory(prefix="lighthouse-profile-") as profile:
                _profile_with_cookies(Path(profile), f"http://127.0.0.1:{port}/", jar)
                scores = _lighthouse(url, Path(profile), report)
            rows.append({"page": page.name, "audience": page.audience, **scores})
    finally:
        stop(server)
    print_table(rows)
    result = {"language": LANGUAGE, "form_factor": "mobile", "pages": rows}
    (out_dir / "lighthouse.json").write_text(json.dumps(result, indent=2))
    return result


CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Chromium encrypts the cookies it stores with a key that depends on this flag: the profile is
# written and read with the same one.
PASSWORD_STORE = "--password-store=basic"


def _profile_with_cookies(profile: Path, site: str, jar: dict[str, str]) -> None:
    """Store `jar` in the cookie jar of a new Chromium profile, which Lighthouse's Chromium then
    runs in. Not `--extra-headers`: a page that answers with a Set-Cookie (the admin re-sends its
    CSRF cookie on each form) puts a cookie in the browser's jar, and from then on the jar's Cookie
    header replaces the extra one on the page's sub-requests, which went out signed out (the
    admin's /admin/jsi18n/ was redirected to the sign-in page: "gettext is not defined").
    Lighthouse clears an origin's caches and storage before a run, not its cookies."""
    from playwright.sync_api import sync_playwright

    # For the whole site (path /, from `site`'s URL), not the page's folder: the page's own requests
    # (/admin/jsi18n/) are signed in too. An expiry, so that Chromium writes them to disk.
    expires = time.time() + 3600
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROME_PATH, args=["--no-sandbox", PASSWORD_STORE]
        )
        context.add_cookies(
            [
                {"name": name, "value": value, "url": site, "expires": expires}
                for name, value in jar.items()
            ]
        )
        context.close()


# Lighthouse now and then fails to record a page load's trace (NO_NAVSTART) on a busy machine; a
# second run of the same page records it.
ATTEMPTS = 3


def _lighthouse(url: str, profile: Path, report: Path) -> dict:
    environment = {**os.environ, "CHROME_PATH": CHROME_PATH}
    arguments = [
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags=--headless=new --no-sandbox {PASSWORD_STORE} --user-data-dir={profile}",
        "--quiet",
    ]
    for attempt in range(1, ATTEMPTS + 1):
        run = subprocess.run(arguments, env=environment, cwd=ROOT)
        if run.returncode == 0:
            break
        if attempt == ATTEMPTS:
            raise subprocess.CalledProcessError(run.returncode, arguments)
    result = json.loads(report.read_text())
    if result["finalDisplayedUrl"].split("#")[0] != url.split("#")[0]:
        # Redirected (to the sign-in page): the scores would be another page's. The fragment (the
        # scanner's door token) is the page's own business and not part of what was loaded.
        sys.exit(f"lighthouse measured {result['finalDisplayedUrl']} instead of {url}")
    categories = result["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def print_table(rows: list[dict]) -> None:
    header = "| page | audience | performance | accessibility | best practices |"
    lines = [header, "|---|---|---:|---:|---:|"]
    for row in rows:
        cells = [
            f"{row[name]}" + ("" if row[name] >= GOALS[name] else " NOT MET") for name in CATEGORIES
        ]
        lines.append(f"| {row['page']} | {row['audience']} | " + " | ".join(cells) + " |")
    print("\n".join(lines), flush=True)
