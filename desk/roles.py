"""The newsroom's roles: group names, shared by the data migration, the admin and the local accounts."""

WRITERS = "Writers"
EDITORS = "Editors"
# Created by the discussion app; named here so the local accounts can join it.
READER_COMMENT_MODERATORS = "Reader comment moderators"
REVIEW_WORKFLOW = "Editorial review"
REVIEW_TASK = "Editors review"
