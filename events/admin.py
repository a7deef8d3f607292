from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError
from core.permissions import scope_events, scope_programmes

from .models import Attendee, Event, Programme, Registration, Session, Target, Ticket, Venue
from .services import events as event_services


class TargetInline(admin.TabularInline):
    model = Target
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "lead_organization", "start_date", "end_date"]
    list_filter = ["lead_organization", "start_date"]
    search_fields = ["code", "name"]
    filter_horizontal = ["donors", "partners"]
    inlines = [TargetInline]
    date_hierarchy = "start_date"

    def get_queryset(self, request):
        return scope_programmes(request.user, super().get_queryset(request))


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "capacity"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "address", "city"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 1
    fields = ["title", "date", "start_time", "end_time", "venue", "school_name", "class_level", "capacity"]
    autocomplete_fields = ["venue"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "programme", "organizer", "start_date", "end_date"]
    list_filter = ["programme", "kind", "status", "start_date", "organizer"]
    search_fields = ["title", "title_ar", "title_en", "programme__code"]
    date_hierarchy = "start_date"
    filter_horizontal = ["co_organizers"]
    inlines = [SessionInline]
    actions = ["duplicate_events", "publish_events", "close_events", "cancel_events"]
    readonly_fields = ["status"]
    fieldsets = [
        (None, {"fields": ["programme", "kind", "status", "organizer", "co_organizers"]}),
        (_("Titles and descriptions"), {"fields": [
            "title", "title_ar", "title_en", "description_fr", "description_ar", "description_en",
        ]}),
        (_("Dates and registration"), {"fields": [
            "start_date", "end_date", "capacity", "registration_opens_at", "registration_closes_at",
            "languages", "ask_nationality",
        ]}),
    ]

    def get_queryset(self, request):
        return scope_events(request.user, super().get_queryset(request)).select_related(
            "programme", "organizer"
        )

    def _run(self, request, queryset, service, done_message):
        done = 0
        for event in queryset:
            try:
                service(event=event)
                done += 1
            except (ApplicationError, ValidationError) as exc:
                self.message_user(request, f"{event}: {exc}", messages.ERROR)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Duplicate the selected events (as drafts)"))
    def duplicate_events(self, request, queryset):
        self._run(request, queryset, event_services.event_duplicate, _("%(count)s event(s) duplicated."))

    @admin.action(description=_("Publish the selected events"))
    def publish_events(self, request, queryset):
        self._run(request, queryset, event_services.event_publish, _("%(count)s event(s) published."))

    @admin.action(description=_("Close the selected events"))
    def close_events(self, request, queryset):
        self._run(request, queryset, event_services.event_close, _("%(count)s event(s) closed."))

    @admin.action(description=_("Cancel the selected events"))
    def cancel_events(self, request, queryset):
        self._run(request, queryset, event_services.event_cancel, _("%(count)s event(s) cancelled."))


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "date", "start_time", "venue"]
    list_filter = ["event__programme", "event__kind", "date", "venue"]
    search_fields = ["title", "school_name", "event__title"]
    autocomplete_fields = ["venue"]

    def get_queryset(self, request):
        return scope_events(request.user, super().get_queryset(request), prefix="event__")


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    fields = ["first_name", "gender", "age_band", "profile", "nationality", "is_contact"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["id", "contact_name", "kind", "event", "language", "consent_contact", "created_at"]
    list_filter = ["event__programme", "event", "kind", "source", "language"]
    search_fields = ["contact_name", "event__title"]
    inlines = [AttendeeInline]
    exclude = ["access_token"]

    def get_queryset(self, request):
        return scope_events(request.user, super().get_queryset(request), prefix="event__")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "status", "issued_at"]
    list_filter = ["status", "event"]
    search_fields = ["short_code"]
    exclude = ["secret"]
    readonly_fields = ["short_code", "issued_at", "reissued_at", "cancelled_at"]

    def get_queryset(self, request):
        return scope_events(request.user, super().get_queryset(request), prefix="event__")
