from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("propose/<int:event_id>/", views.participant_page, name="participate"),
    path("propose/<int:event_id>/table/", views.table_page, name="table"),
    path("organizer/events/<int:event_id>/proposals/", views.manage_page, name="manage"),
    path(
        "organizer/events/<int:event_id>/proposals/<int:proposal_id>/photo/",
        views.proposal_photo,
        name="photo",
    ),
    path(
        "organizer/events/<int:event_id>/proposals/<int:proposal_id>/<str:action>/",
        views.proposal_action,
        name="action",
    ),
]
