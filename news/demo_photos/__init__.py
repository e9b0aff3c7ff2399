"""Real photographs for the demo site, each free to use: CC0 or in the public domain.

They are sample images bundled with scikit-image (its `skimage/data/` folder),
converted to JPEG; CREDITS.md beside them names each one's author, source and
terms as scikit-image's data module states them. Pictures whose terms it gives
only as "no known copyright restrictions" (the coins, the stained tissue) were
left out: that is not a licence.

Each photo here carries what the image library needs to show it properly: the
credit and caption readers see under it, a description for readers who cannot
see it, where it comes from and on what terms, and a focal point where a crop
could cut off what matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
PUBLIC_DOMAIN = "https://creativecommons.org/publicdomain/mark/1.0/"
SCIKIT_IMAGE_DATA = "https://scikit-image.org/docs/stable/api/skimage.data.html"


@dataclass(frozen=True)
class DemoPhoto:
    file: str
    title: str
    caption: str
    alt_text: str
    credit: str
    source_url: str
    licence_url: str
    # (centre x, centre y, width, height) in the file's pixels; None: crops from the centre do.
    focal_point: tuple[int, int, int, int] | None = None

    @property
    def path(self) -> Path:
        return FOLDER / self.file


PHOTOS: list[DemoPhoto] = [
    DemoPhoto(
        file="astronaut.jpg",
        title="Astronaut Eileen Collins",
        caption="Eileen Collins, the first woman to pilot a space shuttle.",
        alt_text="Astronaut Eileen Collins smiling in an orange flight suit, a model shuttle behind her",
        credit="NASA",
        source_url="https://flic.kr/p/r9qvLn",
        licence_url=PUBLIC_DOMAIN,
        focal_point=(220, 110, 130, 180),
    ),
    DemoPhoto(
        file="photographer.jpg",
        title="Photographer with a camera on a tripod",
        caption="A photographer at work on a playing field.",
        alt_text="A man in a dark coat looking through a camera on a tripod, on a lawn",
        credit="Lav Varshney",
        source_url=f"{SCIKIT_IMAGE_DATA}#skimage.data.camera",
        licence_url=CC0,
        focal_point=(290, 120, 260, 170),
    ),
    DemoPhoto(
        file="cat.jpg",
        title="Chelsea the cat",
        caption="Chelsea the cat.",
        alt_text="Close-up of a tabby cat's face with green eyes",
        credit="Stefan van der Walt",
        source_url=f"{SCIKIT_IMAGE_DATA}#skimage.data.chelsea",
        licence_url=CC0,
        focal_point=(235, 125, 220, 180),
    ),
    DemoPhoto(
        file="coffee.jpg",
        title="Espresso cup",
        caption="An espresso at Pikolo Espresso Bar.",
        alt_text="A cup of espresso on a red saucer with a spoon, on a wooden table",
        credit="Rachel Michetti",
        source_url=f"{SCIKIT_IMAGE_DATA}#skimage.data.coffee",
        licence_url=CC0,
        focal_point=(360, 150, 260, 230),
    ),
    DemoPhoto(
        file="hubble-deep-field.jpg",
        title="Hubble eXtreme Deep Field",
        caption="The Hubble eXtreme Deep Field: thousands of galaxies in one small patch of sky.",
        alt_text="Thousands of small galaxies of many colours scattered across a black sky",
        credit="NASA",
        source_url="https://hubblesite.org/newscenter/archive/releases/2012/37/image/a/",
        licence_url=PUBLIC_DOMAIN,
    ),
    DemoPhoto(
        file="rocket.jpg",
        title="Falcon 9 on the launch pad",
        caption="A Falcon 9 rocket carrying the DSCOVR satellite at Cape Canaveral.",
        alt_text="A white rocket standing between launch towers at dusk, floodlights at its base",
        credit="SpaceX",
        source_url="https://www.flickr.com/photos/spacexphotos/16511594820/",
        licence_url=PUBLIC_DOMAIN,
        focal_point=(310, 240, 80, 330),
    ),
    DemoPhoto(
        file="retina.jpg",
        title="Human retina",
        caption="The back of a healthy left eye, photographed through the pupil.",
        alt_text="The orange-red disc of a human retina with its branching blood vessels",
        credit="Mikael Häggström",
        source_url="https://commons.wikimedia.org/wiki/File:Fundus_photograph_of_normal_left_eye.jpg",
        licence_url=CC0,
    ),
    DemoPhoto(
        file="cell.jpg",
        title="A cell under the microscope",
        caption="A single cell floating in saline, seen by quantitative phase imaging.",
        alt_text="A bright round cell on a grey background, seen through a microscope",
        credit="Paul Müller et al.",
        source_url="https://doi.org/10.1364/OE.26.010729",
        licence_url=CC0,
        focal_point=(422, 369, 110, 110),
    ),
    DemoPhoto(
        file="brick-wall.jpg",
        title="Brick wall",
        caption="A brick wall.",
        alt_text="Rows of bricks in a wall, in black and white",
        credit="CC0Textures",
        source_url="https://cc0textures.com/view.php?tex=Bricks25",
        licence_url=CC0,
    ),
    DemoPhoto(
        file="grass.jpg",
        title="Grass",
        caption="Grass.",
        alt_text="Blades of grass seen from above, in black and white",
        credit="linolafett",
        source_url="https://www.deviantart.com/linolafett/art/Grass-01-434853879",
        licence_url=CC0,
    ),
]

# The seed articles' lead pictures, by the article's slug.
SEED_LEAD_PHOTOS: dict[str, str] = {
    "respiratory-viruses-may-awaken-dormant-breast-cancer": "cell.jpg",
}


def photo_named(file: str) -> DemoPhoto:
    return next(photo for photo in PHOTOS if photo.file == file)
