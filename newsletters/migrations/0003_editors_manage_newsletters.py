from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
RIGHTS = [
    "add_newsletter",
    "change_newsletter",
    "view_newsletter",
    "add_issue",
    "change_issue",
    "delete_issue",
    "view_issue",
    "view_subscriber",
    "change_subscriber",
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the group needs them now.
    app_config = apps.get_app_config("newsletters")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=EDITORS).first()
    if group is None:
        return
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="newsletters", codename__in=RIGHTS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=EDITORS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="newsletters"))


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0002_default_lists"),
        ("desk", "0001_roles_and_review"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
