"""Where pages sit in Wagtail's tree: facts every part of the site shares."""

# Wagtail's invisible root is depth 1 and each site's home page depth 2;
# sections and stories sit below.
SITE_ROOT_DEPTH = 2
