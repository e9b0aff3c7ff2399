import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("home", "0003_lead_story"),
        ("news", "0004_storypage"),
    ]

    operations = [
        migrations.AlterField(
            model_name="homepage",
            name="lead_story",
            field=models.ForeignKey(blank=True, help_text="The editor's pick for the top of the front page; the newest article when empty.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="news.storypage"),
        ),
    ]
