"""A ranking of stories other than the default, to show that one can be plugged in."""

from newsletters.ranking import candidates


def alphabetical_last_two(newsletter, since, limit):
    return list(candidates(newsletter, since).order_by("-title")[:2])
