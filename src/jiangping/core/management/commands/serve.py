"""``jiangping serve [--host H] [--port P] [--workers N] [--threads N] [--timeout S]``:
run the web UI and the API (网页服务).

The WSGI application is served by gunicorn, several processes of a few threads each
(:mod:`jiangping.core.serving`); static files come from whitenoise. A database with
unapplied migrations is refused: the operator runs ``jiangping migrate`` deliberately
(after a backup), never as a side effect of a restart. ``jiangping demo`` migrates its
own database before it serves.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.core.servers.basehttp import get_internal_wsgi_application
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from jiangping.cli import ContractCommand


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(ContractCommand):
    help = "启动网页界面与 REST API（gunicorn，多进程）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1",
                            help="监听地址（默认 127.0.0.1；对外提供服务用 0.0.0.0）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--workers", type=positive, default=None,
                            help="工作进程数（默认 JIANGPING_WORKERS，未设置时为 CPU 核数）")
        parser.add_argument("--threads", type=positive, default=None,
                            help="每个进程的请求线程数（默认 JIANGPING_THREADS，即 2）")
        parser.add_argument("--timeout", type=positive, default=None,
                            help="工作进程无响应多少秒后被替换，也是重启时留给进行中请求的"
                                 "时间（默认 JIANGPING_TIMEOUT，即 60）")

    def handle(self, *args, host, port, workers, threads, timeout, **options):
        from jiangping.core import serving

        pending = unapplied_migrations()
        if pending:
            raise CommandError(
                _("数据库还有 %(count)d 个迁移未执行（如 %(first)s）。"
                  "请先备份数据库，再运行 jiangping migrate。")
                % {"count": len(pending), "first": pending[0]}
            )
        workers = workers or settings.SERVE_WORKERS or serving.cores()
        threads = threads or settings.SERVE_THREADS
        timeout = timeout or settings.SERVE_TIMEOUT
        # whitenoise warns at every start when the collectstatic target is missing;
        # the app directories are served through the finders all the same.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        application = get_internal_wsgi_application()
        shown = f"[{host}]" if ":" in host else host

        def ready(_arbiter):
            self.stdout.write(
                _("网页服务已启动：http://%(host)s:%(port)d/ （%(workers)d 个进程 × "
                  "%(threads)d 个线程；按 Ctrl+C 停止）")
                % {"host": shown, "port": port, "workers": workers, "threads": threads})
            self.stdout.flush()

        server = serving.make_server(application, host=host, port=port, workers=workers,
                                     threads=threads, timeout=timeout,
                                     trusted_proxy=settings.TRUSTED_PROXY, on_ready=ready)
        server.run()
