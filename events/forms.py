"""The public registration form: a contact person, optional members (a household or a class),
the two separate consents, and a honeypot field that people never see."""

from django import forms
from django.forms import formset_factory
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.demographics import AgeBand, Gender, Profile
from core.models import Language
from core.phones import phone_to_e164
from events.models import Registration
from events.services.registrations import MAX_MEMBERS, PersonData

BLANK = [("", "—")]
LTR, END = "\u2066", "\u2069"  # Unicode left-to-right isolate and its end


def session_label(session) -> str:
    """'Friday 4 December, 10:00–19:00 · Place du 16 Août' in the active language."""
    day = date_format(session.date, "l j F")
    place = session.title or session.venue.name
    # The isolate marks keep "10:00–12:00" in order inside an Arabic sentence.
    return f"{day}, {LTR}{session.start_time:%H:%M}–{session.end_time:%H:%M}{END} · {place}"


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name or nickname"), max_length=100, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=BLANK + Gender.choices)
    age_band = forms.ChoiceField(label=_("Age"), choices=BLANK + AgeBand.choices)
    profile = forms.ChoiceField(
        label=_("Profile"), choices=Profile.choices, initial=Profile.UNDISCLOSED
    )
    nationality = forms.CharField(label=_("Nationality (optional)"), max_length=60, required=False)

    def __init__(self, *args, ask_nationality: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_nationality:
            del self.fields["nationality"]

    def person(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            first_name=data.get("first_name", ""),
            gender=data["gender"],
            age_band=data["age_band"],
            profile=data["profile"],
            nationality=data.get("nationality", ""),
        )


class MemberForm(PersonForm):
    # An untouched extra row is skipped, so the profile must not count as a change on its own.
    profile = forms.ChoiceField(label=_("Profile"), choices=BLANK + Profile.choices, required=False)

    def person(self) -> PersonData:
        person = super().person()
        if not person.profile:
            return PersonData(**{**person.__dict__, "profile": Profile.UNDISCLOSED})
        return person


MemberFormSet = formset_factory(
    MemberForm, extra=0, max_num=MAX_MEMBERS, validate_max=True, absolute_max=MAX_MEMBERS
)


class RegistrationForm(PersonForm):
    kind = forms.ChoiceField(
        label=_("I am registering"),
        choices=[
            (Registration.Kind.INDIVIDUAL, _("only myself")),
            (Registration.Kind.HOUSEHOLD, _("myself and my family")),
            (Registration.Kind.GROUP, _("a group or a class (I am the contact person)")),
        ],
        initial=Registration.Kind.INDIVIDUAL,
        widget=forms.RadioSelect,
    )
    sessions = forms.MultipleChoiceField(
        label=_("Sessions you will attend"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to come to every session."),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        help_text=format_lazy(
            _("For example {example}. We only use it for this event."),
            example=f"{LTR}06 12 34 56 78{END}",
        ),
        # Numbers read left to right even on an Arabic page.
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)
    preferred_channel = forms.ChoiceField(
        label=_("How should we write to you?"),
        choices=[("", _("No preference (SMS and e-mail)")), *Registration.Channel.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("If a message cannot reach you there, we try the next one you gave."),
    )
    consent_register = forms.BooleanField(
        label=_(
            "I agree that Multaqa keeps these answers to register me (and the people I "
            "register) for this event and to count participants anonymously."
        ),
        error_messages={"required": _("We cannot register you without this agreement.")},
    )
    consent_contact = forms.BooleanField(
        label=_("I agree to be contacted by SMS or e-mail about this event (optional)."),
        required=False,
    )
    whatsapp_opt_in = forms.BooleanField(
        label=_(
            "I agree to receive messages about this event on WhatsApp at this phone number "
            "(optional; reply STOP to stop)."
        ),
        required=False,
    )
    # The honeypot: hidden from people (and from screen readers), filled in by naive bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, ask_nationality=event.ask_nationality, **kwargs)
        sessions = list(event.sessions.select_related("venue"))
        if len(sessions) > 1:
            self.fields["sessions"].choices = [(str(s.pk), session_label(s)) for s in sessions]
            self._sessions = {str(s.pk): s for s in sessions}
        else:
            del self.fields["sessions"]
            self._sessions = {}
        self.fields["first_name"].required = False

    def clean_phone(self) -> str:
        # Checked here as well as in the service so that every error shows at once.
        return phone_to_e164(self.cleaned_data["phone"])

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))

    def chosen_sessions(self) -> list:
        return [self._sessions[pk] for pk in self.cleaned_data.get("sessions", [])]
