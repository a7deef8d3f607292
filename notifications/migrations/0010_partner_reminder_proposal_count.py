"""The partner reminder also counts the participants' proposals waiting for an answer. The
platform's stored texts get the new line only where they still hold the built-in wording around
it: an administrator's edit is left alone."""

from django.db import migrations

# (language, the line the new one goes before, the new line)
LINES = (
    (
        "fr",
        "{% if update_count %}Engagements en attente",
        "{% if proposal_count %}Propositions de participants en attente de votre réponse : "
        "{{ proposal_count }}\n{% endif %}",
    ),
    (
        "ar",
        "{% if update_count %}عدد الالتزامات",
        "{% if proposal_count %}عدد مقترحات المشاركين التي تنتظر جوابكم: {{ proposal_count }}\n"
        "{% endif %}",
    ),
    (
        "en",
        "{% if update_count %}Commitments waiting",
        "{% if proposal_count %}Participants' proposals waiting for your answer: "
        "{{ proposal_count }}\n{% endif %}",
    ),
)


def _rows(apps, language):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    return MessageTemplate.objects.filter(
        organization=None, purpose="partner_reminder", channel="email", language=language
    )


def add_line(apps, schema_editor):
    for language, before, line in LINES:
        for row in _rows(apps, language):
            if before in row.body and "proposal_count" not in row.body:
                row.body = row.body.replace(before, line + before, 1)
                row.save(update_fields=["body"])


def remove_line(apps, schema_editor):
    for language, _before, line in LINES:
        for row in _rows(apps, language):
            if line in row.body:
                row.body = row.body.replace(line, "", 1)
                row.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0009_purposes_with_partner_reminders")]

    operations = [migrations.RunPython(add_line, remove_line)]
