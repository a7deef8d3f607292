from django.urls import path

from . import views, views_paper

app_name = "assessments"

urlpatterns = [
    path("checks/<str:token>/", views.answer, name="answer"),
    path("checks/<str:token>/qr.png", views.room_qr, name="room_qr"),
    path(
        "checks/media/<str:kind>/<int:pk>/<str:field>",
        views.media,
        name="media",
    ),
    path("organizer/events/<int:event_id>/checks/", views.results_event, name="results_event"),
    path(
        "organizer/programmes/<int:programme_id>/checks/",
        views.results_programme,
        name="results_programme",
    ),
    path(
        "organizer/checks/<int:assignment_id>/sheet/",
        views_paper.paper_sheet,
        name="paper_sheet",
    ),
    path(
        "organizer/checks/<int:assignment_id>/grid/",
        views_paper.paper_grid,
        name="paper_grid",
    ),
]
