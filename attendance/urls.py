from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("scan/", views.scanner, name="scanner"),
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
]
