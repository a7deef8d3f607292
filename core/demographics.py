"""The demographic vocabulary every attendance is recorded with. Age bands are the humanitarian
ones; 'undisclosed' is a real answer and is never merged into another value."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class AgeBand(models.TextChoices):
    AGE_0_4 = "0-4", _("0–4")
    AGE_5_11 = "5-11", _("5–11")
    AGE_12_17 = "12-17", _("12–17")
    AGE_18_24 = "18-24", _("18–24")
    AGE_25_59 = "25-59", _("25–59")
    AGE_60_PLUS = "60+", _("60+")


class Profile(models.TextChoices):
    MIGRANT = "migrant", _("Migrant")
    REFUGEE = "refugee", _("Refugee / asylum seeker")
    HOST = "host", _("Host community")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


# The columns every row about a person carries (attendee, participant, attendance), defined once so
# that their labels, lengths and choices cannot drift apart between apps.
def gender_field(**options) -> models.CharField:
    return models.CharField(_("gender"), max_length=20, choices=Gender.choices, **options)


def age_band_field(**options) -> models.CharField:
    return models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, **options)


def profile_field(**options) -> models.CharField:
    return models.CharField(_("profile"), max_length=20, choices=Profile.choices, **options)


CHILD_AGE_BANDS = (AgeBand.AGE_0_4, AgeBand.AGE_5_11, AgeBand.AGE_12_17)

# Field name on attendance rows -> its choices; targets name a field and one of its values.
DIMENSIONS = {"gender": Gender, "age_band": AgeBand, "profile": Profile}
