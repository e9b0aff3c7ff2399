"""Roles and the review workflow, as a newsroom needs them from the first migration.

- Writers: create stories in the news sections and edit the ones they created;
  submit for review; never publish.
- Editors (Wagtail's own group, its rights narrowed to the site): every page
  right on the site (publish, unpublish, move, lock, sections), images,
  documents, authors, tags and discovery settings.
- "Editorial review": one task approved by Editors, on every site's home page,
  so every section and story below it, present or future, goes through it.

Group names are written out: a migration must not change when the code does.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITERS = "Writers"
EDITORS = "Editors"
WORKFLOW = "Editorial review"
TASK = "Editors review"

WRITER_PAGE_RIGHTS = ["add_page"]
EDITOR_PAGE_RIGHTS = ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"]
WRITER_COLLECTION_RIGHTS = [("wagtailimages", "add_image"), ("wagtailimages", "choose_image"), ("wagtaildocs", "choose_document")]
EDITOR_COLLECTION_RIGHTS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
    ("wagtaildocs", "choose_document"),
]
WRITER_MODEL_RIGHTS = [("wagtailadmin", "access_admin"), ("news", "view_author")]
EDITOR_MODEL_RIGHTS = [
    ("wagtailadmin", "access_admin"),
    ("news", "add_author"),
    ("news", "change_author"),
    ("news", "delete_author"),
    ("news", "view_author"),
    ("taggit", "add_tag"),
    ("taggit", "change_tag"),
    ("taggit", "delete_tag"),
    ("taggit", "view_tag"),
    ("news", "change_discoverysettings"),
    ("news", "view_discoverysettings"),
]


def permission(Permission, app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the groups need them now.
    for label in ("news", "taggit", "wagtailimages", "wagtaildocs", "wagtailcore"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    writers, _ = Group.objects.get_or_create(name=WRITERS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    home_pages = list(Page.objects.filter(pk__in=Site.objects.values("root_page")))
    root_collection = Collection.objects.filter(depth=1).first()

    for group, page_rights, collection_rights, model_rights in (
        (writers, WRITER_PAGE_RIGHTS, WRITER_COLLECTION_RIGHTS, WRITER_MODEL_RIGHTS),
        (editors, EDITOR_PAGE_RIGHTS, EDITOR_COLLECTION_RIGHTS, EDITOR_MODEL_RIGHTS),
    ):
        # Wagtail's default Editors may add and edit from the tree's root: narrow them to the sites.
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()
        group.permissions.set([permission(Permission, app, codename) for app, codename in model_rights])
        for page in home_pages:
            for codename in page_rights:
                GroupPagePermission.objects.create(
                    group=group, page=page, permission=permission(Permission, "wagtailcore", codename)
                )
        if root_collection is not None:
            for app, codename in collection_rights:
                GroupCollectionPermission.objects.create(
                    group=group, collection=root_collection, permission=permission(Permission, app, codename)
                )

    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=TASK, defaults={"content_type": content_type, "active": True}
    )
    task.groups.set([editors])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in home_pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


def remove_roles(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK).delete()
    apps.get_model("auth", "Group").objects.filter(name=WRITERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("home", "0004_lead_story_any_story_type"),
        ("news", "0008_story_corrections"),
        ("discussion", "0002_reader_comment_moderators"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
