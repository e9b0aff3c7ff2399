"""Articles are stories: the article table keeps only what is its own (body, references).

The old table is renamed aside, a new one made on the story table, the rows
copied with their ids, and the old table dropped. Page content types are
unchanged, so every existing article, revision and comment stays attached.
"""

import django.db.models.deletion
import wagtail.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("news", "0004_storypage"),
        # The front page's lead story points at stories before the old table goes.
        ("home", "0004_lead_story_any_story_type"),
    ]

    operations = [
        migrations.AlterModelTable("NewsArticlePage", "news_newsarticlepage_old"),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("NewsArticlePage")]),
        migrations.CreateModel(
            name="NewsArticlePage",
            fields=[
                ("storypage_ptr", models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to="news.storypage")),
                ("body", wagtail.fields.StreamField([('paragraph', 0), ('heading', 4), ('image', 9), ('quote', 12), ('embed', 14), ('fact_box', 17), ('table', 19), ('citation', 25)], block_lookup={0: ('news.blocks.ParagraphBlock', (), {}), 1: ('wagtail.blocks.CharBlock', (), {'max_length': 255}), 2: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Section heading (level 2)'), ('h3', 'Subsection heading (level 3)')]}), 3: ('wagtail.blocks.CharBlock', (), {'help_text': 'Link target for this section (#anchor); made from the text when empty.', 'max_length': 80, 'required': False}), 4: ('wagtail.blocks.StructBlock', [[('text', 1), ('level', 2), ('anchor', 3)]], {}), 5: ('news.blocks.PrefetchingImageChooserBlock', (), {}), 6: ('wagtail.blocks.CharBlock', (), {'help_text': 'Describe the image for readers who cannot see it.', 'max_length': 255}), 7: ('wagtail.blocks.CharBlock', (), {'max_length': 500, 'required': False}), 8: ('wagtail.blocks.CharBlock', (), {'max_length': 255, 'required': False}), 9: ('wagtail.blocks.StructBlock', [[('image', 5), ('alt_text', 6), ('caption', 7), ('credit', 8)]], {}), 10: ('wagtail.blocks.TextBlock', (), {}), 11: ('wagtail.blocks.CharBlock', (), {'help_text': 'e.g. senior author', 'max_length': 255, 'required': False}), 12: ('wagtail.blocks.StructBlock', [[('text', 10), ('attribution', 8), ('role', 11)]], {}), 13: ('wagtail.embeds.blocks.EmbedBlock', (), {'help_text': 'A video or post URL from a supported provider.'}), 14: ('wagtail.blocks.StructBlock', [[('embed', 13), ('caption', 7)]], {}), 15: ('wagtail.blocks.CharBlock', (), {'default': 'Key facts', 'max_length': 255}), 16: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul', 'superscript', 'subscript']}), 17: ('wagtail.blocks.StructBlock', [[('title', 15), ('body', 16)]], {}), 18: ('wagtail.contrib.table_block.blocks.TableBlock', (), {}), 19: ('wagtail.blocks.StructBlock', [[('caption', 8), ('table', 18)]], {}), 20: ('wagtail.blocks.CharBlock', (), {'help_text': 'e.g. Chia SB, Johnson BJ, Hu J, et al.', 'max_length': 500}), 21: ('wagtail.blocks.CharBlock', (), {'max_length': 500}), 22: ('wagtail.blocks.IntegerBlock', (), {'max_value': 2200, 'min_value': 1500, 'required': False}), 23: ('wagtail.blocks.CharBlock', (), {'help_text': 'Volume, issue or pages.', 'max_length': 50, 'required': False}), 24: ('wagtail.blocks.CharBlock', (), {'help_text': 'e.g. 10.1038/s41586-025-09332-0 (without https://doi.org/)', 'label': 'DOI', 'max_length': 255, 'required': False}), 25: ('wagtail.blocks.StructBlock', [[('authors', 20), ('title', 21), ('journal', 8), ('year', 22), ('pages', 23), ('doi', 24)]], {})})),
                ("references", wagtail.fields.StreamField([('citation', 6)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'help_text': 'e.g. Chia SB, Johnson BJ, Hu J, et al.', 'max_length': 500}), 1: ('wagtail.blocks.CharBlock', (), {'max_length': 500}), 2: ('wagtail.blocks.CharBlock', (), {'max_length': 255, 'required': False}), 3: ('wagtail.blocks.IntegerBlock', (), {'max_value': 2200, 'min_value': 1500, 'required': False}), 4: ('wagtail.blocks.CharBlock', (), {'help_text': 'Volume, issue or pages.', 'max_length': 50, 'required': False}), 5: ('wagtail.blocks.CharBlock', (), {'help_text': 'e.g. 10.1038/s41586-025-09332-0 (without https://doi.org/)', 'label': 'DOI', 'max_length': 255, 'required': False}), 6: ('wagtail.blocks.StructBlock', [[('authors', 0), ('title', 1), ('journal', 2), ('year', 3), ('pages', 4), ('doi', 5)]], {})})),
            ],
            options={
                "verbose_name": "news article",
            },
            bases=("news.storypage",),
        ),
        migrations.RunSQL(
            'INSERT INTO news_newsarticlepage (storypage_ptr_id, body, "references") '
            'SELECT page_ptr_id, body, "references" FROM news_newsarticlepage_old',
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunSQL("DROP TABLE news_newsarticlepage_old", reverse_sql=migrations.RunSQL.noop),
    ]
