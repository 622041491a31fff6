"""``jiangping serve`` runs the WSGI app with waitress, never on an unmigrated database."""

import pytest
import waitress
from django.core.management import call_command
from django.core.management.base import CommandError

from jiangping.core.management.commands import serve


@pytest.mark.django_db
def test_serve_runs_waitress(monkeypatch, capsys, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    calls = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: calls.append((app, kw)))
    call_command("serve", "--host", "0.0.0.0", "--port", "8123")
    (app, options), = calls
    assert callable(app)
    assert options["host"] == "0.0.0.0" and options["port"] == 8123
    assert "http://0.0.0.0:8123/" in capsys.readouterr().out
    assert settings.STATIC_ROOT.is_dir()


@pytest.mark.django_db
def test_serve_refuses_unapplied_migrations(monkeypatch):
    monkeypatch.setattr(serve, "unapplied_migrations", lambda: ["orgs.0099_future"])
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: pytest.fail("served"))
    with pytest.raises(CommandError, match="jiangping migrate"):
        call_command("serve")
