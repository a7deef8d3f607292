"""Forms and widgets of the event admin page: the event's languages as checkboxes, one labelled
input per date and time, and a sessions inline that renders in a constant number of queries however
many sessions the event has."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.translation import gettext_lazy as _

from core.models import Language

from .models import Event, Session
from .services.events import SESSION_FIELDS


class DateTimeLocalInput(forms.DateTimeInput):
    """One `<input type="datetime-local">` for a date and time: one input for its one label (the
    admin's split date and time inputs shared a label), and the phone's own date-time picker.
    Read and shown in the current time zone, as the admin's split inputs were."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        # The value format the input type requires; minutes are the precision organizers use.
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def deferred_media(media: forms.Media) -> forms.Media:
    """The same media with each script deferred (run in order once the page is parsed), so that
    they do not hold the page's first paint. Scripts that already carry attributes keep them."""
    scripts = [
        forms.Script(script, defer=True) if isinstance(script, str) else script
        for script in media._js
    ]
    return forms.Media(css=media._css, js=scripts)


class EventAdminForm(forms.ModelForm):
    # A JSON list in the database; organizers tick the supported languages instead of typing it.
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages the registration page and the messages offer."),
    )

    class Meta:
        model = Event
        fields = ["languages"]  # the admin adds the fields of its fieldsets

    def clean_languages(self):
        chosen = set(self.cleaned_data["languages"])
        # Stored in the platform's order (French first), whatever the order of the ticks.
        return [code for code in Language.values if code in chosen]


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected option is labelled from the row's already-loaded object
    (`selected_labels`) rather than one query per inline row, as Django's widget does."""

    selected_labels: dict[str, str] = {}

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if not chosen or any(v not in self.selected_labels for v in chosen):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        options += [
            self.create_option(name, v, self.selected_labels[v], True, index)
            for index, v in enumerate(chosen, start=len(options))
        ]
        return [(None, options, 0)]


class SessionInlineForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = list(SESSION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        venue = self.fields.get("venue")
        if venue is not None and self.instance.venue_id is not None:
            # The inline's queryset loaded the venue with the session (select_related).
            widget = getattr(venue.widget, "widget", venue.widget)  # inside the admin's wrapper
            widget.selected_labels = {str(self.instance.venue_id): str(self.instance.venue)}
