from django.contrib.auth.management import create_permissions
from django.db import migrations

# Not "Moderators": Wagtail's own migrations create a group of that name for
# approving page changes, with page, image and document permissions.
GROUP_NAME = "Reader comment moderators"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("discussion", "readercomment", "view_readercomment"),
    ("discussion", "readercomment", "change_readercomment"),
]


def create_moderators(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the
    # group needs the reader comment ones now.
    app_config = apps.get_app_config("discussion")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, model, codename in PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        )
        group.permissions.add(permission)


def remove_moderators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # These hand choose permissions to every admin group; ours must not get them.
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(create_moderators, remove_moderators)]
