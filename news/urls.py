from django.urls import path

from news import feeds, views

app_name = "news"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("c/<slug:slug>/", views.ColumnView.as_view(), name="column"),
    path("c/<slug:slug>/feed/", feeds.ColumnFeed(), name="column_feed"),
    path("<int:pk>/", views.ArticleDetailView.as_view(), name="detail"),
]
