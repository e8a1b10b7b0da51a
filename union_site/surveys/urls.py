from django.urls import path

from union_site.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.SurveyListView.as_view(), name="list"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/thanks/", views.survey_thanks, name="thanks"),
]
