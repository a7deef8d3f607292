from django.urls import path

from . import figure_views, scanner_app, views

app_name = "attendance"
urlpatterns = [
    # The door: volunteers' scanner and organizers' session pages.
    path("scan/", views.scanner, name="scanner"),
    path("scan/sw.js", scanner_app.scanner_service_worker, name="scanner_sw"),
    path("scan/manifest.webmanifest", scanner_app.scanner_manifest, name="scanner_manifest"),
    path("door/", views.door_index, name="door_index"),
    path("door/sessions/<int:session_id>/", views.session_door, name="session_door"),
    path(
        "door/sessions/<int:session_id>/undo/<int:attendance_id>/",
        views.undo_admission,
        name="undo_admission",
    ),
    path("door/sessions/<int:session_id>/paper-list.pdf", views.paper_list, name="paper_list"),
    path("door/sessions/<int:session_id>/paper/", views.paper_marks, name="paper_marks"),
    path(
        "door/sessions/<int:session_id>/class-headcount/",
        views.class_headcount,
        name="class_headcount",
    ),
    # Figures: dashboards and exports.
    path(
        "organizer/programmes/<int:programme_id>/figures/",
        figure_views.programme_dashboard,
        name="programme_dashboard",
    ),
    path(
        "organizer/programmes/<int:programme_id>/figures.csv",
        figure_views.programme_figures_export,
        {"file_format": "csv"},
        name="programme_figures_csv",
    ),
    path(
        "organizer/programmes/<int:programme_id>/figures.xlsx",
        figure_views.programme_figures_export,
        {"file_format": "xlsx"},
        name="programme_figures_xlsx",
    ),
    path(
        "organizer/events/<int:event_id>/figures/",
        figure_views.event_dashboard,
        name="event_dashboard",
    ),
    path(
        "organizer/events/<int:event_id>/attendance.csv",
        figure_views.event_attendance_list_export,
        name="event_attendance_list_export",
    ),
]
