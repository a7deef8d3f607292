from django.urls import include, path

from . import scanner_app, views

# One session's door pages, below door/sessions/<session_id>/.
session_door_patterns = [
    path("", views.session_door, name="session_door"),
    path("undo/<int:attendance_id>/", views.undo_admission, name="undo_admission"),
    path("paper-list.pdf", views.paper_list, name="paper_list"),
    path("paper/", views.paper_marks, name="paper_marks"),
    path("class-headcount/", views.class_headcount, name="class_headcount"),
]

app_name = "attendance"
urlpatterns = [
    # The door: volunteers' scanner and organizers' session pages.
    path("scan/", views.scanner, name="scanner"),
    path("scan/sw.js", scanner_app.scanner_service_worker, name="scanner_sw"),
    path("scan/manifest.webmanifest", scanner_app.scanner_manifest, name="scanner_manifest"),
    path("door/", views.door_index, name="door_index"),
    path("door/sessions/<int:session_id>/", include(session_door_patterns)),
    path("door/events/<int:event_id>/panel/", views.event_door_panel, name="door_panel"),
    path(
        "door/events/<int:event_id>/panel.json",
        views.event_door_panel_data,
        name="door_panel_data",
    ),
]
