"""Screenshot pages of a running Jiangping (e.g. the demo) with Debian's chromium.

    .venv/bin/python scripts/screenshot.py http://127.0.0.1:8000 office jiangping-demo \
        /indicators/compare/ docs/images/compare.png
"""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]


def main(base: str, username: str, password: str, *pages_and_files: str) -> int:
    pairs = list(zip(pages_and_files[::2], pages_and_files[1::2], strict=True))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(locale="zh-CN", viewport={"width": 1440, "height": 900})
        page.goto(f"{base}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.press("input[name=password]", "Enter")
        page.wait_for_load_state("networkidle")
        for path, out in pairs:
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=out, full_page=False)
            print(out)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
