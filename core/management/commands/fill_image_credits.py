from django.core.management.base import BaseCommand

from wagtail.images import get_image_model

from core.image_credits import CREDIT_RELATION, fill_from_file


class Command(BaseCommand):
    help = (
        "Read the caption, credit and rights of images uploaded before credits existed from their "
        "files (IPTC, XMP, EXIF). Images that have a credit row are left as editors made it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", type=int, default=200, help="Images read per query (default 200).")

    def handle(self, *args, batch: int = 200, **options) -> None:
        images = get_image_model().objects.filter(**{f"{CREDIT_RELATION}__isnull": True}).order_by("pk")
        filled = read = 0
        last = 0
        while True:
            chunk = list(images.filter(pk__gt=last)[:batch])
            if not chunk:
                break
            for image in chunk:
                read += 1
                filled += fill_from_file(image) is not None
            last = chunk[-1].pk
        self.stdout.write(f"{read} images read, {filled} image{'s' if filled != 1 else ''} given a credit.")
