"""reporting's ``DeadlineRule`` (when an annual report is due) becomes ``ReportDeadline``, so no two
models share a name (workcalendar's ``DeadlineRule`` holds the 条例's request time limits). The
table is renamed; its rows are kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_deadline_rules")]

    operations = [migrations.RenameModel(old_name="DeadlineRule", new_name="ReportDeadline")]
