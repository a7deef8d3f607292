"""Forms parse what people type; the services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.demographics import AgeBand, Gender
from core.models import Language

from .models import CallTheme, Proposal
from .services import PHOTO_MAX_BYTES

CODE_WIDGET_ATTRS = {
    "autocomplete": "off",
    "autocapitalize": "characters",
    "inputmode": "text",
    "spellcheck": "false",
}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your ticket or participant card code"),
        max_length=80,
        help_text=_("The 8 characters under the QR code, e.g. K7P2-9QXM."),
        widget=forms.TextInput(attrs=CODE_WIDGET_ATTRS),
    )


class ProposalForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=CallTheme.objects.none(), label=_("Theme"))
    title = forms.CharField(label=_("Your project in a few words"), max_length=140)
    text = forms.CharField(
        label=_("Describe your idea"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    language = forms.ChoiceField(label=_("Written in"), choices=Language.choices)
    photo = forms.ImageField(label=_("A photo (optional)"), required=False)
    proposer_agreed_to_be_named = forms.BooleanField(
        label=_("I agree to be named with my proposal"), required=False
    )
    proposer_name = forms.CharField(
        label=_("Name to show"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to stay anonymous."),
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = call.themes.all()
        self.fields["theme"].label_from_instance = lambda theme: theme.display_name

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo is too large (5 MB at most)."))
        return photo


class TableProposalForm(CodeForm, ProposalForm):
    """A facilitator types in a participant's proposal with the participant's code."""


def group_field_name(gender: str, age_band: str) -> str:
    return f"n_{gender}_{age_band}".replace("-", "_").replace("+", "plus")


class GroupProposalForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=CallTheme.objects.none(), label=_("Theme"))
    title = forms.CharField(label=_("The project in a few words"), max_length=140)
    text = forms.CharField(
        label=_("The group's idea"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    language = forms.ChoiceField(label=_("Written in"), choices=Language.choices)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = call.themes.all()
        self.fields["theme"].label_from_instance = lambda theme: theme.display_name
        for gender in Gender:
            for band in AgeBand:
                self.fields[group_field_name(gender, band)] = forms.IntegerField(
                    label=f"{gender.label} · {band.label}",
                    min_value=0,
                    max_value=500,
                    required=False,
                    widget=forms.NumberInput(
                        attrs={
                            "inputmode": "numeric",
                            "aria-label": f"{gender.label} · {band.label}",
                        }
                    ),
                )

    def grid(self) -> list[tuple[str, list]]:
        """Rows of the counts table: an age band and its field per gender."""
        return [
            (band.label, [self[group_field_name(gender, band)] for gender in Gender])
            for band in AgeBand
        ]

    def counts(self) -> list[dict]:
        return [
            {
                "gender": gender.value,
                "age_band": band.value,
                "count": self.cleaned_data.get(group_field_name(gender, band)) or 0,
            }
            for gender in Gender
            for band in AgeBand
        ]


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=Proposal.objects.none(), label=_("Merge into"))

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Proposal.objects.filter(
            call_id=proposal.call_id,
            status__in=[Proposal.Status.PENDING, Proposal.Status.ACCEPTED],
        ).exclude(pk=proposal.pk)
        self.fields["into"].label_from_instance = lambda p: f"#{p.pk} {p.title}"


class ThemeForm(forms.Form):
    name_fr = forms.CharField(label=_("name (French)"), max_length=200)
    name_ar = forms.CharField(label=_("name (Arabic)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("name (English)"), max_length=200, required=False)
