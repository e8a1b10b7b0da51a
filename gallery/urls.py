from django.urls import path

from gallery import views

app_name = "gallery"
urlpatterns = [
    path("", views.AlbumListView.as_view(), name="list"),
    path("<int:pk>/", views.AlbumDetailView.as_view(), name="album"),
]
