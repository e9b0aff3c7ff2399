from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_arrange_front_page"),
    ]

    operations = [
        migrations.RemoveField(model_name="homepage", name="lead_story"),
    ]
