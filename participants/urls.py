from django.urls import include, path

from . import views

# The organizer's review of possible duplicates and of past merges, below organizer/participants/.
review_patterns = [
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:candidate_id>/merge/", views.candidate_merge, name="candidate_merge"),
    path(
        "duplicates/<int:candidate_id>/distinct/",
        views.candidate_distinct,
        name="candidate_distinct",
    ),
    path("merges/", views.merges, name="merges"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
    path("<int:participant_id>/", views.participant_detail, name="participant"),
]

app_name = "participants"
urlpatterns = [path("organizer/participants/", include(review_patterns))]
