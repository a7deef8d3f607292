from django.urls import path

from . import views_cards as views

app_name = "participants_cards"

urlpatterns = [
    path("cards/<str:secret>/", views.card_page, name="card"),
    path("cards/<str:secret>/qr.png", views.card_qr_png, name="card_qr_png"),
    path("organizer/participants/<int:participant_id>/card/", views.card_manage, name="manage"),
    path(
        "organizer/participants/<int:participant_id>/card/<str:action>/",
        views.card_action,
        name="action",
    ),
    path("organizer/participants/<int:participant_id>/card.pdf", views.card_print, name="print"),
]
