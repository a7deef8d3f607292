from django.urls import include, path

from . import (
    views,
    views_followup,
    views_followup_report,
    views_partners,
    views_responses,
    views_summary,
)


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
        path(f"{prefix}answers/", views_responses.partner_answers, name=f"partner_answers{suffix}"),
        path(
            f"{prefix}answers/<int:recommendation_id>/",
            views_responses.partner_answer,
            name=f"partner_answer{suffix}",
        ),
        path(
            f"{prefix}answers/<int:recommendation_id>/commitments/",
            views_responses.partner_commitment_add,
            name=f"partner_commitment_add{suffix}",
        ),
        path(
            f"{prefix}proposals/<int:proposal_id>/",
            views_responses.partner_proposal_answer,
            name=f"partner_proposal_answer{suffix}",
        ),
        path(
            f"{prefix}proposals/<int:proposal_id>/commitments/",
            views_responses.partner_proposal_commitment_add,
            name=f"partner_proposal_commitment_add{suffix}",
        ),
        path(
            f"{prefix}commitments/<int:commitment_id>/updates/",
            views_responses.partner_commitment_update,
            name=f"partner_commitment_update{suffix}",
        ),
        path(
            f"{prefix}updates/<int:update_id>/document",
            views_responses.partner_document,
            name=f"partner_document{suffix}",
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
    path("followup/", views_followup.forum_followup, name="followup"),
    path("followup/public/", views_followup.forum_followup_public, name="followup_public"),
    path(
        "manage/followup-report/",
        views_followup_report.followup_report_new,
        name="followup_report_new",
    ),
    path(
        "manage/followup-report/<int:report_id>/preview/",
        views_followup_report.followup_report_preview,
        name="followup_report_preview",
    ),
    path(
        "manage/followup-report/<int:report_id>/<str:language>.pdf",
        views_followup_report.followup_report_document,
        {"kind": "pdf"},
        name="followup_report_pdf",
    ),
    path(
        "manage/followup-report/<int:report_id>/<str:language>.html",
        views_followup_report.followup_report_document,
        {"kind": "html"},
        name="followup_report_html",
    ),
    path(
        "manage/followup-report/<int:report_id>/send/",
        views_followup_report.followup_report_send,
        name="followup_report_send",
    ),
    path(
        "manage/updates/<int:update_id>/document",
        views_followup.organizer_document,
        name="organizer_document",
    ),
]

app_name = "forums"
urlpatterns = [
    path("forums/<int:event_id>/", include(forum_patterns)),
    path(
        "forums/programmes/<int:programme_id>/followup/",
        views_followup.programme_followup,
        name="programme_followup",
    ),
    path(
        "forums/programmes/<int:programme_id>/network/",
        views_followup.programme_network,
        name="programme_network",
    ),
    *_partner_paths("partners/", "_session"),
    *_partner_paths("partners/link/<str:token>/", ""),
]
