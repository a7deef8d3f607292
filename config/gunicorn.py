"""gunicorn settings for a small server (`gunicorn -c config/gunicorn.py config.wsgi:application`).

The master loads the application before it forks the workers (`preload_app`), so that the code,
the URL patterns and the translation catalogs every worker needs sit once in memory, shared by
copy-on-write, instead of once per worker: on the 1 GB server the README describes, this is
about half the web server's memory. Then `gc.freeze()` moves everything loaded so far out of the
garbage collector's sight: a collection in a worker would otherwise write to every object's
header and so copy the shared pages into each worker one by one.

The price of preloading: a code deployment needs a restart of the master (not a HUP), which is
what `docker compose up` does anyway."""

import gc

preload_app = True


def when_ready(server):
    # Runs in the master after the preloaded application is imported, before the first fork.
    if not server.cfg.preload_app:  # `--no-preload`: nothing loaded here to share
        return
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    # What each worker would otherwise load on its first request: the URLconf (every router and
    # schema) and the catalogs of each language.
    get_resolver().url_patterns  # noqa: B018 - the property loads the URLconf
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
    gc.collect()
    gc.freeze()
