from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from core.errors import ApplicationError
from core.permissions import organization_ids
from core.phones import phone_to_e164
from core.tenant_admin import TenantModelAdmin, TenantStackedInline, TenantTabularInline

from .admin_forms import (
    DateTimeLocalInput,
    EventAdminForm,
    PreloadedAutocompleteSelect,
    SessionInlineForm,
    deferred_media,
)
from .codes import normalize_short_code
from .models import Attendee, Event, Programme, Registration, Session, Target, Ticket, Venue
from .selectors.agenda import event_door_sessions
from .services import events as event_services
from .services import registrations as registration_services
from .services import tickets as ticket_services
from .services.registrations import CONSENT_WORDING_VERSION, WHATSAPP_OPT_IN_WORDING_VERSION


def _each_action(*, description, apply, done, errors=(ApplicationError,)):
    """An admin action that calls a service on each selected row, as the API would one by one: a
    row the service refuses gets its own error message and does not stop the others.

    `apply(request, obj)` calls the service; `done` is an `ngettext_lazy` counted by "count"."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        count = 0
        for obj in queryset:
            try:
                apply(request, obj)
                count += 1
            except errors as exc:
                modeladmin.message_user(request, f"{obj}: {exc}", messages.ERROR)
        if count:
            modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)

    return action


def _event_action(service, description, done):
    # The event services refuse a wrong status with ApplicationError, a wrong date with
    # ValidationError: both are a message for that one event.
    return _each_action(
        description=description,
        apply=lambda request, event: service(event=event),
        done=done,
        errors=(ApplicationError, ValidationError),
    )


def _ticket_action(service, description, done):
    return _each_action(
        description=description,
        apply=lambda request, ticket: service(ticket=ticket, actor=request.user),
        done=done,
    )


class TargetInline(TenantTabularInline):
    model = Target
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(TenantModelAdmin):
    list_display = ["code", "name", "lead_organization", "start_date", "end_date"]
    list_filter = ["lead_organization", "start_date"]
    search_fields = ["code", "name"]
    filter_horizontal = ["donors", "partners"]
    inlines = [TargetInline]
    date_hierarchy = "start_date"


@admin.register(Venue)
class VenueAdmin(TenantModelAdmin):
    list_display = ["name", "kind", "city", "capacity", "organization"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "address", "city"]

    def get_changeform_initial_data(self, request):
        # A venue an organizer adds is theirs to correct later.
        initial = super().get_changeform_initial_data(request)
        own = organization_ids(request.user)
        if len(own) == 1 and "organization" not in initial:
            initial["organization"] = next(iter(own))
        return initial


class SessionInline(TenantStackedInline):
    """Stacked, a few fields a line: as a table the sessions ran some 2,000 px wide."""

    model = Session
    form = SessionInlineForm
    extra = 1
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("date", "start_time", "end_time"),
                    ("venue", "capacity"),
                    ("title", "school_name", "class_level"),
                ]
            },
        )
    ]
    autocomplete_fields = ["venue"]

    def get_queryset(self, request):
        # Each row's label names its event and its venue: loaded with the rows, not per row.
        return super().get_queryset(request).select_related("event", "venue")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "venue":
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Event)
class EventAdmin(TenantModelAdmin):
    form = EventAdminForm
    list_display = ["title", "kind", "status", "programme", "organizer", "start_date", "end_date"]
    list_filter = ["programme", "kind", "status", "start_date", "organizer"]
    search_fields = ["title", "title_ar", "title_en", "programme__code"]
    date_hierarchy = "start_date"
    formfield_overrides = {
        # One labelled input per date and time, instead of the admin's two inputs under one label.
        models.DateTimeField: {"form_class": forms.DateTimeField, "widget": DateTimeLocalInput},
        # Organisations are few: checkboxes, each with its label, rather than filter_horizontal's
        # two unnamed select boxes.
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    inlines = [SessionInline]

    class Media:
        css = {"all": ["events/admin.css"]}
        # After jquery.init.js, which defines the django.jQuery the script uses.
        js = ["admin/js/jquery.init.js", "events/admin_autocomplete_names.js"]

    actions = [
        "duplicate_events",
        "publish_events",
        "close_events",
        "cancel_events",
        "print_badges",
        "promote_waiting_list",
    ]
    readonly_fields = ["status"]
    fieldsets = [
        (None, {"fields": ["programme", "kind", "status", "organizer", "co_organizers"]}),
        (_("Titles and descriptions"), {"fields": list(event_services.EVENT_TEXT_FIELDS)}),
        (_("Dates and registration"), {"fields": list(event_services.EVENT_DATE_FIELDS)}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("programme", "organizer")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The object-tools link to the door of today's (or the next) session.
        if obj is not None and obj.pk:
            context["door_sessions"] = event_door_sessions(event=obj, today=timezone.localdate())
        context["media"] = deferred_media(context["media"])
        return super().render_change_form(request, context, add, change, form_url, obj)

    duplicate_events = _event_action(
        event_services.event_duplicate,
        _("Duplicate the selected events (as drafts)"),
        ngettext_lazy("%(count)s event duplicated.", "%(count)s events duplicated.", "count"),
    )
    publish_events = _event_action(
        event_services.event_publish,
        _("Publish the selected events"),
        ngettext_lazy("%(count)s event published.", "%(count)s events published.", "count"),
    )
    close_events = _event_action(
        event_services.event_close,
        _("Close the selected events"),
        ngettext_lazy("%(count)s event closed.", "%(count)s events closed.", "count"),
    )
    cancel_events = _event_action(
        event_services.event_cancel,
        _("Cancel the selected events"),
        ngettext_lazy("%(count)s event cancelled.", "%(count)s events cancelled.", "count"),
    )

    @admin.action(description=_("Print badges (PDF) of every valid ticket"))
    def print_badges(self, request, queryset):
        tickets = Ticket.objects.filter(event__in=queryset, status=Ticket.Status.VALID)
        tickets = tickets.select_related("attendee", "event").order_by(
            "event_id", "attendee__registration_id", "-attendee__is_contact", "attendee_id"
        )
        return _badges_response(tickets, "badges")

    @admin.action(description=_("Give free places to the waiting list"))
    def promote_waiting_list(self, request, queryset):
        promoted = sum(len(ticket_services.waitlist_promote(event=event)) for event in queryset)
        self.message_user(
            request,
            ngettext("%(count)s ticket promoted.", "%(count)s tickets promoted.", promoted)
            % {"count": promoted},
            messages.SUCCESS,
        )


@admin.register(Session)
class SessionAdmin(TenantModelAdmin):
    list_display = ["__str__", "event", "date", "start_time", "venue"]
    list_filter = ["event__programme", "event__kind", "date", "venue"]
    search_fields = ["title", "school_name", "event__title"]
    autocomplete_fields = ["venue"]


class AttendeeInline(TenantTabularInline):
    model = Attendee
    extra = 0
    fields = [
        "first_name",
        "gender",
        "age_band",
        "profile",
        "nationality",
        "is_contact",
        "ticket_link",
    ]
    readonly_fields = ["ticket_link"]

    def get_queryset(self, request):
        # Each row links its ticket: loaded with the people of a class, not one query per pupil.
        return super().get_queryset(request).select_related("ticket")

    @admin.display(description=_("ticket"))
    def ticket_link(self, attendee):
        ticket = getattr(attendee, "ticket", None) if attendee.pk else None
        if ticket is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:events_ticket_change", args=[ticket.pk]),
            ticket,
            ticket.get_status_display(),
        )


def _badges_response(tickets, filename: str) -> HttpResponse:
    # reportlab loads with the first PDF, not in every process at start (README, "Small server").
    from .badges import badges_pdf

    response = HttpResponse(badges_pdf(tickets), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@admin.register(Registration)
class RegistrationAdmin(TenantModelAdmin):
    list_display = [
        "id",
        "contact_name",
        "kind",
        "event",
        "language",
        "consent_contact",
        "ticket_count",
        "answer",
        "created_at",
    ]
    list_filter = ["event__programme", "event", "kind", "source", "language", "answer"]
    search_fields = ["contact_name", "event__title"]
    # A season's events would fill a select box; the autocomplete asks EventAdmin (scoped).
    autocomplete_fields = ["event"]
    inlines = [AttendeeInline]
    exclude = [
        "access_token",
        "consent_recorded_at",
        "consent_wording_version",
        "whatsapp_opt_in_recorded_at",
        "whatsapp_opt_in_wording_version",
        "source",
        "personal_data_purged_at",
    ]
    # Set by the person's own reply (1 / OUI, 2 / NON), never typed in by staff.
    readonly_fields = ["confirmation_page", "badges", "answer", "answered_at"]
    actions = ["print_badges", "erase_personal_data"]

    def get_queryset(self, request):
        # The changelist's ticket count in the same query, not one query per row.
        return super().get_queryset(request).annotate(ticket_total=Count("members__ticket"))

    @admin.action(description=_("Erase personal data (right to erasure)"))
    def erase_personal_data(self, request, queryset):
        from events.services.retention import registration_erase

        for registration in queryset.select_related("event__programme"):
            registration_erase(registration=registration, actor=request.user)
        self.message_user(request, _("Personal data erased; figures are unchanged."))

    @admin.display(description=_("tickets"), ordering="ticket_total")
    def ticket_count(self, registration):
        return registration.ticket_total

    @admin.display(description=_("confirmation page"))
    def confirmation_page(self, registration):
        if not registration.pk:
            return "—"
        return format_html('<a href="{0}" target="_blank">{0}</a>', registration.get_absolute_url())

    @admin.display(description=_("badges"))
    def badges(self, registration):
        if not registration.pk:
            return "—"
        url = reverse("events:badges", args=[registration.event_id])
        return format_html(
            '<a href="{}?registration={}" target="_blank">{}</a>', url, registration.pk, _("PDF")
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = Registration.Source.ADMIN
            obj.consent_recorded_at = timezone.now()
            obj.consent_wording_version = CONSENT_WORDING_VERSION
        if "whatsapp_opt_in" in form.changed_data:
            # Staff record what the person said (on paper, by phone) with today's wording.
            obj.whatsapp_opt_in_recorded_at = timezone.now() if obj.whatsapp_opt_in else None
            obj.whatsapp_opt_in_wording_version = (
                WHATSAPP_OPT_IN_WORDING_VERSION if obj.whatsapp_opt_in else ""
            )
        if obj.phone:
            try:
                obj.phone = phone_to_e164(obj.phone)
            except ValidationError:
                self.message_user(
                    request, _("The phone number was not valid and was not kept."), messages.WARNING
                )
                obj.phone = ""
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # People typed into the admin get their tickets through the same service as everyone.
        tickets = registration_services.registration_issue_missing_tickets(
            registration=form.instance
        )
        if tickets:
            waiting = sum(ticket.status == Ticket.Status.WAITLISTED for ticket in tickets)
            self.message_user(
                request,
                ngettext(
                    "%(count)s ticket issued, %(waiting)s on the waiting list.",
                    "%(count)s tickets issued, %(waiting)s on the waiting list.",
                    len(tickets),
                )
                % {"count": len(tickets), "waiting": waiting},
                messages.SUCCESS,
            )

    @admin.action(description=_("Print badges (PDF) for the selected registrations"))
    def print_badges(self, request, queryset):
        tickets = (
            Ticket.objects.filter(attendee__registration__in=queryset, status=Ticket.Status.VALID)
            .select_related("attendee", "event")
            .order_by("attendee__registration_id", "-attendee__is_contact", "attendee_id")
        )
        return _badges_response(tickets, "badges")


@admin.register(Ticket)
class TicketAdmin(TenantModelAdmin):
    list_display = ["__str__", "event", "status", "issued_at", "reissued_at"]
    list_filter = ["status", "event"]
    search_fields = ["short_code"]
    exclude = ["secret"]
    readonly_fields = [
        "event",
        "attendee",
        "short_code",
        "status",
        "issued_at",
        "reissued_at",
        "cancelled_at",
        "ticket_page",
    ]
    actions = ["cancel_tickets", "reissue_tickets", "print_badges"]

    def get_search_results(self, request, queryset, search_term):
        # Codes are read aloud or typed as "k7p2 9qxm"; stored as K7P29QXM.
        code = normalize_short_code(search_term)
        if code:
            return queryset.filter(short_code=code), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        # Tickets come from registrations, so that capacity and the waiting list are respected.
        return False

    @admin.display(description=_("ticket page"))
    def ticket_page(self, ticket):
        return format_html(
            '<a href="{}" target="_blank">{}</a>', ticket.get_absolute_url(), _("Open")
        )

    cancel_tickets = _ticket_action(
        ticket_services.ticket_cancel,
        _("Cancel the selected tickets (frees places for the waiting list)"),
        ngettext_lazy("%(count)s ticket cancelled.", "%(count)s tickets cancelled.", "count"),
    )
    reissue_tickets = _ticket_action(
        ticket_services.ticket_reissue,
        _("Re-issue the selected tickets (the old QR codes stop working)"),
        ngettext_lazy("%(count)s ticket re-issued.", "%(count)s tickets re-issued.", "count"),
    )

    @admin.action(description=_("Print badges (PDF) for the selected tickets"))
    def print_badges(self, request, queryset):
        tickets = queryset.filter(status=Ticket.Status.VALID).select_related("attendee", "event")
        return _badges_response(tickets, "badges")
