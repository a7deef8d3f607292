from django.urls import include, path

from . import views_cards as views

# The organizer's pages of one participant's card, below organizer/participants/<participant_id>/.
manage_patterns = [
    path("card/", views.card_manage, name="manage"),
    path("card/<str:action>/", views.card_action, name="action"),
    path("card.pdf", views.card_print, name="print"),
]

app_name = "participants_cards"

urlpatterns = [
    path("cards/<str:secret>/", views.card_page, name="card"),
    path("cards/<str:secret>/qr.png", views.card_qr_png, name="card_qr_png"),
    path("organizer/participants/<int:participant_id>/", include(manage_patterns)),
]
