from django.conf import settings
from django.contrib import admin
from django.urls import include, path, reverse_lazy

from core.views import admin_login

from .api import api

admin.site.site_header = "Multaqa"
admin.site.site_title = "Multaqa"
admin.site.index_title = "Multaqa"
# The admin's "View site" link leads organizers back to their home of today's events.
admin.site.site_url = reverse_lazy("events:organizer_home")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", admin_login, name="admin_login"),  # before the admin's own
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("core.urls")),
    path("", include("events.urls")),
    path("", include("participants.urls_cards")),
    path("", include("attendance.urls")),
    path("", include("assessments.urls")),
    path("", include("participants.urls")),
    path("", include("proposals.urls")),
    path("", include("reporting.urls")),
    path("", include("forums.urls")),
    path("", include("notifications.urls")),
]
if settings.MULTAQA_BENCH:  # the benchmarks' baseline endpoint, only under `make bench`
    urlpatterns.append(path("bench/", include("bench.urls")))

if settings.DEBUG:  # pragma: no cover - local convenience only
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
