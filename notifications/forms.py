from django import forms
from django.utils.translation import gettext_lazy as _

SATISFACTION_CHOICES = [
    (1, _("😞 Very unhappy")),
    (2, _("🙁 Unhappy")),
    (3, _("😐 So-so")),
    (4, _("🙂 Happy")),
    (5, _("😀 Very happy")),
]


class FeedbackForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with this event?"),
        choices=SATISFACTION_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    useful = forms.CharField(
        label=_("What was useful to you?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    suggestions = forms.CharField(
        label=_("What could we do better?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
