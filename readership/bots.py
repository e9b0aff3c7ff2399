"""Known robots by User-Agent, from the maintained crawler-user-agents list."""

from __future__ import annotations

import functools

import crawleruseragents

# Longer User-Agents are cut before matching: the patterns look at product
# names near the start, and a huge header must not cost more than a short one.
USER_AGENT_LENGTH_READ = 512


def is_robot(user_agent: str) -> bool:
    """True for a known crawler, a headless browser or a missing User-Agent."""
    user_agent = user_agent.strip()[:USER_AGENT_LENGTH_READ]
    return not user_agent or _matches_crawler(user_agent)


# Matching runs the list's few hundred patterns; readers share a handful of
# browser versions, so most answers come from here.
@functools.lru_cache(maxsize=4096)
def _matches_crawler(user_agent: str) -> bool:
    return crawleruseragents.is_crawler(user_agent)
