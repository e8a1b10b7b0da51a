from django.urls import path

from achievements import views

app_name = "achievements"
urlpatterns = [
    path("", views.AchievementsView.as_view(), name="index"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("<int:pk>/", views.SectionView.as_view(), name="section"),
    path("metric/<int:pk>/", views.MetricView.as_view(), name="metric"),
]
