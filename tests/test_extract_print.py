"""`govreports extract` prints counts as integers (550, not 550.0) and money as printed."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from govreports import read_report

PAGE = Path(__file__).parent / "data" / "corpus-html" / "pingtan_2023.html"
GOVREPORTS = str(Path(sys.executable).with_name("govreports"))


def test_table_two_keeps_integer_counts():
    t2 = read_report(PAGE).table("t2")
    assert t2.loc["行政规范性文件"].tolist()[:3] == [77, 132, 470]
    assert all(type(v) is int for v in t2.loc["行政规范性文件"].tolist()[:3])
    assert t2.loc["行政事业性收费"].dropna().tolist() == [5949.088667]


def test_extract_prints_table_two_counts_as_integers():
    p = subprocess.run([GOVREPORTS, "extract", str(PAGE)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    block = p.stdout.split("二、主动公开政府信息情况")[1].split("三、收到和处理政府信息公开申请情况")[0]
    rows = {line.split()[0]: line.split()[1:] for line in block.strip().splitlines()[2:]}
    assert rows["行政规范性文件"][:3] == ["77", "132", "470"] and rows["行政许可"][-2] == "2629"
    assert rows["行政事业性收费"][-1] == "5949.088667"
    assert not re.search(r"\b\d+\.0\b", block)
