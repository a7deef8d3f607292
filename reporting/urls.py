from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    # Figures: dashboards and exports.
    path(
        "organizer/programmes/<int:programme_id>/figures/",
        views.programme_dashboard,
        name="programme_dashboard",
    ),
    path(
        "organizer/programmes/<int:programme_id>/figures.csv",
        views.programme_figures_export,
        {"file_format": "csv"},
        name="programme_figures_csv",
    ),
    path(
        "organizer/programmes/<int:programme_id>/figures.xlsx",
        views.programme_figures_export,
        {"file_format": "xlsx"},
        name="programme_figures_xlsx",
    ),
    path(
        "organizer/events/<int:event_id>/figures/",
        views.event_dashboard,
        name="event_dashboard",
    ),
    path(
        "organizer/events/<int:event_id>/attendance.csv",
        views.event_attendance_list_export,
        name="event_attendance_list_export",
    ),
]
