from django.urls import path

from . import views, views_organizer

app_name = "events"
urlpatterns = [
    path("organizer/", views_organizer.organizer_home, name="organizer_home"),
    path("events/", views.public_event_list, name="public_list"),
    path("events/<int:event_id>/register/", views.event_register, name="register"),
    path("events/<int:event_id>/badges.pdf", views.event_badges, name="badges"),
    path("registrations/<str:token>/", views.registration_page, name="registration"),
    path("tickets/<str:secret>/", views.ticket_page, name="ticket"),
    path("tickets/<str:secret>/qr.png", views.ticket_qr_png, name="ticket_qr_png"),
    path("tickets/<str:secret>/qr.svg", views.ticket_qr_svg, name="ticket_qr_svg"),
]
