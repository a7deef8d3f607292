"""The scanner as an installable app: its web manifest and its service worker.

The service worker is rendered by Django (not a static file) for two reasons: it must live under
/scan/ so that its scope covers the scanner page, and it must precache the static URLs the page
itself references, which in production are ManifestStaticFilesStorage's hashed names."""

import hashlib
import json

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Everything the scanner page loads, as static paths. Keep in step with scanner.html.
SCANNER_STATIC_FILES = [
    "core/favicon.ico",
    "core/multaqa.css",
    "attendance/scanner.css",
    "vendor/jsQR.js",
    "attendance/offline.js",
    "attendance/group.js",
    "attendance/door_heartbeat.js",
    "attendance/door_camera.js",
    "attendance/door_time.js",
    "attendance/door_sessions.js",
    "attendance/door_signals.js",
    "attendance/scanner.js",
    "attendance/icons/scanner-192.png",
    "attendance/icons/scanner-512.png",
]
# The QR decoder is vendored by `npm ci` + `manage.py vendor_assets` (git-ignored). Without it
# the page still works: the browser's BarcodeDetector, else the typed short code.
JSQR = "vendor/jsQR.js"
OPTIONAL_STATIC_FILES = {JSQR}


def optional_static(path: str) -> str | None:
    """The URL of a static file that may be missing from this installation, or None when it is.
    ManifestStaticFilesStorage refuses a file it never collected (ValueError, a 500 if left to
    the template); plain storages never refuse, so the file is looked for where they serve it."""
    try:
        url = static(path)
    except ValueError:
        return None
    if finders.find(path) or staticfiles_storage.exists(path):
        return url
    return None


def scanner_static_urls() -> list[tuple[str, str]]:
    """(path, URL) of the files the scanner page loads here: the optional ones only if present."""
    urls = []
    for path in SCANNER_STATIC_FILES:
        url = optional_static(path) if path in OPTIONAL_STATIC_FILES else static(path)
        if url is not None:
            urls.append((path, url))
    return urls


def _file_digest(path: str) -> str:
    """A hash of a static file's content, so that the cache is renewed when a file changes even
    where static names are not hashed (development)."""
    found = finders.find(path)
    if not found:
        return ""
    with open(found, "rb") as source:
        return hashlib.sha256(source.read()).hexdigest()


def scanner_precache() -> tuple[list[str], str]:
    """The URLs the service worker keeps for offline use, and a version that changes with them."""
    files = scanner_static_urls()
    urls = [reverse("attendance:scanner")] + [url for _path, url in files]
    digest = hashlib.sha256()
    for path, url in files:
        digest.update(f"{url}:{_file_digest(path)}\n".encode())
    return urls, digest.hexdigest()[:12]


@require_GET
@never_cache
def scanner_service_worker(request):
    urls, version = scanner_precache()
    source = SERVICE_WORKER_TEMPLATE.replace("__VERSION__", json.dumps(version))
    source = source.replace("__PAGE__", json.dumps(urls[0])).replace(
        "__PRECACHE__", json.dumps(urls)
    )
    response = HttpResponse(source, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("attendance:scanner")
    return response


@require_GET
def scanner_manifest(request):
    scope = reverse("attendance:scanner")
    manifest = {
        "name": _("Multaqa door scanner"),
        "short_name": _("Door scanner"),
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#137a2e",
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "icons": [
            {
                "src": static(f"attendance/icons/scanner-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


# Plain JavaScript, kept here so that the values above are filled in by the view.
SERVICE_WORKER_TEMPLATE = """/* Multaqa door scanner: keeps the page and its files so that it opens with no network.
   The API is never cached: scans go to the server or, offline, to the page's own queue. */
"use strict";
var VERSION = __VERSION__;
var CACHE = "multaqa-scanner-" + VERSION;
var PAGE = __PAGE__;
var PRECACHE = __PRECACHE__;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(PRECACHE);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("multaqa-scanner-") === 0 && key !== CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === PAGE) {
    // The page: fresh from the network when there is one (new translations, new version),
    // the kept copy otherwise. The language cookie decides the language, hence ignoreVary.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(PAGE, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(PAGE, { ignoreVary: true, ignoreSearch: true });
    }));
    return;
  }
  if (PRECACHE.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || fetch(request);
    }));
  }
});
"""
