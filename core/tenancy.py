"""Which rows of a model an organizer's organisations may see, pick and change: one registry that
the admin (querysets, form choices, autocomplete, object permissions), the API selectors and the
organizer pages all ask.

Several NGOs share one Multaqa, so every model an organizer can reach declares how its rows belong
to an organisation, with one of four rules:

- `owned`: the row belongs to organisations through a path (an event's organiser or its
  programme's lead, a programme's lead, a contact's organisation...). Members see and change
  their rows; other organisations' rows do not exist for them.
- `shared`: a nullable owner field. Rows without an owner belong to the platform (the message
  texts every participant receives, the venue directory): every organizer sees and picks them,
  only administrators change them. Rows with an owner behave as `owned`.
- `reference`: the same rows for everyone (organisations, which are partners, donors and schools
  of many programmes): organizers read and pick them, administrators change them.
- `platform`: administrators only (memberships, the audit trail, suppressions, user accounts).

A model that reaches the admin without a rule is refused by a system check (core.checks), and
`rule_for` fails closed, so a new model cannot be forgotten. This module imports no domain app:
apps register their models' rules when they are ready."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet

from .permissions import event_owner_q, is_administrator, organization_ids

Kind = Literal["owned", "shared", "reference", "platform"]
OrgsQ = Callable[[set[int]], Q]


@dataclass(frozen=True)
class TenantRule:
    kind: Kind
    # Rows the given organisations may see, and the (usually equal) rows they may change.
    visible: OrgsQ | None = None
    writable: OrgsQ | None = None
    # A foreign key that names the owning organisation: its choices are the user's own.
    owner_field: str | None = None
    # Rows differ per query (a join through a to-many path): the scoped queryset needs distinct().
    distinct: bool = False
    # Relations to this model may pick any visible row, not only writable ones (people: a
    # rapporteur is picked among the organisation's members, whom organizers cannot edit).
    pick_visible: bool = False


_RULES: dict[str, TenantRule] = {}


def event_q(prefix: str = "") -> OrgsQ:
    """Rows reached through an event (`prefix` ends in '__', or '' for events): the event's
    organiser or its programme's lead organisation. The same rule as core.permissions."""

    def q(orgs: set[int]) -> Q:
        return event_owner_q(orgs, prefix)

    return q


def either_q(*rules: OrgsQ) -> OrgsQ:
    """Rows reached by any of these paths (a row with one nullable link per kind of parent)."""

    def q(orgs: set[int]) -> Q:
        combined = Q(pk__in=[])
        for rule in rules:
            combined |= rule(orgs)
        return combined

    return q


def field_q(path: str) -> OrgsQ:
    def q(orgs: set[int]) -> Q:
        return Q(**{f"{path}__in": orgs})

    return q


def owned(
    visible: OrgsQ,
    writable: OrgsQ | None = None,
    *,
    owner_field: str | None = None,
    distinct: bool = False,
    pick_visible: bool = False,
) -> TenantRule:
    return TenantRule(
        "owned",
        visible=visible,
        writable=writable or visible,
        owner_field=owner_field,
        distinct=distinct,
        pick_visible=pick_visible,
    )


def nothing(orgs: set[int]) -> Q:
    return Q(pk__in=[])


def shared(owner_field: str, *, seen_by_all: bool = False) -> TenantRule:
    """Rows without an owner are the platform's; `seen_by_all` makes every owner's rows a shared
    directory too (venues: a place one NGO added is a place every NGO may use)."""

    def visible(orgs: set[int]) -> Q:
        if seen_by_all:
            return Q()
        return Q(**{f"{owner_field}__isnull": True}) | Q(**{f"{owner_field}__in": orgs})

    return TenantRule(
        "shared", visible=visible, writable=field_q(owner_field), owner_field=owner_field
    )


REFERENCE = TenantRule("reference")
PLATFORM = TenantRule("platform")


def register(label: str, rule: TenantRule) -> None:
    """`label` is 'app_label.ModelName'. Called from each app's AppConfig.ready()."""
    _RULES[label] = rule


def has_rule(model: type[Model]) -> bool:
    return model._meta.label in _RULES


def rule_for(model: type[Model]) -> TenantRule:
    try:
        return _RULES[model._meta.label]
    except KeyError:
        raise ImproperlyConfigured(
            f"{model._meta.label} has no tenancy rule: register one in its app's ready()"
        ) from None


def _scoped(user, queryset: QuerySet, which: str) -> QuerySet:
    if is_administrator(user):
        return queryset
    rule = rule_for(queryset.model)
    if rule.kind == "platform":
        return queryset.none()
    if rule.kind == "reference":
        return queryset if which == "visible" else queryset.none()
    orgs = organization_ids(user)
    if not orgs:
        return queryset.none()
    q = getattr(rule, which)(orgs)
    scoped = queryset.filter(q)
    return scoped.distinct() if rule.distinct else scoped


def visible(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` the user may see (and pick as a choice)."""
    return _scoped(user, queryset, "visible")


def writable(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` the user may change or delete, and attach other rows to."""
    return _scoped(user, queryset, "writable")


def may_create(user, model: type[Model]) -> bool:
    """Whether the model's rule lets the user add rows at all (Django's model permissions come on
    top in the admin). Organisation-owned rows are for members of an organisation."""
    if is_administrator(user):
        return True
    return rule_for(model).kind in ("owned", "shared") and bool(organization_ids(user))


def may_see(user, obj: Model) -> bool:
    return visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def may_change(user, obj: Model) -> bool:
    return writable(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def choices(user, model: type[Model], queryset: QuerySet | None = None, *, owner: bool = False):
    """What the user may pick for a relation to `model`: rows they may attach to (the rows they
    may change; for shared and reference rows, the rows they see), or for the owner field of a
    row, their own organisations only."""
    queryset = queryset if queryset is not None else model._default_manager.all()
    if is_administrator(user):
        return queryset
    if owner:
        return queryset.filter(pk__in=organization_ids(user))
    if not has_rule(model):
        return queryset.none()
    rule = rule_for(model)
    if rule.kind in ("shared", "reference") or rule.pick_visible:
        return visible(user, queryset)
    if rule.kind == "owned":
        return writable(user, queryset)
    return queryset.none()


def rules() -> dict[str, TenantRule]:
    return dict(_RULES)
