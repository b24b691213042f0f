"""Synthetic pre-2019 reports: narrative plus a statistics table of each shape, rendered as a web page,
plain text, .docx or PDF, with the truth (every printed figure under its pre.* code) to read them back.

    python -m govreports.synth.pre2019 --seeds 0:50 --kind html
"""
from __future__ import annotations

import argparse
import html
import random
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from govreports.pre2019.spec import load_pre_spec
from govreports.synth.narrative import draw_agency

SHAPES = ("three_column", "four_column", "form_2015", "form_22_rows", "narrative_only")
KINDS = ("html", "text", "docx", "pdf")
# Rows each table shape prints, in order: pre2019.yaml's ``prints`` (labels are drawn from its variants).
SHAPE_ROWS: dict[str, tuple[str, ...]] = {"narrative_only": (), **{
    name: tuple(shape.get("prints", ())) for name, shape in load_pre_spec().shapes.items()}}
# Labels the older 22-row form prints (the others come from pre2019.yaml).
FORM_22_LABELS = {"pre.requests_received": "正式受理申请数", "pre.granted": "同意提供", "pre.partly_granted": "同意部分提供",
                  "pre.refused_total": "拒绝提供", "pre.not_held": "非本机关政府信息"}
_UNIT = {"pre.fees": "元"}


@dataclass
class PreSynth:
    """One synthetic pre-2019 report: what is printed, and the truth a reader must give back."""

    seed: int
    year: int
    agency: str
    shape: str
    paragraphs: list[str]
    header: list[str]
    rows: list[list[str]]
    truth: dict[str, float | int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年度政府信息公开工作年度报告"


def _split(rng: random.Random, n: int, k: int) -> list[int]:
    cuts = sorted(rng.randint(0, n) for _ in range(k - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, n])]


def _values(rng: random.Random, shape: str) -> dict[str, int]:
    spec_rows = SHAPE_ROWS[shape] or SHAPE_ROWS["three_column"]
    v: dict[str, int] = {"pre.proactive_items": rng.randint(3, 900)}
    v["pre.proactive.website"] = rng.randint(0, v["pre.proactive_items"])
    v["pre.proactive.gazette"] = rng.randint(0, 5)
    req = rng.choice((0, 0, rng.randint(1, 40)))
    channels = [c for c in spec_rows if c.startswith("pre.requests.")]
    v.update(zip(channels, _split(rng, req, len(channels))))
    v["pre.requests_received"] = req
    kinds = [c for c in spec_rows if c in ("pre.granted", "pre.partly_granted", "pre.refused_total", "pre.other_replies",
                                           "pre.not_held", "pre.not_exist", "pre.unclear", "pre.other_channel")]
    v.update(zip(kinds, _split(rng, req, len(kinds))))
    v["pre.replies_total"] = req
    reasons = [c for c in spec_rows if c.startswith("pre.refused.")]
    if reasons:
        v.update(zip(reasons, _split(rng, v["pre.refused_total"], len(reasons))))
    for c in ("pre.reconsideration", "pre.litigation", "pre.complaints", "pre.appeals"):
        v[c] = rng.choice((0, 0, 0, rng.randint(1, 3)))
    v["pre.fees"] = rng.choice((0, 0, rng.randint(1, 30) * 100))  # printed in 元
    for parent in ("pre.reconsideration", "pre.litigation", "pre.complaints"):
        v.update(zip((f"{parent}.upheld", f"{parent}.corrected", f"{parent}.other"), _split(rng, v[parent], 3)))
    v["pre.staff_full_time"], v["pre.staff_part_time"] = rng.randint(0, 3), rng.randint(0, 6)
    v["pre.staff"] = v["pre.staff_full_time"] + v["pre.staff_part_time"]
    for c in ("pre.proactive.weibo", "pre.proactive.wechat", "pre.proactive.other_channel", "pre.responses",
              "pre.press_conferences", "pre.interpretations", "pre.meetings", "pre.trainings", "pre.trainees"):
        v[c] = rng.randint(0, 60)
    v["pre.proactive_fulltext"] = rng.randint(0, v["pre.proactive_items"])
    v["pre.consultations"] = rng.randint(0, 500)
    return v


def _label(rng: random.Random, code: str) -> str:
    spec = load_pre_spec()
    parent, _, child = code.rpartition(".")
    if parent in spec.child_parents:   # a row printed under its total
        return rng.choice(spec.child_labels()[child][:1])
    return rng.choice(spec.codes[code].labels[:2])


def draw_pre_report(seed: int, shape: str | None = None) -> PreSynth:
    """Draw a report: year 2009–2018, a fictional agency, a table shape, figures and the sentences quoting them."""
    rng = random.Random(f"pre2019:{seed}")
    shape = shape or SHAPES[seed % len(SHAPES)]
    year = rng.randint(2009, 2018)
    agency = draw_agency(rng)
    v = _values(rng, shape)
    truth: dict[str, float | int] = {}
    paras = ["根据《中华人民共和国政府信息公开条例》要求，编制本报告。"
             f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
             "一、概述", "我单位认真贯彻落实《条例》，完善工作机制，拓展公开渠道。",
             "二、主动公开政府信息情况", f"{year}年主动公开政府信息{v['pre.proactive_items']}条。",
             "三、政府信息依申请公开情况"]
    truth["pre.proactive_items"] = v["pre.proactive_items"]
    if v["pre.requests_received"]:
        paras.append(f"共收到依申请公开信息{v['pre.requests_received']}件。")
    else:
        paras.append(f"{year}年未收到有关政府信息公开的申请。")
    truth["pre.requests_received"] = v["pre.requests_received"]
    paras += ["四、收费及减免情况", "无收费及减免情况。" if not v["pre.fees"] else "依申请提供信息收取检索复制费用。",
              "五、因政府信息公开申请行政复议、提起行政诉讼的情况"]
    if not v["pre.fees"]:
        truth["pre.fees"] = 0
    if v["pre.reconsideration"] == v["pre.litigation"] == 0:
        paras.append(f"{year}年未收到有关政府信息公开的行政复议、行政诉讼。")
        truth["pre.reconsideration"] = truth["pre.litigation"] = 0
    paras += ["六、存在的主要问题和改进措施", "公开内容有待进一步深化，我们将加强培训。"]
    header: list[str] = []
    rows: list[list[str]] = []
    if shape != "narrative_only":
        paras.append("七、政府信息公开情况统计表")
        cumulative = shape == "four_column"
        header = ["指标名称", "计量单位", f"{year}年度" if cumulative else rng.choice(("统计数", "年末统计"))]
        header += ["历年累计"] if cumulative else []
        for code in SHAPE_ROWS[shape]:
            unit = _UNIT.get(code, "件" if code in ("pre.reconsideration", "pre.litigation") else "条")
            label = FORM_22_LABELS.get(code) if shape == "form_22_rows" else None
            row = [label or _label(rng, code), "人次" if code == "pre.consultations" else unit, str(v[code])]
            truth[code] = round(v[code] / 10000, 6) if code == "pre.fees" else v[code]
            if cumulative:
                total = v[code] + rng.randint(0, 200)
                row.append(str(total))
                truth[code + "#cumulative"] = round(total / 10000, 6) if code == "pre.fees" else total
            rows.append(row)
    return PreSynth(seed=seed, year=year, agency=agency, shape=shape, paragraphs=paras, header=header, rows=rows,
                    truth=truth)


def render_pre(report: PreSynth, kind: str, path: str | Path) -> Path:
    """Write ``report`` as ``kind`` (html, text, docx, pdf) at ``path``."""
    path = Path(path)
    grid = [report.header, *report.rows] if report.rows else []
    if kind == "html":
        cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in grid)
        table = f'<table border="1">{cells}</table>' if grid else ""
        body = "".join(f"<p>{html.escape(p)}</p>" for p in report.paragraphs)
        path.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(report.title)}</title>'
                        f'</head><body><div class="article"><h1>{html.escape(report.title)}</h1>{body}{table}'
                        "</div></body></html>\n", encoding="utf-8")
    elif kind == "text":
        lines = [report.title, *report.paragraphs, *("  ".join(r) for r in grid)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif kind == "docx":
        _docx(report, grid, path)
    elif kind == "pdf":
        _pdf(report, grid, path)
    else:
        raise ValueError(f"unknown kind {kind!r}; use one of {KINDS}")
    return path


def _docx(report: PreSynth, grid: list[list[str]], path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.core_properties.title = report.title
    doc.add_paragraph(report.title)
    for p in report.paragraphs:
        doc.add_paragraph(p)
    if grid:
        table = doc.add_table(rows=len(grid), cols=len(grid[0]))
        table.style = "Table Grid"
        for i, row in enumerate(grid):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
    doc.save(str(path))


def _pdf(report: PreSynth, grid: list[list[str]], path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from govreports.synth.pdf import CID_FONT, _font, _ttf_path

    font = _font("SimHei" if _ttf_path() else CID_FONT)   # SimHei embedded (the page renders, for scans)
    c = Canvas(str(path), pagesize=A4)
    c.setTitle(report.title)
    width, height = A4
    y = height - 60
    per_line = 38

    def line(text: str, size: float = 10.5) -> None:
        nonlocal y
        if y < 60:
            c.showPage()
            y = height - 60
        c.setFont(font, size)
        c.drawString(50, y, text)
        y -= size * 1.8

    line(report.title, 14)
    for p in report.paragraphs:
        for k in range(0, len(p), per_line):
            line(p[k:k + per_line])
    if grid:
        widths = [220, 70, 90, 90][:len(grid[0])]
        row_h = 20
        xs = [50]
        for w in widths:
            xs.append(xs[-1] + w)
        y -= 6
        for row in grid:   # ruled row by row; a long table continues on the next page
            if y - row_h < 50:
                c.showPage()
                y = height - 60
            c.setFont(font, 9)
            for j, text in enumerate(row):
                c.drawString(xs[j] + 4, y - 14, text)
            c.line(xs[0], y, xs[-1], y)
            c.line(xs[0], y - row_h, xs[-1], y - row_h)
            for x in xs:
                c.line(x, y, x, y - row_h)
            y -= row_h
    c.save()


def pre_round_trip(seed: int, kind: str, workdir: str | Path) -> list[str]:
    """Render one synthetic report, read it back, and list every difference from the truth (none is a pass)."""
    from govreports import read_report

    rep = draw_pre_report(seed)
    path = render_pre(rep, kind, Path(workdir) / f"pre2019_{seed}.{ {'text': 'txt'}.get(kind, kind) }")
    got = read_report(path)
    cells = {c["cell"]: c for c in got.cell_list}
    out = [f"{code}: printed {want}, got {cells[code]['value'] if code in cells else 'nothing'}"
           for code, want in rep.truth.items()
           if code not in cells or cells[code]["value"] is None or abs(cells[code]["value"] - want) > 1e-6]
    out += [f"{code}: invented {c['value']} ({c['raw']})" for code, c in cells.items() if code not in rep.truth]
    shape = None if rep.shape == "narrative_only" else rep.shape
    if got.year != rep.year or got.layout.get("format") != "pre2019" or got.layout.get("table") != shape:
        out.append(f"record: year {got.year} layout {got.layout} (want {rep.year}, pre2019, {shape})")
    return out


def main(argv: list[str] | None = None) -> int:
    """Round-trip a range of seeds in one input kind; print the failures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0:20", help="start:stop")
    ap.add_argument("--kind", default="html", choices=KINDS)
    args = ap.parse_args(argv)
    start, stop = map(int, args.seeds.split(":"))
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(start, stop):
            diffs = pre_round_trip(seed, args.kind, tmp)
            bad += bool(diffs)
            for d in diffs:
                print(f"seed {seed} ({args.kind}): {d}")
    print(f"{stop - start - bad}/{stop - start} round trips exact")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
