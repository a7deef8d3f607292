from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Organization

from .models import CommitmentState, Position, Recommendation, Theme, Workshop


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


class ResponseForm(forms.Form):
    """A partner's position on a recommendation addressed to their organisation."""

    position = forms.ChoiceField(
        label=_("Your position"), choices=Position.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline."),
    )


class CommitmentForm(forms.Form):
    what = forms.CharField(
        label=_("What will be done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    by_whom = forms.CharField(label=_("By whom"), max_length=200)
    due_on = forms.DateField(label=_("By when"), widget=forms.DateInput(attrs={"type": "date"}))


class CommitmentUpdateForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[
            (CommitmentState.IN_PROGRESS, _("In progress")),
            (CommitmentState.DONE, _("Done")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Short note"), max_length=500, required=False)
    document = forms.FileField(
        label=_("Document (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
