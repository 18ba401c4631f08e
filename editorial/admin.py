from django.contrib import admin
from reversion.admin import VersionAdmin

from editorial.models import EditorialPage
from editorial.views import TEMPLATE
from reviews.admin_workflow import WorkflowAdminMixin


@admin.register(EditorialPage)
class EditorialPageAdmin(WorkflowAdminMixin, VersionAdmin):
    public_template = TEMPLATE
    list_display = ["title", "slug", "updated_at"]
    fieldsets = [(None, {"fields": ["slug", "title", "summary", "body"]})]
