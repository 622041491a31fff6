"""System checks with stable ids: misconfiguration is reported before a request fails."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def secret_key_configured(app_configs, **kwargs):
    if settings.SECRET_KEY_MISSING:
        return [
            Error(
                "未设置 JIANGPING_SECRET_KEY（或 JIANGPING_SECRET_KEY_FILE）。",
                hint=(
                    "生产部署必须设置随机密钥；"
                    "只有演示模式（jiangping demo）会在数据目录中自动生成。"
                ),
                id="jiangping.E001",
            )
        ]
    return []


@register()
def field_key_configured(app_configs, **kwargs):
    if not settings.FIELD_KEY:
        return [
            Warning(
                "未设置 JIANGPING_FIELD_KEY，个人敏感信息无法加密保存。",
                hint="用 python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())' 生成密钥。",
                id="jiangping.W001",
            )
        ]
    return []


@register()
def debug_off_outside_demo(app_configs, **kwargs):
    if settings.DEBUG and not settings.DEMO_MODE:
        return [Warning("生产环境不应开启 JIANGPING_DEBUG。", id="jiangping.W002")]
    return []



@register()
def growth_tolerance_is_a_number(app_configs, **kwargs):
    from decimal import Decimal, InvalidOperation

    try:
        tolerance = Decimal(str(settings.GROWTH_TOLERANCE_PP))
    except InvalidOperation:
        tolerance = None
    if tolerance is None or not tolerance.is_finite() or tolerance < 0:
        return [
            Error(
                f"JIANGPING_GROWTH_TOLERANCE_PP 应为非负数（百分点），"
                f"现为“{settings.GROWTH_TOLERANCE_PP}”。",
                id="jiangping.E002",
            )
        ]
    return []


@register()
def upload_limit_is_positive(app_configs, **kwargs):
    if settings.JIANGPING_MAX_UPLOAD_BYTES <= 0:
        return [
            Error(
                f"JIANGPING_MAX_UPLOAD_MB 应为正整数（MB），"
                f"现为“{settings.JIANGPING_MAX_UPLOAD_MB}”。",
                id="jiangping.E003",
            )
        ]
    return []


@register()
def cache_url_is_understood(app_configs, **kwargs):
    """``JIANGPING_CACHE_URL``: empty (files in the data directory), ``redis://…`` (with the
    ``redis`` package installed) or ``locmem://``."""
    url = settings.CACHE_URL
    if url and not url.startswith(("redis://", "rediss://", "unix://", "locmem://")):
        return [Error(f"JIANGPING_CACHE_URL 无法识别：“{url.split('://')[0]}://…”。",
                      hint="应为 redis://主机:端口/库号，或留空（缓存存放在数据目录中）。",
                      id="jiangping.E004")]
    if url.startswith(("redis://", "rediss://", "unix://")):
        try:
            import redis  # noqa: F401
        except ImportError:
            return [Error("JIANGPING_CACHE_URL 指向 Redis，但未安装 redis 软件包。",
                          hint="pip install redis", id="jiangping.E004")]
    return []
