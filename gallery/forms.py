from django import forms
from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from gallery.models import Photo
from union_site.common.multipart import too_many_files_message


class PhotoForm(forms.ModelForm):
    """Takes 拍摄时间 from the picture's EXIF when the editor leaves it empty. A picture given here has its renditions
    made as it is saved, in the request (one photo: about a second), also when it replaces one a bulk upload left
    处理中 or 生成失败 (gallery/renditions.py)."""

    class Meta:
        model = Photo
        fields = "__all__"  # noqa: DJ007 - the admin chooses what is shown

    def clean(self):
        cleaned = super().clean()
        taken_at = getattr(cleaned.get("image"), "taken_at", None)
        if taken_at and not cleaned.get("taken_at"):
            cleaned["taken_at"] = taken_at
            self.instance.taken_at = taken_at
        if "image" in self.changed_data and cleaned.get("image"):
            self.instance.renditions_ready, self.instance.renditions_error = True, ""
        return cleaned


class PhotoCardForm(PhotoForm):
    """A photo's card in the album's grid (gallery/photo_grid.py): its texts and order, and 选中 for 应用到所选照片,
    which is not a field of the photo (a ticked box alone changes nothing)."""

    selected = forms.BooleanField(label=_("选中"), required=False)

    class Meta(PhotoForm.Meta):
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 2}),
            "order": forms.NumberInput(attrs={"min": 0, "class": "photo-order"}),
        }

    @cached_property
    def changed_data(self):
        return [name for name in super().changed_data if name != "selected"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Many files in one field; each is checked later, one by one, so one bad file does not refuse the rest."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif,.zip"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            raise forms.ValidationError(_("请选择要上传的照片或 ZIP 压缩包。"), code="required")
        return files


class BulkUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("照片或 ZIP 压缩包"),
        help_text=_("可一次选择多张照片（JPEG、PNG、WebP、GIF），或一个装有照片的 ZIP 压缩包；每张不超过 20 MB。"),
    )
    credit = forms.CharField(
        label=_("摄影/来源"), max_length=100, required=False, help_text=_("填了就用于这一批的每张照片。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # gallery/static/gallery/bulk_upload.js warns before sending more; the server's count stays the rule.
        self.fields["files"].widget.attrs["data-max-files"] = settings.DATA_UPLOAD_MAX_NUMBER_FILES

    @classmethod
    def refused_for_count(cls, count):
        """The form after an upload of `count` files, more than one upload may hold: the body was not kept, so the
        form is empty again and says why on its files field."""
        form = cls(data={}, files={})
        form.errors["files"] = form.error_class([too_many_files_message(count)])
        return form
