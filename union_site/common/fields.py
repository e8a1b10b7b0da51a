"""Model fields used alike by every app."""

from django.conf import settings
from django.db import models


def user_stamp(verbose_name):
    """Who did something to a row (created, changed, verified it): kept when the account is deleted, not editable."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
