"""Who may do what at a live blog's live desk."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from news.models import LiveBlogEntry, LiveBlogPage


def may_manage(user: AbstractBaseUser | AnonymousUser, page: LiveBlogPage) -> bool:
    """Editors (whoever may publish the live blog): every entry, pins included."""
    return page.permissions_for_user(user).can_publish()


def may_post(user: AbstractBaseUser | AnonymousUser, page: LiveBlogPage) -> bool:
    """Editors always; writers (who may add stories to the blog's section, or edit the blog) when the
    blog lets them."""
    if may_manage(user, page):
        return True
    if not page.writers_may_post:
        return False
    return page.permissions_for_user(user).can_edit() or (
        page.get_parent().permissions_for_user(user).can_add_subpage()
    )


def may_change(user: AbstractBaseUser | AnonymousUser, page: LiveBlogPage, entry: LiveBlogEntry) -> bool:
    """Edit or delete: editors any entry, a writer who may post their own."""
    return may_manage(user, page) or (may_post(user, page) and entry.posted_by_id == user.pk)
