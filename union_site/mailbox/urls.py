from django.urls import path

from union_site.mailbox import views

app_name = "mailbox"
urlpatterns = [
    path("", views.LetterListView.as_view(), name="list"),
    path("new/", views.letter_new, name="new"),
    path("sent/", views.letter_sent, name="sent"),
    path("query/", views.letter_query, name="query"),
    path("<int:pk>/", views.LetterDetailView.as_view(), name="detail"),
]
