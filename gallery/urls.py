app_name = "gallery"
urlpatterns = []
