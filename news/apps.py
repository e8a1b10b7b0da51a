from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "新闻"

    def ready(self):
        from news import attachments  # noqa: F401 - connects the receivers: files and search follow attachment rows
