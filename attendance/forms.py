from django import forms
from django.utils.translation import gettext_lazy as _

from core.demographics import AgeBand, Gender, Profile

from .models import DoorToken, ScanAttempt, ScanStatus
from .services.counted import CountedGroup


class ScanLogFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("all"))] + ScanStatus.choices
    )
    gate = forms.ChoiceField(label=_("gate"), required=False)
    volunteer = forms.ModelChoiceField(
        label=_("volunteer"), required=False, queryset=DoorToken.objects.none()
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        gates = (
            ScanAttempt.objects.filter(session=session)
            .exclude(gate="")
            .order_by("gate")
            .values_list("gate", flat=True)
            .distinct()
        )
        self.fields["gate"].choices = [("", _("all"))] + [(gate, gate) for gate in gates]
        self.fields["volunteer"].queryset = DoorToken.objects.filter(events=session.event_id)


class UndoAdmissionForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class ClassHeadcountForm(forms.Form):
    """One number per gender and age band: how many pupils of each were in the class."""

    GENDERS = [Gender.FEMALE, Gender.MALE, Gender.OTHER, Gender.UNDISCLOSED]
    AGE_BANDS = [AgeBand.AGE_5_11, AgeBand.AGE_12_17, AgeBand.AGE_18_24, AgeBand.AGE_25_59]

    profile = forms.ChoiceField(
        label=_("profile"), choices=Profile.choices, initial=Profile.UNDISCLOSED
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for gender in self.GENDERS:
            for band in self.AGE_BANDS:
                self.fields[self.field_name(gender, band)] = forms.IntegerField(
                    label=f"{gender.label} {band.label}",
                    min_value=0,
                    max_value=500,
                    initial=0,
                    required=False,
                )

    @staticmethod
    def field_name(gender, band) -> str:
        return f"n_{gender}_{band}".replace("-", "_").replace("+", "plus")

    def rows(self):
        return [
            (band, [self[self.field_name(gender, band)] for gender in self.GENDERS])
            for band in self.AGE_BANDS
        ]

    def groups(self) -> list[CountedGroup]:
        return [
            CountedGroup(
                gender.value,
                band.value,
                self.cleaned_data["profile"],
                self.cleaned_data.get(self.field_name(gender, band)) or 0,
            )
            for gender in self.GENDERS
            for band in self.AGE_BANDS
        ]
