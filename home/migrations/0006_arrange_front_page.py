"""Today's front page as a layout: the editor's lead story, each section's newest
stories, then the most discussed, so readers see the same page until an editor
arranges it.

The page row and its latest revision (what the editor opens) both get the layout.
"""

import json

from django.db import migrations

STORIES_PER_SECTION = 4
MOST_DISCUSSED = 5


def layout_of(home):
    lead = home.lead_story_id
    return [
        {
            "type": "top_stories",
            "value": {
                "stories": [{"story": lead, "headline": "", "image": None}] if lead else [],
                "count": 1,
            },
        },
        # No section chosen: one package for each top-level section, as today.
        {"type": "section", "value": {"section": None, "stories": [], "count": STORIES_PER_SECTION}},
        {
            "type": "ranked_list",
            "value": {"ranking": "most_discussed", "heading": "", "count": MOST_DISCUSSED, "include_shown": True},
        },
    ]


def arrange(apps, schema_editor):
    HomePage = apps.get_model("home", "HomePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    for home in HomePage.objects.all():
        if home.layout.raw_data:
            continue
        raw = layout_of(home)
        HomePage.objects.filter(pk=home.pk).update(layout=json.dumps(raw))
        if home.latest_revision_id:
            revision = Revision.objects.filter(pk=home.latest_revision_id).first()
            if revision is not None and isinstance(revision.content, dict):
                revision.content["layout"] = json.dumps(raw)
                revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_layout"),
        ("news", "0010_story_latest_note"),
    ]

    operations = [migrations.RunPython(arrange, migrations.RunPython.noop)]
