from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("events/", views.public_event_list, name="public_list"),
]
