"""Copy the front-end libraries installed by `npm ci` into static/vendor/ (git-ignored), so that
nothing is fetched from a CDN at run time and the CSP can stay `script-src 'self'`."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# node_modules path -> file name under static/vendor/
VENDORED = {
    "jsqr/dist/jsQR.js": "jsQR.js",
}


class Command(BaseCommand):
    help = "Copy npm-installed browser libraries (the QR decoder) into static/vendor/."

    def handle(self, *args, **options):
        node_modules = Path(settings.BASE_DIR) / "node_modules"
        target = Path(settings.BASE_DIR) / "static" / "vendor"
        target.mkdir(parents=True, exist_ok=True)
        for source, name in VENDORED.items():
            path = node_modules / source
            if not path.is_file():
                raise CommandError(f"{path} is missing: run `npm ci` first.")
            shutil.copyfile(path, target / name)
            self.stdout.write(f"{source} -> static/vendor/{name}")
