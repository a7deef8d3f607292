from django.shortcuts import get_object_or_404, render

from .models import Registration, Ticket
from .selectors.events import published_event_list


def public_event_list(request):
    return render(request, "events/public_list.html", {"events": published_event_list()})


def registration_page(request, token: str):
    registration = get_object_or_404(Registration.objects.select_related("event"), access_token=token)
    tickets = Ticket.objects.filter(attendee__registration=registration).select_related("attendee")
    return render(
        request, "events/registration.html", {"registration": registration, "tickets": tickets}
    )


def ticket_page(request, secret: str):
    ticket = get_object_or_404(Ticket.objects.select_related("event", "attendee"), secret=secret)
    return render(request, "events/ticket.html", {"ticket": ticket})
