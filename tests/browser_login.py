"""Browser tests start signed in: the test client signs the user in and the browser context gets
its session cookie, so that a page under test is not preceded by the login form every time."""

from django.conf import settings
from django.test import Client


def signed_in_context(browser, live_server, user, **options):
    """A new browser context (`options` as Playwright's `new_context`) holding `user`'s session."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context
