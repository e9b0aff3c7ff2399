"""Rendition specs, named once: templates ask for them by name and the code that loads
a page prefetches the same ones.

A spec written in a template and again in Python drifts apart silently, and a
prefetch of the wrong spec costs a query per image, or worse: Wagtail trusts a
prefetch, so a spec missing from one is made again, file and all, on every view.

Content pictures are `RenditionFamily`s: several widths, each in WebP and in
the original's format, rendered as a <picture> so that browsers fetch the
smallest file that is sharp enough. Link previews and structured data use
single specs.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from PIL.Image import DecompressionBombError
from willow.svg import WillowSvgException

from django.db.models import Model, Q, QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage, AbstractRendition, Filter
from wagtail.models import Page

from .image_credits import CREDIT_RELATION, credit_is_loaded

logger = logging.getLogger(__name__)

# What making a rendition raises when the original cannot become one: a file
# gone missing (Wagtail's SourceImageIOError), unreadable, truncated or not an
# image at all (OSError, Pillow's UnidentifiedImageError), too many pixels to
# open safely, an SVG asked for WebP or another operation it has no route for
# (InvalidFilterSpecError is a ValueError; Willow's routing errors are
# LookupErrors). Database errors are not among them: they stay loud.
RENDITION_FAILURES: tuple[type[Exception], ...] = (
    OSError,
    ValueError,
    LookupError,
    DecompressionBombError,
    WillowSvgException,
)


@dataclass(frozen=True)
class RenditionFamily:
    """One picture in several sizes, each as WebP and in the original's format.

    The first spec is the <img>'s own `src`, `width` and `height`: the size the
    layout was drawn for (a picture never shows wider than it). The others are
    alternatives for the browser to choose from. `sizes` says how wide the
    layout shows the picture at each viewport width, with widths as the
    candidates' descriptors; without it the specs are pixel densities (1x, 2x…),
    for pictures of a fixed height such as a logo.
    """

    specs: tuple[str, ...]
    sizes: str = ""

    @property
    def webp_specs(self) -> tuple[str, ...]:
        return tuple(f"{spec}|format-webp" for spec in self.specs)

    @property
    def all_specs(self) -> tuple[str, ...]:
        return self.specs + self.webp_specs

    def srcset(self, renditions: Sequence[AbstractRendition]) -> str:
        """The candidates for `srcset`, one per distinct size.

        Wagtail never enlarges a picture, so a small original gives several specs
        the same size: a repeated width is no candidate (and invalid HTML).
        """
        if self.sizes:
            by_width: dict[int, AbstractRendition] = {}
            for rendition in sorted(renditions, key=lambda rendition: rendition.width):
                by_width.setdefault(rendition.width, rendition)
            return ", ".join(f"{rendition.url} {width}w" for width, rendition in by_width.items())
        candidates, widest = [], 0
        for density, rendition in enumerate(renditions, start=1):
            if rendition.width > widest:
                candidates.append(f"{rendition.url} {density}x")
                widest = rendition.width
        return ", ".join(candidates)


# How wide a picture in the article column (42rem, less the page margins on a
# phone) shows; core/static/css/newsroom.css draws the layouts.
ARTICLE_COLUMN = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
# A card's picture shows at most 480 pixels wide; templates narrow it to their layout.
CARD_AT_MOST = "(min-width: 32rem) 30rem, calc(100vw - 2rem)"

RENDITIONS: dict[str, str | RenditionFamily] = {
    # Cards in lists and "You may also like": 16:9. A phone shows a list's cards
    # across its width: 380 pixels wide at twice the density wants the 800.
    "card": RenditionFamily(
        ("fill-480x270", "fill-320x180", "fill-640x360", "fill-800x450", "fill-960x540"), sizes=CARD_AT_MOST
    ),
    # The front page's lead story, across the page, in the link-preview crop.
    "card_wide": RenditionFamily(
        ("fill-1200x630", "fill-480x252", "fill-800x420", "fill-1600x840"),
        sizes="(min-width: 72rem) 70rem, calc(100vw - 2rem)",
    ),
    # A story's lead image above the body, and images inside a body.
    "lead": RenditionFamily(("width-1200", "width-480", "width-800", "width-1600"), sizes=ARTICLE_COLUMN),
    "body": RenditionFamily(("width-1200", "width-480", "width-800", "width-1600"), sizes=ARTICLE_COLUMN),
    # Author photos on their pages (shown 7.5rem wide) and, the first, in JSON-LD.
    "portrait": RenditionFamily(("fill-240x240", "fill-120x120", "fill-360x360"), sizes="7.5rem"),
    # The site's logo in the header, 2.5rem high.
    "header_logo": RenditionFamily(("height-40", "height-80", "height-120")),
    # Shared links (OpenGraph, Twitter, the API's social_image).
    "share": "fill-1200x630",
    # A story's image in structured data, in the three aspect ratios Google
    # asks for (16:9, 4:3, 1:1), each at least 1200 pixels wide.
    "jsonld_16x9": "fill-1200x675",
    "jsonld_4x3": "fill-1200x900",
    "jsonld_1x1": "fill-1200x1200",
    # The publisher's logo in JSON-LD (Google asks for at most 60 pixels high).
    "logo": "height-60",
}


JSON_LD_IMAGE_RENDITIONS = ("jsonld_16x9", "jsonld_4x3", "jsonld_1x1")

# What a page's own link preview and structured data show of its sharing image.
SHARE_RENDITIONS = ("share", *JSON_LD_IMAGE_RENDITIONS)


def rendition_spec(name: str) -> str:
    """The filter spec registered under `name` (a family's first); a KeyError names a spec nobody defined."""
    entry = RENDITIONS[name]
    return entry if isinstance(entry, str) else entry.specs[0]


def rendition_specs(*names: str) -> list[str]:
    """Every filter spec the renditions named `names` are made of, each once."""
    specs: dict[str, None] = {}
    for name in names:
        entry = RENDITIONS[name]
        specs.update(dict.fromkeys([entry] if isinstance(entry, str) else entry.all_specs))
    return list(specs)


def with_credits(image: str) -> list[str]:
    """`select_related` names bringing the image at `image` ("image" from a rendition,
    "lead_image" from a page) with its credit (core.image_credits), in the same query.

    Only the image for an image model without credits.
    """
    if not hasattr(get_image_model(), CREDIT_RELATION):
        return [image]
    return [image, f"{image}__{CREDIT_RELATION}"]


def images_with_credits() -> QuerySet:
    """The image model's objects, each with its credit joined (see `with_credits`)."""
    Image = get_image_model()
    if not hasattr(Image, CREDIT_RELATION):
        return Image.objects.all()
    return Image.objects.select_related(CREDIT_RELATION)


# A request for renditions: (object, name of its image field, rendition names).
Wanted = tuple[Model, str, Sequence[str]]

# Set on images whose renditions were loaded for some specs only; Wagtail's
# `prefetched_renditions` alone means every rendition of the image was loaded.
_LOADED_SPECS = "newsroom_loaded_specs"


def _loaded_specs(image: AbstractImage) -> set[str] | None:
    """The specs whose renditions `image` carries; None when it carries all it has."""
    if not hasattr(image, "prefetched_renditions"):
        return set()
    return getattr(image, _LOADED_SPECS, None)


def attach_renditions(
    wanted: Iterable[Wanted], every_rendition_of: Iterable[int] = ()
) -> dict[int, AbstractImage]:
    """Load the images `wanted` asks for with their renditions, in one query.

    Each (object, field, names) asks for the image in `object.<field>` in the
    renditions `names`; objects without an image there are skipped. Images
    already loaded (by `select_related`) are kept, and only their renditions
    are read; images not loaded yet come joined to their renditions, with one
    more query for those with none of them yet. One image wanted by several
    objects becomes one object, so a rendition made for one serves them all.

    The images `every_rendition_of` names (a body's pictures, say) come in the
    same query with all their renditions. Returns the images loaded, by id.
    """
    images: dict[int, AbstractImage] = {}
    holders: list[tuple[Model, str, int]] = []
    specs_by_id: dict[int, set[str] | None] = defaultdict(set)
    for image_id in every_rendition_of:
        specs_by_id[image_id] = None
    for holder, field, names in wanted:
        image_id = getattr(holder, f"{field}_id", None)
        if not image_id:
            continue
        holders.append((holder, field, image_id))
        if specs_by_id[image_id] is not None:
            specs_by_id[image_id].update(rendition_specs(*names))
        if holder._meta.get_field(field).is_cached(holder):
            image = getattr(holder, field)
            # Of two copies of one image, the one that came with its credit serves both.
            if image is not None and (
                image_id not in images or (credit_is_loaded(image) and not credit_is_loaded(images[image_id]))
            ):
                images[image_id] = image
    if not specs_by_id:
        return {}
    images.update(_load_renditions(specs_by_id, images))
    for holder, field, image_id in holders:
        if image_id in images:
            setattr(holder, field, images[image_id])
    return images


def _load_renditions(
    specs_by_id: dict[int, set[str] | None], loaded: dict[int, AbstractImage]
) -> dict[int, AbstractImage]:
    """Add the renditions of `specs_by_id` (None: all of them) to the images.

    Images not in `loaded` are loaded with them.
    """
    Image = get_image_model()
    needed: dict[frozenset[str] | None, list[int]] = defaultdict(list)
    for image_id, specs in specs_by_id.items():
        image = loaded.get(image_id)
        already = _loaded_specs(image) if image is not None else set()
        if already is None:
            continue  # carries every rendition it has
        if specs is None:
            needed[None].append(image_id)
        elif specs - already:
            # Images wanting the same specs share one condition of the query.
            needed[frozenset(specs - already)].append(image_id)
    if not needed:
        return loaded
    condition = Q()
    for specs, ids in needed.items():
        condition |= (
            Q(image_id__in=ids) if specs is None else Q(image_id__in=ids, filter_spec__in=sorted(specs))
        )
    renditions = Image.get_rendition_model().objects.filter(condition)
    missing = {image_id for ids in needed.values() for image_id in ids} - loaded.keys()
    if missing:
        renditions = renditions.select_related(*with_credits("image"))
    images = dict(loaded)
    found: dict[int, list[AbstractRendition]] = defaultdict(list)
    for rendition in renditions:
        image = images.get(rendition.image_id)
        if image is None:  # joined to the rendition
            image = images[rendition.image_id] = rendition.image
        rendition.image = image
        found[rendition.image_id].append(rendition)
    missing -= images.keys()
    if missing:
        images.update(images_with_credits().in_bulk(missing))
    for specs, ids in needed.items():
        for image_id in ids:
            image = images.get(image_id)
            if image is None:  # deleted since the page was saved
                continue
            if specs is None:
                # Wagtail's own meaning of a prefetch: every rendition the image has.
                image.prefetched_renditions = found[image_id]
                if hasattr(image, _LOADED_SPECS):
                    delattr(image, _LOADED_SPECS)
                continue
            if not hasattr(image, "prefetched_renditions"):
                # Known to have none of the others yet: Wagtail makes them without looking again.
                image.prefetched_renditions = []
                setattr(image, _LOADED_SPECS, set())
            image.prefetched_renditions.extend(found[image_id])
            getattr(image, _LOADED_SPECS).update(specs)
    return images


# Images a page has loaded already, for its body's image blocks to take
# (see `images_at_hand`); None outside such a page's preparation.
_images_at_hand: ContextVar[dict[int, AbstractImage] | None] = ContextVar(
    "newsroom_images_at_hand", default=None
)


@contextmanager
def images_at_hand(images: dict[int, AbstractImage]) -> Iterator[None]:
    """While active, `images_with_renditions` takes these images instead of loading them again.

    A page that loads its body's pictures together with its other images (one
    query) converts its body inside this block.
    """
    token = _images_at_hand.set(images)
    try:
        yield
    finally:
        _images_at_hand.reset(token)


def images_with_renditions(image_ids: Iterable[int]) -> dict[int, AbstractImage]:
    """The images with these ids, each carrying every rendition it has: one query once
    renditions exist (the renditions with their images), two before.

    For images whose renditions anyone may ask for, such as a body's images,
    which the editor's chooser shows in its own sizes.
    """
    image_ids = set(image_ids)
    at_hand = _images_at_hand.get() or {}
    images: dict[int, AbstractImage] = {
        pk: at_hand[pk] for pk in image_ids if pk in at_hand and _loaded_specs(at_hand[pk]) is None
    }
    image_ids -= images.keys()
    if not image_ids:
        return images
    Image = get_image_model()
    renditions = Image.get_rendition_model().objects.filter(image_id__in=image_ids)
    for rendition in renditions.select_related(*with_credits("image")):
        image = images.setdefault(rendition.image_id, rendition.image)
        image.prefetched_renditions = getattr(image, "prefetched_renditions", [])
        rendition.image = image
        image.prefetched_renditions.append(rendition)
    missing = image_ids - images.keys()
    if missing:
        for image in images_with_credits().filter(pk__in=missing):
            image.prefetched_renditions = []
            images[image.pk] = image
    return images


def card_renditions(pages: Iterable[Page], *names: str) -> list[Wanted]:
    """The card picture of each page (its listing image, else its lead image) in `names`."""
    wanted: list[Wanted] = []
    for page in pages:
        for field in ("listing_image", "lead_image"):
            if getattr(page, f"{field}_id", None):
                wanted.append((page, field, names or ("card",)))
                break
    return wanted


def attach_card_images(
    pages: Iterable[Page], *names: str, also: Iterable[Wanted] = (), every_rendition_of: Iterable[int] = ()
) -> dict[int, AbstractImage]:
    """Load the card pictures of `pages`, in the renditions `names` ("card" when none),
    and the images `also` and `every_rendition_of` ask for (see `attach_renditions`),
    in one query once the renditions exist. Returns the images loaded, by id.

    Without this each thumbnail in a list costs its own rendition query.
    """
    return attach_renditions([*card_renditions(pages, *names), *also], every_rendition_of)


# One Filter per spec for the life of the process. A Filter parses its spec
# into operations on first use (each operation's arguments checked with
# `inspect`), and Wagtail builds a new one per spec each time a string is
# passed: for a front page of 18 pictures in 10 sizes, 180 parsings a request.
# A Filter keeps nothing of the image it is used on (its template tag keeps
# one per tag the same way).
_FILTERS: dict[str, Filter] = {}


def _filter(spec: str) -> Filter:
    found = _FILTERS.get(spec)
    if found is None:
        found = _FILTERS[spec] = Filter(spec=spec)
    return found


def get_renditions(image: AbstractImage, specs: Sequence[str]) -> dict[str, AbstractRendition]:
    """`image.get_renditions(*specs)`, safe with renditions loaded for other specs.

    Specs that `attach_renditions` did not load are looked for in the database
    first (one query), as Wagtail does without a prefetch, instead of being made
    again; a page's query-count test then shows what was left out.

    An original that cannot become these renditions (its file missing, corrupt
    or not a picture, an SVG asked for WebP: see `RENDITION_FAILURES`) gives
    stand-ins without a file, Wagtail's broken picture, and a warning in the
    log: one bad image never fails the page, the list or the feed showing it.
    """
    loaded = getattr(image, _LOADED_SPECS, None)
    if loaded is not None and hasattr(image, "prefetched_renditions"):
        unplanned = [spec for spec in specs if spec not in loaded]
        if unplanned:
            image.prefetched_renditions.extend(image.renditions.filter(filter_spec__in=unplanned))
            loaded.update(unplanned)
    try:
        return image.get_renditions(*(_filter(spec) for spec in specs))
    except RENDITION_FAILURES as error:
        logger.warning("No renditions of image %s (%s): %r", image.pk, image.file.name, error)
        stand_in = image.renditions.model(image=image, width=0, height=0)
        stand_in.file.name = "not-found"
        return dict.fromkeys(specs, stand_in)


def is_stand_in(rendition: AbstractRendition) -> bool:
    """True for the broken picture `get_renditions` gives when the real one cannot be made.

    Link previews and structured data leave such a picture out rather than name
    an address that answers 404.
    """
    return not rendition.width


def get_rendition(image: AbstractImage, name: str) -> AbstractRendition:
    """The rendition of `image` named `name` (a family's first size, in the original's format)."""
    spec = rendition_spec(name)
    return get_renditions(image, [spec])[spec]


def keeps_its_format(image: AbstractImage) -> bool:
    """GIFs may be animated: a WebP copy would keep only the first frame."""
    return image.file.name.lower().endswith(".gif")


def picture_html(image: AbstractImage, name: str, attrs: dict[str, object]) -> SafeString:
    """`image` in the renditions named `name`, with `attrs` on the <img>.

    A family becomes a <picture>: a WebP <source> and an <img> in the
    original's format, both with every size of the family; `sizes` in `attrs`
    replaces the family's own. A single spec becomes an <img>. The <img>
    always has its width and height, so the page does not move when it arrives.
    """
    family = RENDITIONS[name]
    attrs = dict(attrs)
    # Sizes mean something only to a family with width descriptors.
    sizes = attrs.pop("sizes", "") or getattr(family, "sizes", "")
    if isinstance(family, str):
        return get_renditions(image, [family])[family].img_tag(attrs)
    webp = not keeps_its_format(image)
    renditions = get_renditions(image, family.all_specs if webp else family.specs)
    described = {"sizes": sizes} if family.sizes else {}
    fallback = [renditions[spec] for spec in family.specs]
    if is_stand_in(fallback[0]):  # the original cannot become a picture: no sizes to offer
        return fallback[0].img_tag(attrs)
    img = fallback[0].img_tag({**attrs, "srcset": family.srcset(fallback), **described})
    if not webp:
        return format_html("<picture>{}</picture>", img)
    webp_renditions = [renditions[spec] for spec in family.webp_specs]
    source = {"type": "image/webp", "srcset": family.srcset(webp_renditions), **described}
    return format_html("<picture><source{}>{}</picture>", flatatt(source), img)
