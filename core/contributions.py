"""What the participants' contributions that organizers moderate have in common: forum
recommendations (forums) and proposals (proposals), and the themes they are filed under.

Each is written in one language, may name its proposer only with the person's consent, and ends
up merged into another one or not; the database holds those rules as check constraints. The
columns are made by factories (like `core.demographics.gender_field`) rather than inherited from
an abstract model: inherited fields would come first in every form and admin page of the models,
while a factory keeps each column where its model declares it. Labels, lengths and constraints
are defined here once, so that the two apps cannot drift apart."""

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Language


def in_active_language(obj, stem: str) -> str:
    """`obj.<stem>_<active language>`, or the French one when that is empty."""
    language = (translation.get_language() or "fr")[:2]
    return getattr(obj, f"{stem}_{language}", "") or getattr(obj, f"{stem}_fr")


def name_fields() -> tuple[models.CharField, models.CharField, models.CharField]:
    """`name_fr, name_ar, name_en = name_fields()`: French required, the others optional."""
    return (
        models.CharField(_("name (French)"), max_length=200),
        models.CharField(_("name (Arabic)"), max_length=200, blank=True),
        models.CharField(_("name (English)"), max_length=200, blank=True),
    )


class NamedInLanguages(models.Model):
    """For a model with `name_fields()`: shown by its name in the visitor's language. Abstract
    and without fields, so it changes no table and no field order."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_active_language(self, "name")


def written_in_field() -> models.CharField:
    return models.CharField(_("written in"), max_length=5, choices=Language.choices)


def proposer_fields() -> tuple[models.CharField, models.BooleanField]:
    """`proposer_name, proposer_agreed_to_be_named = proposer_fields()`: the name is only filled
    when the person explicitly chose to be named (a constraint of moderation_constraints)."""
    return (
        models.CharField(_("proposer's name"), max_length=120, blank=True),
        models.BooleanField(_("the proposer agreed to be named"), default=False),
    )


def merged_into_field() -> models.ForeignKey:
    return models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )


def moderation_constraints(
    prefix: str, *, merged_message=None, named_message=None
) -> list[models.CheckConstraint]:
    """The rules of a contribution with the fields above and a `status` whose value "merged"
    means merged: a merged one names its target (and only a merged one does), never itself; a
    proposer is named only with consent; the language is one we know. `prefix` names the
    constraints in the database; the messages are what model validation says."""
    return [
        models.CheckConstraint(
            condition=Q(status="merged", merged_into__isnull=False)
            | (~Q(status="merged") & Q(merged_into__isnull=True)),
            name=f"{prefix}_merged_iff_target",
            violation_error_message=merged_message,
        ),
        models.CheckConstraint(
            condition=~Q(merged_into=models.F("id")), name=f"{prefix}_not_merged_into_itself"
        ),
        models.CheckConstraint(
            condition=Q(proposer_name="") | Q(proposer_agreed_to_be_named=True),
            name=f"{prefix}_named_only_with_consent",
            violation_error_message=named_message,
        ),
        models.CheckConstraint(
            condition=Q(language__in=Language.values), name=f"{prefix}_language_known"
        ),
    ]
