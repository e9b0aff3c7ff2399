"""Form data for the story editor, as the admin posts it (every panel's fields and formsets)."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def story_form(action: str | None = "action-publish", **fields) -> dict:
    """A news article's editor form; `action` is the button pressed (None: save a draft)."""
    data = {
        "title": "Written in the admin",
        "slug": "written-in-the-admin",
        "subheadline": "",
        "standfirst": "A standfirst.",
        "body": streamfield([("paragraph", rich_text("<p>Typed by a writer.</p>"))]),
        "references": streamfield([]),
        "story_authors": inline_formset([]),
        "related_links": inline_formset([]),
        "corrections": inline_formset([]),
        "tags": "",
        "reader_comments": "open",
    }
    data.update(fields)
    if action:
        data[action] = action.removeprefix("action-")
    return nested_form_data(data)
