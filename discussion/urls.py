"""Reader comment URLs, mounted under comments/.

Only the parts of django-comments-xtd this site uses are routed: not its REST
API (it would take comments past the spam checks) nor django_comments' own post
view (it would take comments on any model).
"""

from django_comments_xtd import views as xtd_views

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("post/", views.post, name="comments-post-comment"),
    path("posted/", views.posted, name="reader-comments-posted"),
    path("reply/<int:comment_id>/", views.reply, name="reader-comments-reply"),
    path("flag/<int:comment_id>/", views.flag, name="reader-comments-flag"),
    path("link/<int:comment_id>/", views.comment_permalink, name="reader-comments-permalink"),
    path("thread/<int:thread_id>/", views.thread, name="reader-comments-thread"),
    re_path(r"^confirm/(?P<key>[^/]+)/$", views.confirm, name="comments-xtd-confirm"),
    re_path(r"^mute/(?P<key>[^/]+)/$", xtd_views.mute, name="comments-xtd-mute"),
    # Where django-comments-xtd sends readers after confirming a comment.
    re_path(r"^cr/(\d+)/(.+)/$", views.article_redirect, name="comments-url-redirect"),
]
