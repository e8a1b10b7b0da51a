from django.urls import path

from achievements import views

app_name = "achievements"
urlpatterns = [
    path("", views.AchievementsView.as_view(), name="index"),
]
