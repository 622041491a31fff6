from django.contrib import admin

from jiangping.bulletins.models import BulletinVersion


@admin.register(BulletinVersion)
class BulletinVersionAdmin(admin.ModelAdmin):
    """通报: read only here. A version is generated, edited and published through the
    bulletin's actions (the 通报 page, the API, ``jiangping bulletin``), never by hand."""

    list_display = ["period", "version", "status", "number", "run", "updated_at",
                    "published_at"]
    list_filter = ["status"]
    search_fields = ["period", "number"]
    readonly_fields = ["period", "version", "run", "number", "date", "issuer", "edits",
                       "content", "digest", "status", "created_at", "created_by",
                       "updated_at", "published_at", "published_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
