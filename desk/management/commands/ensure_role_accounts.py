from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from desk.roles import EDITORS, READER_COMMENT_MODERATORS, WRITERS

# (username, group, what the account is for); the password is the username.
ROLE_ACCOUNTS = [
    ("writer", WRITERS, "drafts stories and submits them for review"),
    ("news-editor", EDITORS, "reviews, publishes, schedules and corrects stories"),
    ("moderator", READER_COMMENT_MODERATORS, "moderates reader comments"),
]


class Command(BaseCommand):
    help = "Create (or reset) one local account per newsroom role. Development settings only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create local role accounts when DEBUG is off.")
        User = get_user_model()
        for username, group_name, purpose in ROLE_ACCOUNTS:
            group = Group.objects.filter(name=group_name).first()
            if group is None:
                raise CommandError(f"The group “{group_name}” does not exist; run migrate first.")
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@localhost"}
            )
            user.is_active, user.is_staff, user.is_superuser = True, False, False
            user.set_password(username)
            user.save()
            user.groups.set([group])
            self.stdout.write(f"  {username} / {username}: {group_name}, {purpose}")
