"""A photo's files live and die with its row: deleting a photo (or its album) removes the upload and every
rendition; replacing the image removes the old ones. Files go only after the transaction commits, so a rolled-back
delete loses nothing."""

from django.db import transaction
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver

from gallery.models import Photo


def delete_files(storage, names):
    for name in names:
        if name:
            storage.delete(name)  # a file already gone is no error, on disk as in a bucket (one request, not two)


@receiver(post_delete, sender=Photo)
def photo_deleted(sender, instance, **kwargs):
    names = instance.media_files()
    transaction.on_commit(lambda: delete_files(instance.image.storage, names))


@receiver(pre_save, sender=Photo)
def photo_image_replaced(sender, instance, **kwargs):
    if not instance.pk:
        return
    old = Photo.objects.filter(pk=instance.pk).first()
    if old and old.image and old.image.name != instance.image.name:
        names = old.media_files()
        transaction.on_commit(lambda: delete_files(old.image.storage, names))
