from django.apps import AppConfig


def _user_saved(sender, update_fields=None, **kwargs) -> None:
    """A user's name is shown in cached API lists (who updated a value, who submitted):
    a saved user changes the figures version, but not the login's own save of
    ``last_login``, which happens at every login."""
    from jiangping.core.pagecache import figures_changed

    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    figures_changed()


class OrgsConfig(AppConfig):
    name = "jiangping.orgs"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from jiangping.core.pagecache import changes_figures
        from jiangping.orgs import home  # noqa: F401  (registers home cards)
        from jiangping.orgs.models import OrgUnit, User

        changes_figures(OrgUnit)
        post_save.connect(_user_saved, sender=User, dispatch_uid="figures-save:orgs.User")
        # A deleted user's name leaves the values and submissions it wrote (set to null
        # by an update that sends no signal of theirs).
        post_delete.connect(_user_saved, sender=User, dispatch_uid="figures-delete:orgs.User")
