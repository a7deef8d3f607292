from django.urls import path

from . import views

app_name = "participants"
urlpatterns = [
    path("organizer/participants/duplicates/", views.duplicates, name="duplicates"),
    path(
        "organizer/participants/duplicates/<int:candidate_id>/merge/",
        views.candidate_merge,
        name="candidate_merge",
    ),
    path(
        "organizer/participants/duplicates/<int:candidate_id>/distinct/",
        views.candidate_distinct,
        name="candidate_distinct",
    ),
    path("organizer/participants/merges/", views.merges, name="merges"),
    path(
        "organizer/participants/merges/<int:merge_id>/undo/",
        views.merge_undo,
        name="merge_undo",
    ),
    path(
        "organizer/participants/<int:participant_id>/",
        views.participant_detail,
        name="participant",
    ),
]
