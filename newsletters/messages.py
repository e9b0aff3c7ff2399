"""An issue as an e-mail: rendered once per issue, then each recipient's own parts put in.

Compiling the MJML (mjml-python, the Rust port of MJML) gives the tables,
inline styles and 600 px width mail clients need. It runs once per issue: the
result is stored (IssueMessage) when the issue starts going out, and every
batch sends that. The recipient's own parts (the signed unsubscribe and
preferences links, the address) are placeholders in it, filled in per message
by joining ready pieces, HTML-escaped in the HTML part.

The MIME message itself is made per issue too (`IssueMail`): its headers
common to all recipients, the part headers and the boundary are ready bytes, so
a recipient's message is a few joins, not a pass of Python's e-mail generator
(several milliseconds per message for a 30 KB issue). The HTML's long lines
are broken where a line break means the same as a space (between a tag's
attributes), so it goes as plain 8-bit text rather than quoted-printable:
smaller, and fewer lines for the mail server to read. Anything unusual (an
address that needs encoding, a message changed after it was made) falls back
to Django's own way of making the message.
"""

from __future__ import annotations

import binascii
import email
import re
import secrets
from dataclasses import dataclass
from email.generator import BytesGenerator
from email.message import Message
from email.utils import formatdate, make_msgid
from io import BytesIO
from urllib.parse import quote

import mjml

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT
from django.core.mail.utils import DNS_NAME
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from wagtail.models import Site

from core.models import SiteIdentity
from news.models import StoryPage

from .models import Issue, IssueMessage
from .tokens import preferences_token, unsubscribe_token

UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/"
PREFERENCES_PLACEHOLDER = "https://preferences.invalid/"
ADDRESS_PLACEHOLDER = "recipient@address.invalid"
PLACEHOLDERS = (UNSUBSCRIBE_PLACEHOLDER, PREFERENCES_PLACEHOLDER, ADDRESS_PLACEHOLDER)
_PLACEHOLDER_RE = re.compile("(" + "|".join(re.escape(p) for p in PLACEHOLDERS) + ")")
CARD_PICTURE_SPEC = "fill-1200x675"
CARD_PICTURE_WIDTH = 552  # The 600 px column less its padding.
# The HTML's lines are broken to about this length: far below the 998 bytes a mail line may
# have, with room for the recipient's links and address.
HTML_LINE_LENGTH = 500


@dataclass
class RenderedIssue:
    subject: str
    html: str
    text: str
    base_url: str
    newsletter_id: int
    list_id: str
    issue_id: int | None = None


def site_base_url() -> str:
    """The default site's address: e-mails are read far from any request."""
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site is not None else settings.WAGTAILADMIN_BASE_URL


def absolute(base_url: str, url: str) -> str:
    return url if "://" in url else base_url + url


def story_cards(issue: Issue, base_url: str) -> list[dict]:
    """The issue's public stories in the editors' order, with absolute links and pictures."""
    order = list(issue.stories.order_by("sort_order").values_list("page_id", flat=True))
    stories = StoryPage.objects.listed().filter(pk__in=order).select_related("lead_image", "listing_image")
    by_pk = {story.pk: story for story in stories}
    cards = []
    for pk in order:
        story = by_pk.get(pk)
        if story is None:
            continue  # Unpublished or made private since it was chosen.
        image = story.card_image
        picture = None
        if image is not None:
            rendition = image.get_rendition(CARD_PICTURE_SPEC)
            picture = {"url": absolute(base_url, rendition.url), "alt": story.lead_image_alt_text or ""}
        cards.append(
            {
                "title": story.card_title,
                "summary": story.get_meta_description(),
                "url": absolute(base_url, story.get_url() or story.url or ""),
                "picture": picture,
            }
        )
    return cards


# A start tag, its quoted attribute values taken whole (they may hold ">" or spaces).
_START_TAG = re.compile(r"""<[A-Za-z][^\s/>]*(?:"[^"]*"|'[^']*'|[^>"'])*>""")
_QUOTED_OR_SPACE = re.compile(r"""("[^"]*"|'[^']*')|[ \t]""")


def wrap_html(html: str, length: int = HTML_LINE_LENGTH) -> str:
    """`html` with its lines longer than `length` broken at spaces between a tag's attributes.

    There a line break is the same whitespace as a space, so the page is the
    same; text, attribute values, comments and styles are left as they are. A
    line with no such space stays long (the message then goes quoted-printable).
    """
    lines = html.split("\n")
    for number, line in enumerate(lines):
        if len(line) <= length:
            continue
        chars = list(line)
        start, last = 0, None
        for tag in _START_TAG.finditer(line):
            for found in _QUOTED_OR_SPACE.finditer(line, tag.start(), tag.end()):
                if found.group(1) is not None:
                    continue
                point = found.start()
                if point - start > length and last is not None:
                    chars[last] = "\n"
                    start, last = last + 1, None
                last = point
        if last is not None and len(line) - start > length:
            chars[last] = "\n"
        lines[number] = "".join(chars)
    return "\n".join(lines)


def render_issue(issue: Issue, preview: bool = False) -> RenderedIssue:
    base_url = site_base_url()
    site = Site.objects.filter(is_default_site=True).first()
    identity = SiteIdentity.for_site(site) if site is not None else None
    site_name = (identity and identity.site_name) or (site and site.site_name) or settings.WAGTAIL_SITE_NAME
    logo = None
    if identity is not None and identity.logo is not None:
        logo = absolute(base_url, identity.logo.get_rendition("max-400x80").url)
    context = {
        "issue": issue,
        "newsletter": issue.newsletter,
        "cards": story_cards(issue, base_url),
        "site_name": site_name,
        "site_url": base_url + "/",
        "logo_url": logo,
        "archive_url": absolute(base_url, issue.get_absolute_url()),
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "preferences_url": PREFERENCES_PLACEHOLDER,
        "recipient": ADDRESS_PLACEHOLDER,
    }
    compiled = wrap_html(mjml.mjml2html(render_to_string("newsletters/email/issue.mjml", context)))
    text = render_to_string("newsletters/email/issue.txt", context)
    host = base_url.split("://", 1)[-1].split(":")[0].split("/")[0] or "localhost"
    return RenderedIssue(
        subject=issue.subject,
        html=compiled,
        text=text,
        base_url=base_url,
        newsletter_id=issue.newsletter_id,
        list_id=f"{issue.newsletter.name} <{issue.newsletter.slug}.{host}>",
        issue_id=issue.pk,
    )


def preview_html(rendered: RenderedIssue) -> str:
    """The HTML part for an editor's eyes: the address shown as an example, the links left out."""
    return rendered.html.replace(ADDRESS_PLACEHOLDER, escape("reader@example.org"))


def issue_message(issue_id: int) -> RenderedIssue:
    """The issue's e-mail as it goes out: rendered and stored by the first caller, read by the others."""
    stored = IssueMessage.objects.filter(issue_id=issue_id).select_related("issue").first()
    if stored is None:
        issue = Issue.objects.select_related("newsletter").get(pk=issue_id)
        rendered = render_issue(issue)
        try:
            with transaction.atomic():
                stored = IssueMessage.objects.create(
                    issue=issue,
                    subject=rendered.subject,
                    html=rendered.html,
                    text=rendered.text,
                    base_url=rendered.base_url,
                    list_id=rendered.list_id,
                )
        except IntegrityError:  # Another worker stored it a moment ago: send that one.
            stored = IssueMessage.objects.select_related("issue").get(issue_id=issue_id)
    return RenderedIssue(
        subject=stored.subject,
        html=stored.html,
        text=stored.text,
        base_url=stored.base_url,
        newsletter_id=stored.issue.newsletter_id,
        list_id=stored.list_id,
        issue_id=issue_id,
    )


def unsubscribe_url(rendered: RenderedIssue, subscriber_id: int) -> str:
    token = unsubscribe_token(subscriber_id, rendered.newsletter_id)
    return rendered.base_url + reverse("newsletters:unsubscribe", args=[token])


def preferences_url(rendered: RenderedIssue, subscriber_id: int) -> str:
    return rendered.base_url + reverse("newsletters:preferences", args=[preferences_token(subscriber_id)])


def _url_around(rendered: RenderedIssue, name: str) -> tuple[str, str]:
    """The absolute address of view `name` before and after its token (tokens need no quoting)."""
    marker = "TOKEN"
    before, after = reverse(name, args=[marker]).split(marker)
    return rendered.base_url + before, after


class _Pieces:
    """A text cut at the placeholders: filling it in is one join."""

    def __init__(self, text: str) -> None:
        self.parts = _PLACEHOLDER_RE.split(text)

    def fill(self, values: dict[str, str]) -> str:
        parts = self.parts
        return "".join(values[part] if index % 2 else part for index, part in enumerate(parts))


class _BytePieces:
    """The same, as CRLF-ended UTF-8 for the wire, with what the part needs to know of itself."""

    def __init__(self, text: str) -> None:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
        self.parts = [
            part if index % 2 else part.encode("utf-8")
            for index, part in enumerate(_PLACEHOLDER_RE.split(text))
        ]
        self.ascii = text.isascii()

    def fill(self, values: dict[str, bytes]) -> bytes:
        parts = self.parts
        return b"".join(values[part] if index % 2 else part for index, part in enumerate(parts))


def _longest_line(data: bytes) -> int:
    return max(map(len, data.split(b"\r\n")))


def _header_fields(block: bytes) -> list[tuple[str, bytes]]:
    """A serialized header block as (lower-case name, the field's lines as written)."""
    fields: list[tuple[str, bytes]] = []
    for line in block.split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and fields:
            name, written = fields[-1]
            fields[-1] = (name, written + line + b"\r\n")
        elif line:
            fields.append((line.split(b":", 1)[0].decode("ascii").lower(), line + b"\r\n"))
    return fields


class IssueMail:
    """One issue's e-mail made ready to fill in per recipient; `message` gives a recipient's message."""

    def __init__(self, rendered: RenderedIssue) -> None:
        self.rendered = rendered
        self.subject = rendered.subject
        self.from_email = getattr(settings, "NEWSLETTERS_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
        self.unsubscribe_mailbox = getattr(settings, "NEWSLETTERS_UNSUBSCRIBE_MAILTO", "")
        self._unsubscribe = _url_around(rendered, "newsletters:unsubscribe")
        self._preferences = _url_around(rendered, "newsletters:preferences")
        self._text = _Pieces(rendered.text)
        self._html = _Pieces(rendered.html)
        self._wire_text = _BytePieces(rendered.text)
        self._wire_html = _BytePieces(rendered.html)
        self._boundary = self._make_boundary()
        # The headers every recipient's message has, as Django writes them (encoded, folded).
        sample = EmailMultiAlternatives(
            subject=self.subject,
            from_email=self.from_email,
            to=["sample@example.invalid"],
            headers=self._fixed_headers(),
        ).message()
        head = sample.as_bytes(linesep="\r\n").split(b"\r\n\r\n", 1)[0]
        fields = dict(_header_fields(head))
        self._head_before = b"".join(fields[name] for name in ("mime-version", "subject", "from"))
        self._head_after = b"".join(fields[name.lower()] for name in self._fixed_headers())
        self._localtime = settings.EMAIL_USE_LOCALTIME

    def _make_boundary(self) -> bytes:
        while True:
            boundary = f"==============={secrets.randbelow(10**19):019d}=="
            if boundary not in self.rendered.html and boundary not in self.rendered.text:
                return boundary.encode("ascii")

    def _fixed_headers(self) -> dict[str, str]:
        return {"List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "List-Id": self.rendered.list_id}

    def links(self, subscriber_id: int) -> tuple[str, str]:
        """The recipient's own unsubscribe and preferences addresses."""
        before, after = self._unsubscribe
        leave = before + unsubscribe_token(subscriber_id, self.rendered.newsletter_id) + after
        before, after = self._preferences
        return leave, before + preferences_token(subscriber_id) + after

    def message(self, subscriber_id: int, address: str) -> NewsletterMessage:
        """One recipient's message, with RFC 8058's one-click unsubscribe headers."""
        leave, preferences = self.links(subscriber_id)
        values = {
            UNSUBSCRIBE_PLACEHOLDER: leave,
            PREFERENCES_PLACEHOLDER: preferences,
            ADDRESS_PLACEHOLDER: address,
        }
        escaped = {placeholder: escape(value) for placeholder, value in values.items()}
        unsubscribe = f"<{leave}>"
        if self.unsubscribe_mailbox:
            unsubscribe += f", <mailto:{self.unsubscribe_mailbox}?subject={quote('unsubscribe ' + leave)}>"
        headers = {"List-Unsubscribe": unsubscribe, **self._fixed_headers()}
        body, html = self._text.fill(values), self._html.fill(escaped)
        message = NewsletterMessage(
            subject=self.subject, body=body, from_email=self.from_email, to=[address], headers=headers
        )
        message.attach_alternative(html, "text/html")
        message.prepared = (self, values, escaped, body, html)
        return message

    def wire_bytes(
        self, message: NewsletterMessage, values: dict[str, str], escaped: dict[str, str]
    ) -> bytes | None:
        """The recipient's message as it goes to the mail server; None when Django's way is needed."""
        address = message.to[0]
        unsubscribe = message.extra_headers["List-Unsubscribe"]
        if "\r" in address or "\n" in address or "\r" in unsubscribe or "\n" in unsubscribe:
            return None  # Refused by Django's way, as it should be.
        try:
            values_b = {placeholder: value.encode("ascii") for placeholder, value in values.items()}
            escaped_b = {placeholder: value.encode("ascii") for placeholder, value in escaped.items()}
            unsubscribe_b = unsubscribe.replace(", <mailto:", ",\r\n <mailto:").encode("ascii")
        except UnicodeEncodeError:
            return None  # An address (or the site's) that needs encoding: Django knows how.
        boundary = self._boundary
        if boundary in values_b[ADDRESS_PLACEHOLDER]:
            return None
        head = b"".join(
            (
                b'Content-Type: multipart/alternative;\r\n boundary="',
                boundary,
                b'"\r\n',
                self._head_before,
                b"To: ",
                values_b[ADDRESS_PLACEHOLDER],
                b"\r\nDate: ",
                formatdate(localtime=self._localtime).encode("ascii"),
                b"\r\nMessage-ID: ",
                make_msgid(domain=DNS_NAME).encode("ascii"),
                b"\r\nList-Unsubscribe: ",
                unsubscribe_b,
                b"\r\n",
                self._head_after,
            )
        )
        text = self._wire_text.fill(values_b)
        html = self._wire_html.fill(escaped_b)
        return b"".join(
            (
                head,
                b"\r\n--",
                boundary,
                b"\r\n",
                _part(b"text/plain", text, self._wire_text.ascii),
                b"\r\n--",
                boundary,
                b"\r\n",
                _part(b"text/html", html, self._wire_html.ascii),
                b"\r\n--",
                boundary,
                b"--\r\n",
            )
        )


def _part(content_type: bytes, body: bytes, ascii_only: bool) -> bytes:
    """A body part as Django would make it: 7 or 8 bit, quoted-printable when a line is too long."""
    if _longest_line(body) > RFC5322_EMAIL_LINE_LENGTH_LIMIT:
        encoding = b"quoted-printable"
        body = binascii.b2a_qp(body.replace(b"\r\n", b"\n"), istext=True).replace(b"\n", b"\r\n")
    else:
        encoding = b"7bit" if ascii_only else b"8bit"
    return b"".join(
        (
            b"Content-Type: ",
            content_type,
            b'; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: ',
            encoding,
            b"\r\n\r\n",
            body,
        )
    )


class NewsletterMessage(EmailMultiAlternatives):
    """A recipient's message whose MIME form was made ahead by its IssueMail (Django's own if changed)."""

    prepared: tuple | None = None

    def message(self):
        if self.prepared is not None and self._unchanged():
            mail, values, escaped, _body, _html = self.prepared
            data = mail.wire_bytes(self, values, escaped)
            if data is not None:
                return PreparedMIME(data)
        return super().message()

    def _unchanged(self) -> bool:
        mail, values, _escaped, body, html = self.prepared
        return (
            self.to == [values[ADDRESS_PLACEHOLDER]]
            and not (self.cc or self.bcc or self.reply_to or self.attachments or self.encoding)
            and self.subject == mail.subject
            and self.from_email == mail.from_email
            and self.content_subtype == "plain"
            and self.mixed_subtype == "mixed"
            and self.alternative_subtype == "alternative"
            and self.body is body
            and len(self.alternatives) == 1
            and self.alternatives[0][0] is html
            and self.alternatives[0][1] == "text/html"
            and list(self.extra_headers) == ["List-Unsubscribe", *mail._fixed_headers()]
            and all(self.extra_headers[name] == value for name, value in mail._fixed_headers().items())
        )


class PreparedMIME(Message):
    """A MIME message made ahead as bytes (CRLF line ends).

    Serializing it gives those bytes; anything else (reading or changing a
    header, walking the parts) parses them first, and from then on it is an
    ordinary message.
    """

    def __init__(self, data: bytes) -> None:  # Message's own state is made by parsing, when needed.
        self.__dict__["_prepared"] = data

    def __getattr__(self, name: str):
        prepared = self.__dict__.get("_prepared")
        if prepared is None or name.startswith("__"):
            raise AttributeError(name)
        self.__dict__.update(email.message_from_bytes(prepared).__dict__)
        self.__dict__["_prepared"] = None
        return getattr(self, name)

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        prepared = self.__dict__.get("_prepared")
        if prepared is not None and not unixfrom:
            return prepared if linesep == "\r\n" else prepared.replace(b"\r\n", linesep.encode("ascii"))
        out = BytesIO()
        BytesGenerator(out, mangle_from_=False).flatten(self, unixfrom=unixfrom, linesep=linesep)
        return out.getvalue()

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(unixfrom, linesep).decode("utf-8", "surrogateescape")

    def __bytes__(self) -> bytes:
        return self.as_bytes()

    def __str__(self) -> str:
        return self.as_string()


def message_for(rendered: RenderedIssue, subscriber_id: int, address: str) -> NewsletterMessage:
    """One recipient's message (for many recipients, make an IssueMail once and call its `message`)."""
    return IssueMail(rendered).message(subscriber_id, address)
