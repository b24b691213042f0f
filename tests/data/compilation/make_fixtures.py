"""Make the compilation fixture: the real 平潭 2024 report page printed to PDF by Chromium, with the report's
title repeated as a running header on every page and a sentence quoting last year's report title.

Run once by hand (needs chromium; tests never do):  python tests/data/compilation/make_fixtures.py
Its output is committed; the tests concatenate it with the 洪泽 PDFs of tests/data/corpus into one file.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE = HERE.parent / "corpus-html" / "pingtan_2024.html"
TITLE = "平潭综合实验区2024年度政府信息公开工作年度报告"
HEADER = (f'<div style="position:fixed;top:0;left:0;right:0;text-align:center;font-size:9pt;'
          f'background:#fff">{TITLE}</div>')
QUOTE = ("<p>本报告参照《平潭综合实验区2023年度政府信息公开工作年度报告》的体例编写，"
         "2023年政府信息公开工作年度报告</p>")


def main() -> None:
    html = PAGE.read_text(encoding="utf-8")
    html = html.replace("<body", "<body", 1)
    body_at = html.index(">", html.index("<body")) + 1
    html = html[:body_at] + HEADER + html[body_at:]
    first_para = html.index("一、总体情况")
    html = html[:first_para] + QUOTE + html[first_para:]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(html, encoding="utf-8")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={HERE / 'pingtan_2024_print.pdf'}", src.as_uri()], check=True,
                       capture_output=True, timeout=120)


if __name__ == "__main__":
    main()
