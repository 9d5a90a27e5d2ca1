"""The site's identity now belongs to the organizations context (ADR 0185): the portal forgets the
model without touching its table, which organizations' migration 0003 takes over and renames."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("organizations", "0003_portalsettings"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PortalSettings")],
            database_operations=[],
        ),
    ]
