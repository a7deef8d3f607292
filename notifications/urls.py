from django.urls import path

from . import views, views_inbox, views_send_now

app_name = "notifications"
urlpatterns = [
    path("stop/<str:token>/", views.opt_out, name="opt_out"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
    path("organizer/events/<int:event_id>/messages/", views.event_messages, name="event_messages"),
    path(
        "organizer/events/<int:event_id>/messages/send/",
        views_send_now.event_messages_send,
        name="event_messages_send",
    ),
    path(
        "organizer/events/<int:event_id>/messages/inbox/<int:inbound_id>/",
        views_inbox.inbox_answer,
        name="inbox_answer",
    ),
    path(
        "organizer/participants/<int:participant_id>/send-card/",
        views.participant_card_send_view,
        name="participant_card_send",
    ),
]
