"""Read the comment form off a rendered page, as a browser would, and fill it in."""

from html.parser import HTMLParser


class FormParser(HTMLParser):
    """Collects the action and the fields of the first form with `form_class`."""

    def __init__(self, form_class: str = "comment-form") -> None:
        super().__init__()
        self.form_class = form_class
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._done = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._done:
            return
        if tag == "form" and self.form_class in (attrs.get("class") or "").split():
            self._in_form = True
            self.action = attrs.get("action")
        elif self._in_form and tag == "input" and attrs.get("name"):
            if attrs.get("type") == "checkbox" and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif self._in_form and tag == "textarea":
            self._textarea = attrs.get("name")
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form = False
            self._done = True


def read_comment_form(html: str) -> tuple[str, dict[str, str]]:
    parser = FormParser()
    parser.feed(html)
    assert parser.action, "no comment form on the page"
    return parser.action, parser.fields


def fill_comment_form(client, page_url: str, **values: str) -> tuple[str, dict[str, str]]:
    """GET the page, read its comment form and return (action, data) with `values` filled in."""
    response = client.get(page_url)
    assert response.status_code == 200
    action, fields = read_comment_form(response.text)
    defaults = {"name": "Ada Reader", "email": "ada@example.org", "comment": "A thoughtful comment."}
    fields.update({**defaults, **values})
    return action, fields


def post_comment(client, page_url: str, **values: str):
    action, data = fill_comment_form(client, page_url, **values)
    return client.post(action, data)
