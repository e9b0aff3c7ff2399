from django.urls import path

from . import views
from .accounts import account_urls

app_name = "readers"

urlpatterns = [
    path("", views.account, name="account"),
    path("me.json", views.me, name="me"),
    path("sign-in/", views.sign_in_view, name="sign-in"),
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("sign-in/link/<str:token>/", views.sign_in_link, name="sign-in-link"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("my-data.json", views.download, name="download"),
    path("delete/", views.delete_account, name="delete"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment-edit"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment-delete"),
]
# Other apps' views for signed-in readers (newsletters' one-click subscribe): under
# /account/, the only place besides /comments/ where the reader's session is read.
urlpatterns += account_urls()
