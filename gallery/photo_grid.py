"""The album's photos in its admin page as a grid of cards (admin/gallery/album/photo_grid.html): a page of
PHOTOS_PER_PAGE at a time, and 应用到所选照片, which writes one 图片说明 and/or 摄影/来源 into the selected cards.

Applying is done on the submitted form data, before the forms are built: each selected card then carries the new
text as if the editor had typed it, so validation, the album's checks, the history and the change message treat it
as any other edit, and nothing is saved when anything in the form is wrong."""

from django.core.paginator import Paginator

PHOTOS_PER_PAGE = 40
PAGE_PARAM = "photos_page"
APPLY = "_apply_to_selected"  # the name of the 应用到所选照片 button
BULK_FIELDS = ("caption", "credit")  # 替代文字 describes one picture: never the same for many


def bulk_value(data, name):
    return (data.get(f"bulk_{name}") or "").strip()


def selected_indexes(data, prefix):
    """The numbers of the cards ticked 选中 in a submitted album form."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 1000)
    except ValueError:
        return []
    return [i for i in range(total) if data.get(f"{prefix}-{i}-selected")]


def applied_to_selected(data, prefix):
    """(a copy of `data` with the bulk caption/credit written into each selected card, how many cards)."""
    values = {name: bulk_value(data, name) for name in BULK_FIELDS}
    indexes = selected_indexes(data, prefix)
    if not any(values.values()):
        return data, 0
    data = data.copy()
    for i in indexes:
        for name, value in values.items():
            if value:
                data[f"{prefix}-{i}-{name}"] = value
    return data, len(indexes)


class PagedBulkFormSetMixin:
    """For the album's inline formset: one page of photos (`page_number`, set per request by the inline), and the
    bulk apply. `applied` is how many cards 应用到所选照片 wrote into (None when it was not pressed)."""

    page_number = 1
    applied = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and APPLY in self.data:
            self.data, self.applied = applied_to_selected(self.data, self.prefix)

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            everything = super().get_queryset()
            self.page = Paginator(everything, PHOTOS_PER_PAGE).get_page(self.page_number)
            self._queryset = self.page.object_list
        return self._queryset

    @property
    def photo_page(self):
        self.get_queryset()
        return self.page
