from taggit.models import Tag
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "role", "slug"]


register_snippet(AuthorViewSet)


class TagViewSet(SnippetViewSet):
    """Editors rename, merge by hand and remove tags; stories pick them in their Tags field."""

    model = Tag
    icon = "tag"
    menu_label = "Tags"
    menu_order = 310
    add_to_admin_menu = True
    panels = [FieldPanel("name"), FieldPanel("slug")]
    list_display = ["name", "slug"]


register_snippet(TagViewSet)
