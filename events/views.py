from django.shortcuts import render

from .selectors.events import published_event_list


def public_event_list(request):
    return render(request, "events/public_list.html", {"events": published_event_list()})
