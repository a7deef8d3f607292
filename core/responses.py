"""Pages reached by a bearer link (a ticket, a confirmation, a participant card): whoever holds
the link sees the page, so it stays out of shared caches and search engines."""

from django.http import HttpResponse

PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow"}


def private(response: HttpResponse) -> HttpResponse:
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response
