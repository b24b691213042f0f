"""Bad input gets one clear line naming the file and the problem; other files of the call still extract."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS
from govreports import NoTablesError, ReaderError, read_report

GOVREPORTS = str(Path(sys.executable).with_name("govreports"))


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> dict[str, Path]:
    """Broken inputs made from the real reports (and a few made from nothing)."""
    from PIL import Image
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    d = tmp_path_factory.mktemp("bad")
    src = (CORPUS / "hongzequ_2024.pdf").read_bytes()
    out = {"missing": d / "does_not_exist.pdf"}
    out["truncated"] = d / "truncated.pdf"
    out["truncated"].write_bytes(src[: len(src) * 2 // 5])
    out["unsupported"] = d / "report.xls"
    out["unsupported"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    out["image"] = d / "page.png"
    Image.new("L", (20, 20), 255).save(out["image"])
    r = PdfReader(CORPUS / "hongzequ_2024.pdf")
    w = PdfWriter(clone_from=r)
    w.encrypt(user_password="secret", owner_password="owner")
    out["encrypted"] = d / "encrypted.pdf"
    w.write(out["encrypted"])
    w = PdfWriter(clone_from=r)
    w.encrypt(user_password="", owner_password="owner", permissions_flag=0)
    out["owner_only"] = d / "owner_only.pdf"
    w.write(out["owner_only"])
    out["scan_blank"] = d / "blank_scan.pdf"
    Image.new("L", (1240, 1754), 255).save(out["scan_blank"])
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out["no_tables_pdf"] = d / "narrative_only.pdf"
    c = canvas.Canvas(str(out["no_tables_pdf"]))
    c.setFont("STSong-Light", 12)
    for i in range(20):
        c.drawString(40, 800 - 20 * i, "某县人民政府2023年政府信息公开工作年度报告。行政复议、行政诉讼情况良好。")
    c.save()
    out["no_tables_txt"] = d / "narrative_only.txt"
    out["no_tables_txt"].write_text("某县2023年政府信息公开工作年度报告\n一、总体情况\n全年无申请。\n", encoding="utf-8")
    lines = (CORPUS / "helanxian_2020.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("四、政府信息公开行政复议"))
    end = next(i for i, l in enumerate(lines) if i > start and l.startswith("五、"))
    out["no_t4"] = d / "helan_without_table4.txt"
    out["no_t4"].write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")
    return out


@pytest.mark.parametrize("case, words", [
    ("missing", "no such file"),
    ("truncated", "damaged or truncated PDF"),
    ("unsupported", "not supported"),
    ("image", "no OGI tables found in the image(s)"),
    ("encrypted", "encrypted PDF"),
    ("scan_blank", "no table grid"),
    ("no_tables_pdf", "no OGI report tables"),
    ("no_tables_txt", "no OGI report tables"),
])
def test_unreadable_files_raise_one_clear_line(bad, case, words):
    with pytest.raises(ReaderError) as e:
        read_report(bad[case])
    msg = str(e.value)
    assert words in msg and str(bad[case]) in msg and "\n" not in msg


def test_no_tables_is_its_own_error_type(bad):
    with pytest.raises(NoTablesError):
        read_report(bad["no_tables_txt"])


def test_owner_password_pdf_reads_like_the_original(bad):
    rep = read_report(bad["owner_only"])
    orig = read_report(CORPUS / "hongzequ_2024.pdf")
    assert rep.values == orig.values and len(rep.values) == 186


def test_missing_table_extracts_the_others_and_warns(bad):
    rep = read_report(bad["no_t4"])
    assert not any(c.startswith("t4.") for c in rep.values)
    assert rep.values["t3.r1#c1"] == 55 and rep.values["t2.a20_5.r1#decisions"] == 57487
    assert any(w.startswith("missing_table: table 四") for w in rep.warnings)


def test_cli_reports_each_bad_file_and_still_extracts_the_good_ones(bad):
    files = [str(bad["truncated"]), str(CORPUS / "hongzequ_2024.pdf"), str(bad["missing"]), str(bad["no_tables_txt"])]
    p = subprocess.run([GOVREPORTS, "extract", *files, "--format", "jsonl"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 1
    records = [json.loads(l) for l in p.stdout.splitlines()]
    assert [r["source"]["path"] for r in records] == [str(CORPUS / "hongzequ_2024.pdf")]
    err = p.stderr.strip().splitlines()
    assert len(err) == 3 and "Traceback" not in p.stderr
    assert all(line.startswith("govreports: ") for line in err)
    assert str(bad["truncated"]) in err[0] and str(bad["missing"]) in err[1] and str(bad["no_tables_txt"]) in err[2]


def test_cli_csv_and_table_formats():
    p = subprocess.run([GOVREPORTS, "extract", str(CORPUS / "hongzequ_2023.pdf"), "--format", "csv"],
                       capture_output=True, text=True, timeout=300)
    lines = p.stdout.splitlines()
    assert p.returncode == 0 and lines[0] == "file,agency,year,cell,table,row,col,label,value,raw,status,page,part"
    assert len(lines) == 1 + 186
    assert any(",t4.b1#c5,t4,t4.b1,c5,行政复议 / 总计,0,0,ok,4" in l for l in lines)
    p = subprocess.run([GOVREPORTS, "extract", str(CORPUS / "hongzequ_2023.pdf")], capture_output=True, text=True, timeout=300)
    assert "FAIL T4_BLOCK_TOTAL[b1]: 行政复议 总计 0 ≠ 10 + 1 + 0 + 0" in p.stdout
    assert "三、收到和处理政府信息公开申请情况" in p.stdout and p.stderr == ""
