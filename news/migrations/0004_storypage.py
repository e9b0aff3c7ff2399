"""Stories: the fields every story type shares move from the article table to `news_storypage`.

Byline, tags and related picks now belong to the story, so any story type has
them. Rows are copied, ids unchanged; the article table itself is rebuilt on
the story table in the next migration.
"""

import django.db.models.deletion
import modelcluster.contrib.taggit
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models

SHARED_COLUMNS = (
    "page_ptr_id, listing_title, listing_summary, social_text, subheadline, standfirst, display_date, "
    "lead_image_alt_text, lead_image_caption, lead_image_credit, reader_comments, "
    "lead_image_id, listing_image_id, social_image_id"
)


class Migration(migrations.Migration):

    dependencies = [
        ("news", "0003_merge_0002_discovery_0002_reader_comments"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.CreateModel(
            name="StoryPage",
            fields=[
                ("page_ptr", models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ("listing_title", models.CharField(blank=True, help_text="Shorter title for cards; the page title when empty.", max_length=255)),
                ("listing_summary", models.TextField(blank=True, help_text="One or two sentences for cards.")),
                ("social_text", models.CharField(blank=True, help_text="Description for shared links.", max_length=255)),
                ("reader_comments", models.CharField(choices=[("open", "Open: readers may comment"), ("closed", "Closed: comments stay readable, no new ones"), ("hidden", "Hidden: no comments shown")], default="open", help_text="Comments also close by themselves after publication (Settings › Reader comments).", max_length=8, verbose_name="reader comments")),
                ("subheadline", models.CharField(blank=True, max_length=255)),
                ("standfirst", models.TextField(blank=True, help_text="The one- or two-sentence summary under the headline.")),
                ("display_date", models.DateTimeField(blank=True, db_index=True, help_text="Date shown to readers; the first publication date when empty.", null=True)),
                ("lead_image_alt_text", models.CharField(blank=True, help_text="Describe the lead image for readers who cannot see it.", max_length=255)),
                ("lead_image_caption", models.CharField(blank=True, max_length=500)),
                ("lead_image_credit", models.CharField(blank=True, max_length=255)),
                ("lead_image", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="wagtailimages.image")),
                ("listing_image", models.ForeignKey(blank=True, help_text="Card image; the article's lead image when empty.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="wagtailimages.image")),
                ("social_image", models.ForeignKey(blank=True, help_text="Image for shared links; the listing or lead image when empty.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="wagtailimages.image")),
            ],
            options={
                "verbose_name": "story",
                "verbose_name_plural": "stories",
            },
            bases=("wagtailcore.page", models.Model),
        ),
        migrations.RunSQL(
            f"INSERT INTO news_storypage ({SHARED_COLUMNS}) SELECT {SHARED_COLUMNS} FROM news_newsarticlepage",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RenameModel("NewsArticleTag", "StoryTag"),
        migrations.AlterField(
            model_name="storytag",
            name="content_object",
            field=modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name="tagged_items", to="news.storypage"),
        ),
        migrations.RenameModel("ArticleAuthor", "StoryAuthor"),
        migrations.AlterField(
            model_name="storyauthor",
            name="page",
            field=modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name="story_authors", to="news.storypage"),
        ),
        migrations.AlterField(
            model_name="storyauthor",
            name="author",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="story_links", to="news.author"),
        ),
        migrations.AlterField(
            model_name="relatedpage",
            name="page",
            field=modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name="related_links", to="news.storypage"),
        ),
        # The tags' table is StoryTag's: moving the field changes no column.
        migrations.RemoveField(model_name="newsarticlepage", name="tags"),
        migrations.AddField(
            model_name="storypage",
            name="tags",
            field=modelcluster.contrib.taggit.ClusterTaggableManager(blank=True, help_text="A comma-separated list of tags.", through="news.StoryTag", to="taggit.Tag", verbose_name="Tags"),
        ),
    ]
