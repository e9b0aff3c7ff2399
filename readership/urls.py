from django.urls import path

from . import views

app_name = "readership"

urlpatterns = [
    path("", views.most_read_panel, name="most_read_panel"),
    path("beacon", views.beacon, name="beacon"),
]
