from django.urls import path

from . import views

urlpatterns = [
    path("follow/", views.follow, name="alerts_follow"),
    path("unsubscribe/", views.unsubscribe, name="alerts_unsubscribe"),
    path("following/", views.following, name="alerts_following"),
]
