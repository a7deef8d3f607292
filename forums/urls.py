from django.urls import path

from . import views, views_partners

app_name = "forums"
urlpatterns = [
    path("forums/<int:event_id>/rapporteur/", views.rapporteur_page, name="rapporteur"),
    path("forums/<int:event_id>/manage/", views.organizer_page, name="manage"),
    path(
        "forums/<int:event_id>/manage/recommendations/<int:recommendation_id>/",
        views.recommendation_edit_page,
        name="recommendation_edit",
    ),
    path(
        "forums/<int:event_id>/manage/recommendations/<int:recommendation_id>/<str:action>/",
        views.recommendation_action,
        name="recommendation_action",
    ),
    path("forums/<int:event_id>/manage/summary/", views.summary_new_version, name="summary_new"),
    path(
        "forums/<int:event_id>/manage/summary/<int:summary_id>/retry/",
        views.summary_delivery_retry_action,
        name="summary_delivery_retry",
    ),
    path("forums/<int:event_id>/summary/", views.summary_page, name="summary"),
    path("forums/<int:event_id>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("forums/<int:event_id>/screen/", views.endorsement_screen, name="screen"),
    path("forums/<int:event_id>/endorse/", views.endorsement_page, name="endorse"),
    path("partners/", views_partners.partner_home, name="partner_home_session"),
    path(
        "partners/forums/<int:event_id>/",
        views_partners.partner_summary,
        name="partner_summary_session",
    ),
    path(
        "partners/forums/<int:event_id>/summary.pdf",
        views_partners.partner_summary_pdf,
        name="partner_pdf_session",
    ),
    path("partners/link/<str:token>/", views_partners.partner_home, name="partner_home"),
    path(
        "partners/link/<str:token>/forums/<int:event_id>/",
        views_partners.partner_summary,
        name="partner_summary",
    ),
    path(
        "partners/link/<str:token>/forums/<int:event_id>/summary.pdf",
        views_partners.partner_summary_pdf,
        name="partner_pdf",
    ),
]
