"""The platform's Arabic forum-summary e-mail put a count before a singular noun ("3 توصية");
its new wording names the count as a label, right for every number. The stored row is updated
only where it still holds the old built-in text: an administrator's edit is left alone."""

from django.db import migrations

OLD_COUNTS = (
    "{{ recommendation_count }} توصية معتمدة{% if own_count %}، منها {{ own_count }} موجهة إلى "
    "مؤسستكم وتظهر في البداية{% endif %}."
)
NEW_COUNTS = (
    "عدد التوصيات المعتمدة {{ recommendation_count }}{% if own_count %}، وعدد الموجهة منها إلى "
    "مؤسستكم {{ own_count }} وتظهر في البداية{% endif %}."
)


def replace(old: str, new: str):
    def run(apps, schema_editor):
        MessageTemplate = apps.get_model("notifications", "MessageTemplate")
        rows = MessageTemplate.objects.filter(
            organization=None, purpose="forum_summary", channel="email", language="ar"
        )
        for row in rows:
            if old in row.body:
                row.body = row.body.replace(old, new)
                row.save(update_fields=["body"])

    return run


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_squashed_0007_seed_participant_card_templates")]

    operations = [
        migrations.RunPython(replace(OLD_COUNTS, NEW_COUNTS), replace(NEW_COUNTS, OLD_COUNTS)),
    ]
