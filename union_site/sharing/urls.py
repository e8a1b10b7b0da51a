from django.urls import path

from union_site.sharing import views

app_name = "sharing"
urlpatterns = [
    path("channels/", views.ChannelsView.as_view(), name="channels"),
    path("share/<slug:kind>/<int:pk>.jpg", views.share_image, name="image"),
]
