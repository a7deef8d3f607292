from django.urls import include, path

from . import views, views_partners, views_summary


def _partner_paths(prefix: str, suffix: str):
    """The partner pages, reached either with a partner's session or with a partner link's token."""
    return [
        path(prefix, views_partners.partner_home, name=f"partner_home{suffix}"),
        path(
            f"{prefix}forums/<int:event_id>/",
            views_partners.partner_summary,
            name=f"partner_summary{suffix}",
        ),
        path(
            f"{prefix}forums/<int:event_id>/summary.pdf",
            views_partners.partner_summary_pdf,
            name=f"partner_pdf{suffix}",
        ),
    ]


forum_patterns = [
    path("rapporteur/", views.rapporteur_page, name="rapporteur"),
    path("manage/", views.organizer_page, name="manage"),
    path(
        "manage/recommendations/<int:recommendation_id>/",
        views.recommendation_edit_page,
        name="recommendation_edit",
    ),
    path(
        "manage/recommendations/<int:recommendation_id>/<str:action>/",
        views.recommendation_action,
        name="recommendation_action",
    ),
    path("manage/summary/", views.summary_new_version, name="summary_new"),
    path(
        "manage/summary/<int:summary_id>/preview/",
        views_summary.summary_preview,
        name="summary_preview",
    ),
    path(
        "manage/summary/<int:summary_id>/preview.pdf",
        views_summary.summary_preview_document,
        {"kind": "pdf"},
        name="summary_preview_pdf",
    ),
    path(
        "manage/summary/<int:summary_id>/preview.html",
        views_summary.summary_preview_document,
        {"kind": "html"},
        name="summary_preview_html",
    ),
    path("manage/summary/<int:summary_id>/send/", views_summary.summary_send, name="summary_send"),
    path(
        "manage/summary/<int:summary_id>/retry/",
        views.summary_delivery_retry_action,
        name="summary_delivery_retry",
    ),
    path("summary/", views.summary_page, name="summary"),
    path("summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("screen/", views.endorsement_screen, name="screen"),
    path("endorse/", views.endorsement_page, name="endorse"),
]

app_name = "forums"
urlpatterns = [
    path("forums/<int:event_id>/", include(forum_patterns)),
    *_partner_paths("partners/", "_session"),
    *_partner_paths("partners/link/<str:token>/", ""),
]
