from django.apps import AppConfig


class GalleryConfig(AppConfig):
    name = "gallery"
    verbose_name = "图片"

    def ready(self):
        from gallery import signals  # noqa: F401 - connects the file clean-up receivers
