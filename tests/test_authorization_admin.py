"""The admin half of the authorization matrix, generated from the admin registry: for every
registered model (and every inline), an organizer of organisation B holding every model
permission lists, opens, changes, deletes, picks and autocompletes nothing of organisation A.

A model added to the admin later is covered without a new test: `test_world_has_a_row_of_every
_admin_model` fails until the world below holds one of its rows, and the system check
(core.checks) fails until the model has a tenancy rule."""

from dataclasses import dataclass

import pytest
from django.contrib.admin import site as admin_site
from django.contrib.auth.models import Group, Permission
from django.core import checks
from django.db.models import CharField, TextField
from django.forms import ModelChoiceField

from assessments.models import CheckAssignment, Moment
from core import tenancy
from core.models import Membership
from core.tenant_admin import PlatformAdminMixin
from events.models import Session
from forums.models import ForumSettings, RapporteurAssignment, Theme
from notifications.models import MessageTemplate
from notifications.rendering import template_texts
from proposals.services import proposal_group_enter
from tests.assessments.world import question_set_make
from tests.factories import (
    AttendanceFactory,
    AuditEntryFactory,
    CallThemeFactory,
    CommitmentUpdateFactory,
    ContactFactory,
    DoorSettingsFactory,
    DoorTokenFactory,
    DuplicateCandidateFactory,
    EventFactory,
    EventNotificationSettingsFactory,
    FeedbackAnswerFactory,
    ForumEventFactory,
    ForumSettingsFactory,
    ForumSummaryFactory,
    MembershipFactory,
    MessageFactory,
    MessageTemplateFactory,
    OrganizationFactory,
    ParticipantLinkFactory,
    ParticipantMergeFactory,
    ProgrammeFactory,
    RapporteurAssignmentFactory,
    RecommendationFactory,
    ScanAttemptFactory,
    SessionFactory,
    SuppressionFactory,
    SyncConflictFactory,
    TargetFactory,
    ThemeFactory,
    TicketFactory,
    UserFactory,
    VenueFactory,
    WhatsAppTemplateFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


def _admin_models():
    models = set()
    for model, model_admin in admin_site._registry.items():
        models.add(model)
        models.update(inline.model for inline in model_admin.inlines)
    return sorted(models, key=lambda m: m._meta.label)


ADMIN_MODELS = _admin_models()
REGISTERED = sorted(admin_site._registry, key=lambda m: m._meta.label)
# Models whose rows are not one organisation's: anything else must be `owned`, so a new model
# cannot slip into a looser rule unnoticed.
NOT_OWNED = {
    "core.Organization": "reference",
    "events.Venue": "shared",
    "notifications.MessageTemplate": "shared",
    "notifications.WhatsAppTemplate": "shared",
    "core.Membership": "platform",
    "core.AuditEntry": "platform",
    "notifications.Suppression": "platform",
    "auth.Group": "platform",
    "axes.AccessAttempt": "platform",
    "axes.AccessLog": "platform",
    "axes.AccessFailureLog": "platform",
}
# Rows every organizer may see (and pick), though not change.
SEEN_BY_ALL = {"core.Organization", "events.Venue"}


def organisation_rows(org):
    """One row of every model an organisation's staff reach in the admin."""
    programme = ProgrammeFactory(lead_organization=org)
    TargetFactory(programme=programme)
    event = EventFactory(programme=programme)
    session = SessionFactory(event=event, venue=VenueFactory(organization=org))
    ticket = TicketFactory(attendee__registration__event=event)
    AttendanceFactory(session=session, ticket=ticket, source="scan")
    ParticipantLinkFactory(attendee=ticket.attendee, participant__organization=org)
    DuplicateCandidateFactory(organization=org)
    ParticipantMergeFactory(organization=org)
    token = DoorTokenFactory(events=[event])
    DoorSettingsFactory(event=event)
    ScanAttemptFactory(token=token, session=session)
    SyncConflictFactory(attempt__token=token, attempt__session=session)
    MessageTemplateFactory(organization=org)
    WhatsAppTemplateFactory(organization=org)
    EventNotificationSettingsFactory(event=event)
    MessageFactory(event=event)
    FeedbackAnswerFactory(event=event)
    forum = ForumEventFactory(programme=programme)
    ForumSettingsFactory(event=forum)
    theme = ThemeFactory(event=forum)
    WorkshopFactory(theme=theme)
    RecommendationFactory(theme=theme)
    # An institution's answer to an adopted recommendation, with a commitment and its update.
    CommitmentUpdateFactory(commitment__response__recommendation__theme=theme)
    rapporteur = MembershipFactory(
        organization=org, role=Membership.Role.RAPPORTEUR, user__is_staff=False
    ).user
    RapporteurAssignmentFactory(event=forum, user=rapporteur)
    ForumSummaryFactory(event=forum)
    proposal_theme = CallThemeFactory(call__event=event)
    group_proposal = proposal_group_enter(
        call=proposal_theme.call,
        theme=proposal_theme,
        title="Jardin",
        text="Un jardin.",
        language="fr",
        counts=[{"gender": "female", "age_band": "18-24", "count": 2}],
        entered_by=None,
    )
    assert group_proposal.group_counts.exists()
    ContactFactory(organization=org)
    AuditEntryFactory()
    SuppressionFactory()
    Group.objects.create(name=f"group of {org.name}")
    CheckAssignment.objects.create(
        question_set=question_set_make(programme, questions=3), event=event, moment=Moment.PRE
    )
    return {"event": event, "forum": forum, "programme": programme}


def _pks():
    return {
        model: set(model._default_manager.values_list("pk", flat=True)) for model in ADMIN_MODELS
    }


@dataclass
class Tenants:
    org_a: object
    org_b: object
    a_rows: dict  # model -> pks created for organisation A
    a: dict
    b: dict
    organizer_b: object
    administrator: object

    def hidden(self, model) -> set:
        """A's rows that B must not even see."""
        if model._meta.label in SEEN_BY_ALL:
            return set()
        if NOT_OWNED.get(model._meta.label) == "shared":
            return {pk for pk in self.a_rows[model] if _owner(model, pk) == self.org_a.pk}
        return self.a_rows[model]


def _owner(model, pk):
    field = tenancy.rule_for(model).owner_field
    return model._default_manager.filter(pk=pk).values_list(f"{field}_id", flat=True).first()


@pytest.fixture
def tenants(db):
    org_a, org_b = OrganizationFactory(name="NGO A"), OrganizationFactory(name="NGO B")
    MembershipFactory(organization=org_a)
    before = _pks()
    a = organisation_rows(org_a)
    after = _pks()
    b = organisation_rows(org_b)
    organizer_b = MembershipFactory(organization=org_b).user
    organizer_b.user_permissions.set(Permission.objects.all())
    return Tenants(
        org_a=org_a,
        org_b=org_b,
        a_rows={model: after[model] - before[model] for model in ADMIN_MODELS},
        a=a,
        b=b,
        organizer_b=organizer_b,
        administrator=UserFactory(is_superuser=True, is_staff=True),
    )


def _administrators_only(model) -> bool:
    return tenancy.rule_for(model).kind == "platform" or isinstance(
        admin_site._registry[model], PlatformAdminMixin
    )


def _url(model, view="changelist", pk=None):
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    return {
        "changelist": base,
        "add": f"{base}add/",
        "change": f"{base}{pk}/change/",
        "delete": f"{base}{pk}/delete/",
        "history": f"{base}{pk}/history/",
    }[view]


def _snapshot(model, pk):
    row = model._default_manager.filter(pk=pk).values().first()
    return row


def test_world_has_a_row_of_every_admin_model(tenants):
    # axes' login log fills itself; every other model needs a row of organisation A's.
    missing = [
        model._meta.label
        for model in ADMIN_MODELS
        if not tenants.a_rows[model]
        and model._meta.app_label != "axes"
        and model._meta.label not in ("core.Organization", "auth.User")
    ]
    assert missing == []


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_every_admin_model_has_a_tenancy_rule_of_the_expected_kind(model):
    assert tenancy.rule_for(model).kind == NOT_OWNED.get(model._meta.label, "owned")


def test_the_system_check_refuses_an_unscoped_admin():
    from django.contrib import admin

    from forums.models import Endorsement

    assert checks.run_checks(tags=[checks.Tags.admin]) == []
    admin_site.register(Endorsement, admin.ModelAdmin)
    try:
        ids = {error.id for error in checks.run_checks(tags=[checks.Tags.admin])}
    finally:
        admin_site.unregister(Endorsement)
    assert "multaqa.E002" in ids


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_lists_nothing_of_another_organisation(client, tenants, model):
    client.force_login(tenants.organizer_b)
    response = client.get(_url(model))
    if _administrators_only(model):
        assert response.status_code in (302, 403)
        return
    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert listed.isdisjoint(tenants.hidden(model))
    assert listed, "B's own rows (or shared rows) are listed"


def _hostile_payload(client, tenants, model, pk):
    """The change form of A's row as an administrator fills it, with one text field altered:
    valid data, so a missing check would save it."""
    client.force_login(tenants.administrator)
    response = client.get(_url(model, "change", pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data, altered = {}, None
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None and value is not False:
            data[name] = str(value)
        model_field = next((f for f in model._meta.fields if f.name == name), None)
        if (
            altered is None
            and isinstance(model_field, CharField | TextField)
            and not model_field.choices
            and not form.fields[name].disabled
        ):
            altered = name
            data[name] = "HIJACKED"[: model_field.max_length or 8]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = str(management["MIN_NUM_FORMS"].value() or 0)
        data[f"{prefix}-MAX_NUM_FORMS"] = str(management["MAX_NUM_FORMS"].value() or 1000)
    return data, altered


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_another_organisations_rows_cannot_be_opened_changed_or_deleted(client, tenants, model):
    rows = sorted(tenants.a_rows[model])
    if not rows:
        pytest.skip(f"no row of {model._meta.label} in organisation A's world")
    for pk in rows:
        before = _snapshot(model, pk)
        client.force_login(tenants.organizer_b)
        opened = client.get(_url(model, "change", pk))
        if _administrators_only(model):
            assert opened.status_code == 403, pk
        elif pk in tenants.hidden(model):
            # Django's admin answers a row outside the queryset as if it did not exist.
            assert opened.status_code == 302 and opened["Location"] == "/admin/", pk
            assert client.get(_url(model, "history", pk)).status_code == 302
        else:
            assert opened.status_code in (200, 302, 403)
            if opened.status_code == 200:
                assert not opened.context["has_change_permission"], (model, pk)
        # Deleting, one row or through the list's action.
        client.post(_url(model, "delete", pk), {"post": "yes"})
        client.post(
            _url(model),
            {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
        )
        assert model._default_manager.filter(pk=pk).exists(), (model, pk)
        if _administrators_only(model) or not admin_site._registry[model].has_change_permission(
            _as(tenants.administrator), model._default_manager.get(pk=pk)
        ):
            assert _snapshot(model, pk) == before
            continue
        data, altered = _hostile_payload(client, tenants, model, pk)
        client.force_login(tenants.organizer_b)
        client.post(_url(model, "change", pk), data)
        assert _snapshot(model, pk) == before, (model, pk)
        if altered:
            # The same payload from an administrator does change the row: the test can fail.
            client.force_login(tenants.administrator)
            response = client.post(_url(model, "change", pk), data)
            assert response.status_code == 302, (
                response.context and response.context["adminform"].form.errors
            )
            assert _snapshot(model, pk)[altered].startswith("HIJ"), (model, altered)


def _as(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _choice_fields(context):
    forms = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        forms.append(inline.formset.empty_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            # An inline row's hidden primary key names the row being edited, which the formset
            # looks up in its own (scoped) queryset: it is not a choice offered.
            if name == form._meta.model._meta.pk.name:
                continue
            if isinstance(field, ModelChoiceField):
                yield name, field


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_another_organisations_rows_cannot_be_picked(client, tenants, model):
    client.force_login(tenants.organizer_b)
    pages = [_url(model, "add")]
    own = sorted(
        pk
        for pk in model._default_manager.values_list("pk", flat=True)
        if pk not in tenants.a_rows[model]
    )
    if own:
        pages.append(_url(model, "change", own[-1]))
    checked = 0
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:
            continue
        for name, field in _choice_fields(response.context):
            offered = set(field.queryset.values_list("pk", flat=True))
            remote = field.queryset.model
            assert offered.isdisjoint(tenants.hidden(remote)), (url, name)
            checked += 1
    model_admin = admin_site._registry[model]
    for name in model_admin.autocomplete_fields:
        response = client.get(
            "/admin/autocomplete/",
            {
                "term": "",
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": name,
            },
        )
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            remote = model._meta.get_field(name).remote_field.model
            ids = {int(result["id"]) for result in response.json()["results"]}
            assert ids.isdisjoint(tenants.hidden(remote)), name


# The defects a hostile organizer found, each as the request they made.
def _forum_form(forum):
    return {"event": forum.pk, "next_steps_fr": "Texte de l'autre ONG"}


def test_organizer_cannot_add_settings_to_another_organisations_forum(client, tenants):
    client.force_login(tenants.organizer_b)
    forum_a = tenants.a["forum"]
    ForumSettings.objects.filter(event=forum_a).delete()
    response = client.post(_url(ForumSettings, "add"), _forum_form(forum_a))
    assert response.status_code == 200
    assert "event" in response.context["adminform"].form.errors
    assert not ForumSettings.objects.filter(event=forum_a).exists()


def test_organizer_cannot_make_themself_rapporteur_of_another_organisations_forum(client, tenants):
    client.force_login(tenants.organizer_b)
    forum_a = tenants.a["forum"]
    response = client.post(
        _url(RapporteurAssignment, "add"), {"event": forum_a.pk, "user": tenants.organizer_b.pk}
    )
    assert response.status_code == 200
    assert not RapporteurAssignment.objects.filter(event=forum_a, user=tenants.organizer_b).exists()


def test_organizer_cannot_add_a_theme_or_a_session_to_another_organisations_event(client, tenants):
    client.force_login(tenants.organizer_b)
    forum_a, event_a = tenants.a["forum"], tenants.a["event"]
    themes, sessions = Theme.objects.count(), Session.objects.count()
    client.post(_url(Theme, "add"), {"event": forum_a.pk, "name_fr": "Intrus", "position": 9})
    client.post(
        _url(Session, "add"),
        {
            "event": event_a.pk,
            "date": "2026-12-05",
            "start_time": "10:00",
            "end_time": "12:00",
            "venue": event_a.sessions.first().venue_id,
        },
    )
    assert (Theme.objects.count(), Session.objects.count()) == (themes, sessions)


def test_organizer_cannot_change_the_platforms_message_texts(client, tenants):
    platform, _ = MessageTemplate.objects.update_or_create(
        organization=None,
        purpose="confirmation",
        channel="sms",
        language="fr",
        defaults={"body": "Texte commun {{ short_code }}"},
    )
    client.force_login(tenants.organizer_b)
    response = client.post(
        _url(MessageTemplate, "change", platform.pk),
        {
            "purpose": platform.purpose,
            "channel": platform.channel,
            "language": platform.language,
            "body": "Cliquez ici http://intrus.example {{ short_code }}",
        },
    )
    assert response.status_code == 403
    platform.refresh_from_db()
    assert platform.body == "Texte commun {{ short_code }}"


def test_organizer_overrides_a_text_for_their_own_events_only(client, tenants):
    MessageTemplate.objects.filter(purpose="reminder").delete()
    MessageTemplateFactory(organization=None, purpose="reminder", body="Commun")
    assert MessageTemplate.objects.filter(purpose="reminder").count() == 1
    client.force_login(tenants.organizer_b)
    form = {"purpose": "reminder", "channel": "sms", "language": "fr", "body": "Texte de B"}
    # Not for organisation A, nor for everyone.
    for organization in (tenants.org_a.pk, ""):
        response = client.post(_url(MessageTemplate, "add"), {**form, "organization": organization})
        assert response.status_code == 200
        assert "organization" in response.context["adminform"].form.errors
    response = client.post(_url(MessageTemplate, "add"), {**form, "organization": tenants.org_b.pk})
    assert response.status_code == 302
    texts = {
        org.pk: template_texts(
            purpose="reminder", channel="sms", language="fr", organization_id=org.pk
        )[1]
        for org in (tenants.org_a, tenants.org_b)
    }
    assert texts == {tenants.org_a.pk: "Commun", tenants.org_b.pk: "Texte de B"}
