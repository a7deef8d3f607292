from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Organization

from .models import Recommendation, Theme, Workshop


class RecommendationForm(forms.ModelForm):
    """Parses a rapporteur's or organizer's input; the service validates and saves."""

    class Meta:
        model = Recommendation
        fields = [
            "theme",
            "proposed_by_workshop",
            "text",
            "language",
            "text_fr",
            "text_ar",
            "text_en",
            "addressed_to",
            "priority",
            "proposer_agreed_to_be_named",
            "proposer_name",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "text_fr": forms.Textarea(attrs={"rows": 2}),
            "text_ar": forms.Textarea(attrs={"rows": 2, "dir": "rtl", "lang": "ar"}),
            "text_en": forms.Textarea(attrs={"rows": 2}),
            "addressed_to": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "proposer_name": _("Leave empty unless the person asked to be named."),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(event=event)
        self.fields["proposed_by_workshop"].queryset = Workshop.objects.filter(event=event)
        self.fields["addressed_to"].queryset = Organization.objects.exclude(
            kind=Organization.Kind.DONOR
        ).order_by("name")

    def service_fields(self) -> tuple[dict, list]:
        data = dict(self.cleaned_data)
        addressed = list(data.pop("addressed_to"))
        return data, addressed


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=Recommendation.objects.none(), label=_("Merge into"))

    def __init__(self, *args, recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Recommendation.objects.filter(
            event_id=recommendation.event_id,
            status__in=[Recommendation.Status.DRAFT, Recommendation.Status.ADOPTED],
        ).exclude(pk=recommendation.pk)


class TicketCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your ticket code"),
        max_length=80,
        help_text=_("The 8 characters under the QR code of your ticket, e.g. K7P2-9QXM."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "inputmode": "text",
                "spellcheck": "false",
            }
        ),
    )
