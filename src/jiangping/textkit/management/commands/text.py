"""``jiangping text clean FILE [--keep-traditional]``: print the normalised text."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from jiangping.cli import ContractCommand, ContractParser, input_file
from jiangping.textkit.clean import clean


def read_utf8(path: str) -> str:
    """The text of a UTF-8 file (a byte-order mark is dropped); refused input otherwise."""
    try:
        data = input_file(path).read_bytes()
    except OSError as exc:
        raise CommandError(
            _("无法读取文件“%(file)s”：%(reason)s") % {"file": path, "reason": exc.strerror},
            returncode=1,
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(
            _("文件“%(file)s”不是 UTF-8 文本（第 %(offset)s 字节无法解码），"
              "请另存为 UTF-8 后重试。") % {"file": path, "offset": exc.start + 1},
            returncode=1,
        ) from None


class Command(ContractCommand):
    help = "文本处理：清洗讲话稿等文本（去除网页转换留下的拼音注音、繁体转简体）"
    # A text tool: needs neither a secret key nor a database.
    requires_system_checks = []
    requires_database = False

    def add_arguments(self, parser):
        # Django builds the subparsers before ContractCommand swaps the parser's class,
        # so they are asked for a contract parser here (Chinese usage errors, status 2).
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION",
                                        parser_class=ContractParser)
        cleaner = actions.add_parser(
            "clean", help="打印清洗后的文本",
            description="打印规范化后的文本：Unicode NFC、数字半角、去除拼音注音，默认转为简体。",
        )
        cleaner.add_argument("file", metavar="FILE", help="UTF-8 文本文件")
        cleaner.add_argument("--keep-traditional", action="store_true",
                             help="保留繁体，不转换为简体")

    def handle(self, *args, action, **options):
        if action == "clean":
            text = read_utf8(options["file"])
            result = clean(text, simplified=not options["keep_traditional"])
            self.stdout.write(result.text)
