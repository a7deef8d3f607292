from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("events/", views.public_event_list, name="public_list"),
    path("registrations/<str:token>/", views.registration_page, name="registration"),
    path("tickets/<str:secret>/", views.ticket_page, name="ticket"),
]
