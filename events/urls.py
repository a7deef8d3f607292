from django.urls import include, path

from . import views, views_organizer

# A ticket's pages, reached with its secret (the QR code's content), below tickets/<secret>/.
ticket_patterns = [
    path("", views.ticket_page, name="ticket"),
    path("qr.png", views.ticket_qr_png, name="ticket_qr_png"),
    path("qr.svg", views.ticket_qr_svg, name="ticket_qr_svg"),
]

app_name = "events"
urlpatterns = [
    path("organizer/", views_organizer.organizer_home, name="organizer_home"),
    path("events/", views.public_event_list, name="public_list"),
    path("events/<int:event_id>/register/", views.event_register, name="register"),
    path("events/<int:event_id>/badges.pdf", views.event_badges, name="badges"),
    path("registrations/<str:token>/", views.registration_page, name="registration"),
    path("tickets/<str:secret>/", include(ticket_patterns)),
]
