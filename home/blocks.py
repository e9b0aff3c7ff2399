"""The front page's packages: blocks editors arrange in the home page's layout.

The blocks only describe a package (its picks and settings); `home.packages`
decides which stories fill it, for all packages of the page at once, so the
page's cost stays flat however many packages and stories it shows.
"""

from __future__ import annotations

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from news.models.stories import HEADLINE_MAX_LENGTH

from .rankings import ranking_choices

PACKAGE_TEMPLATES = "home/blocks/"


class StoryPickBlock(blocks.StructBlock):
    """One story an editor places in a package, dressed for this page only."""

    story = blocks.PageChooserBlock(page_type="news.StoryPage")
    headline = blocks.CharBlock(
        required=False,
        max_length=HEADLINE_MAX_LENGTH,
        help_text="Shown on the front page only; the story's own headline when empty.",
    )
    image = ImageChooserBlock(
        required=False, help_text="Shown on the front page only; the story's own picture when empty."
    )

    class Meta:
        icon = "doc-full"
        label = "Story"


def picks(max_num: int) -> blocks.ListBlock:
    return blocks.ListBlock(
        StoryPickBlock(),
        max_num=max_num,
        default=[],
        help_text="Stories in this order; the newest stories of the package fill the remaining places. "
        "A story taken down, made private or expired leaves its place to the next one.",
    )


class TopStoriesBlock(blocks.StructBlock):
    stories = picks(5)
    count = blocks.IntegerBlock(
        min_value=1,
        max_value=5,
        default=4,
        help_text="Stories shown: the first leads, large, the others beside it (1 for a lead alone).",
    )

    class Meta:
        icon = "pick"
        label = "Top stories"
        template = PACKAGE_TEMPLATES + "top_stories.html"
        description = "The lead story and two to four more, picked or the newest of the site."


class LiveNowBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="Live now", max_length=80)
    count = blocks.IntegerBlock(min_value=1, max_value=6, default=3)

    class Meta:
        icon = "radio-full"
        label = "Live now"
        template = PACKAGE_TEMPLATES + "cards.html"
        description = "The live blogs still running, newest first; hidden when none is."


class SectionBlock(blocks.StructBlock):
    section = blocks.PageChooserBlock(
        page_type="news.CategoryIndexPage",
        required=False,
        help_text="Empty: one package for each top-level section, in the menu's order "
        "(a new section appears by itself).",
    )
    stories = picks(6)
    count = blocks.IntegerBlock(min_value=3, max_value=6, default=4)

    class Meta:
        icon = "folder-open-inverse"
        label = "Section"
        template = PACKAGE_TEMPLATES + "cards.html"
        description = "A section's picked or newest stories (its sub-sections' included)."


class OpinionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="Opinion and analysis", max_length=80)
    kinds = blocks.CharBlock(
        default="Opinion, Analysis, Comment",
        required=False,
        help_text="Stories whose subheadline is one of these words (separated by commas) belong here.",
    )
    tag = blocks.CharBlock(
        default="opinion", required=False, help_text="Stories with this tag (its name) belong here too."
    )
    stories = picks(6)
    count = blocks.IntegerBlock(min_value=3, max_value=6, default=4)

    class Meta:
        icon = "openquote"
        label = "Opinion and analysis"
        template = PACKAGE_TEMPLATES + "cards.html"
        description = "Picked or newest stories marked as opinion or analysis."


class RankedListBlock(blocks.StructBlock):
    """A numbered list ranked by readers' activity (home.rankings says which rankings exist)."""

    ranking = blocks.ChoiceBlock(choices=ranking_choices, default="most_discussed")
    heading = blocks.CharBlock(required=False, max_length=80, help_text="The ranking's name when empty.")
    count = blocks.IntegerBlock(min_value=3, max_value=10, default=5)
    include_shown = blocks.BooleanBlock(
        required=False,
        default=False,
        help_text="Rank stories shown higher on the page as well (off: they are left out of this list).",
    )

    class Meta:
        icon = "list-ol"
        label = "Most discussed"
        template = PACKAGE_TEMPLATES + "ranked_list.html"
        description = "A numbered list of the stories readers are most engaged with."


class PromoBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock(required=False)
    link_label = blocks.CharBlock(required=False, max_length=60)
    link_page = blocks.PageChooserBlock(required=False)
    link_url = blocks.URLBlock(required=False, help_text="Used when no page is chosen.")

    class Meta:
        icon = "mail"
        label = "Promo"
        template = PACKAGE_TEMPLATES + "promo.html"
        description = "A box with a heading, a line of text and a link (a newsletter, an event)."


class NewsletterSignupBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="Get the news by e-mail", max_length=80)
    text = blocks.TextBlock(
        required=False, help_text="A line under the heading, e.g. what the briefing brings and when."
    )

    class Meta:
        icon = "mail"
        label = "Newsletter sign-up"
        template = PACKAGE_TEMPLATES + "newsletter_signup.html"
        description = (
            "The newsletter sign-up box, with the lists readers may choose; "
            "the front page then shows no second box at its foot."
        )


class FrontPageBlock(blocks.StreamBlock):
    top_stories = TopStoriesBlock()
    live_now = LiveNowBlock()
    section = SectionBlock()
    opinion = OpinionBlock()
    ranked_list = RankedListBlock()
    promo = PromoBlock()
    newsletter_signup = NewsletterSignupBlock()

    class Meta:
        # One sign-up box a page: its form's ids and its script are the page's own.
        block_counts = {"newsletter_signup": {"max_num": 1}}
