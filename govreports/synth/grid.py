"""Lay a report's tables out as grids of merged cells, the way real reports print them.

A grid is renderer-neutral (PDF, HTML and DOCX renderers draw the same grids). What varies from
report to report lives in ``Style``: label variants and misprints taken from ``ogi.yaml`` (any listed
label of a row or column is a valid variant), enumerator and quote styles, stray spaces, header
text stacked over lines, table 二's blocks in one table or several, and table 四's two header forms.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from govreports.schema import load_schema
from govreports.synth.values import SynthReport

CORNER_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T4_LEAVES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_STACKS = {"商业企业": "商业\n企业", "科研机构": "科研\n机构", "社会公益组织": "社会\n公益\n组织",
           "法律服务机构": "法律\n服务\n机构", "结果维持": "结果\n维持", "结果纠正": "结果\n纠正",
           "其他结果": "其他\n结果", "尚未审结": "尚未\n审结", "总计": "总\n计", "本年新制作数量": "本年新\n制作数量"}


@dataclass
class GCell:
    """One printed cell: text ('\\n' = forced line break), position, span, role and cell code."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    role: str = "value"          # caption | header | label | group | value
    code: str | None = None


@dataclass
class Grid:
    """One printed table. ``header_rows`` are the rows a renderer may repeat after a page break;
    ``widths`` are relative column widths."""

    name: str
    nrows: int
    ncols: int
    cells: list[GCell]
    header_rows: int
    widths: list[float]

    def at(self, row: int, col: int) -> GCell | None:
        """The cell that starts at (row, col), if any."""
        return next((c for c in self.cells if c.row == row and c.col == col), None)


@dataclass
class Style:
    """How one report prints its tables (drawn once per report from its seed)."""

    label_pick: float                # probability of a non-official listed label variant
    num_enum: str                    # '1.' | '1、' | '1．'
    cn_paren: tuple[str, str]        # （ ） or ( )
    quotes: tuple[str, str]          # around 三安全一稳定
    six_sep: str                     # '、' or '，' in the （六） sub-row labels
    stray_spaces: float              # probability a label gets spaces inside it
    stack_headers: bool              # '社会\\n公益\\n组织' instead of letting the renderer wrap
    corner_note: bool
    applicant_row: bool              # the 申请人情况 header row above the columns
    t2_tables: list[list[str]]       # table 二's blocks grouped into printed tables
    t2_caption_spaced: bool          # 第二十条 第(一)项
    t4_form: str                     # 'review_spans' | 'leaves_span'
    rng: random.Random = field(repr=False, default_factory=random.Random)

    @classmethod
    def draw(cls, rng: random.Random, blocks: list[str]) -> "Style":
        """Draw a style; ``blocks`` are table 二's block codes in print order."""
        cut = sorted(rng.sample(range(1, len(blocks)), rng.randint(0, len(blocks) - 1)))
        mode = rng.choice(("one", "one", "each", "cut"))
        if mode == "one":
            groups = [blocks]
        elif mode == "each":
            groups = [[b] for b in blocks]
        else:
            edges = [0, *cut, len(blocks)]
            groups = [blocks[a:b] for a, b in zip(edges, edges[1:])]
        return cls(label_pick=rng.choice((0.0, 0.2, 0.5)), num_enum=rng.choice(("1.", "1.", "1、", "1．")),
                   cn_paren=rng.choice((("（", "）"), ("（", "）"), ("(", ")"))),
                   quotes=rng.choice((("“", "”"), ("“", "”"), ('"', '"'), ("", ""), ("「", "」"))),
                   six_sep=rng.choice(("、", "、", "，")), stray_spaces=rng.choice((0.0, 0.0, 0.3)),
                   stack_headers=rng.random() < 0.5, corner_note=rng.random() < 0.8,
                   applicant_row=rng.random() < 0.85, t2_tables=groups, t2_caption_spaced=rng.random() < 0.2,
                   t4_form=rng.choice(("review_spans", "leaves_span")), rng=rng)

    def label(self, labels: tuple[str, ...] | list[str]) -> str:
        """Pick one listed label (the official one most of the time) and print it in this style."""
        text = labels[0]
        if len(labels) > 1 and self.rng.random() < self.label_pick:
            text = self.rng.choice(labels[1:])
        return self.spell(text)

    def spell(self, text: str) -> str:
        """Apply the report's enumerator, bracket and quote habits and its stray spaces."""
        text = re.sub(r"^(\d{1,2})\.", lambda m: m.group(1) + self.num_enum[1:], text)
        text = text.replace("（", self.cn_paren[0]).replace("）", self.cn_paren[1])
        text = text.replace("“", self.quotes[0]).replace("”", self.quotes[1])
        text = text.replace("、行政机关", self.six_sep + "行政机关")
        if self.stray_spaces and self.rng.random() < self.stray_spaces and len(text) > 3:
            i = self.rng.randrange(1, len(text) - 1)
            text = text[:i] + " " + text[i:]
        return text

    def header(self, text: str) -> str:
        return _STACKS.get(text, text) if self.stack_headers else text


class _Builder:
    def __init__(self, name: str, ncols: int):
        self.name, self.ncols, self.cells, self.row = name, ncols, [], 0

    def add(self, text: str, col: int, role: str, code: str | None = None, rowspan: int = 1,
            colspan: int = 1, row: int | None = None) -> None:
        self.cells.append(GCell(text, self.row if row is None else row, col, rowspan, colspan, role, code))

    def grid(self, header_rows: int, widths: list[float]) -> Grid:
        return Grid(self.name, self.row, self.ncols, self.cells, header_rows, widths)


def t2_grids(report: SynthReport, style: Style) -> list[Grid]:
    """Table 二 as one or several grids of 4 columns: 信息内容 + up to three value columns."""
    schema = load_schema()
    t2 = schema.tables["t2"]
    layout = t2["cells"][report.t2_version]
    grids = []
    for group in style.t2_tables:
        b = _Builder("t2", 4)
        for block in group:
            caption = t2["blocks"][block]["caption"][0]
            if style.t2_caption_spaced:
                caption = caption.replace("条第", "条 第").replace("（", "(").replace("）", ")")
            b.add(caption, 0, "caption", colspan=4)
            b.row += 1
            rows = [r for r in layout if r.startswith(block + ".")]
            cols = layout[rows[0]]
            spans = [1] * (len(cols) - 1) + [4 - len(cols)]
            b.add(style.label([t2["header_label"]]), 0, "header")
            for j, (col, span) in enumerate(zip(cols, spans)):
                b.add(style.header(style.label(schema.t2_columns[col].labels)), 1 + sum(spans[:j]), "header",
                      colspan=span)
            b.row += 1
            for row in rows:
                b.add(style.label(schema.t2_rows[row].labels), 0, "label")
                for j, (col, span) in enumerate(zip(cols, spans)):
                    code = f"t2.{row}#{col}"
                    b.add(report.raw[code], 1 + sum(spans[:j]), "value", code, colspan=span)
                b.row += 1
        grids.append(b.grid(header_rows=2 if len(group) == 1 else 0, widths=[2.2, 1, 1, 1]))
    return grids


def t3_grid(report: SynthReport, style: Style) -> Grid:
    """Table 三: 3 label columns (三、… group, （三）… groups, row labels) + 7 applicant columns."""
    schema = load_schema()
    b = _Builder("t3", 10)
    head = 3 if style.applicant_row else 2
    b.add(CORNER_NOTE if style.corner_note else "", 0, "header", rowspan=head, colspan=3)
    if style.applicant_row:
        b.add("申请人情况", 3, "header", colspan=7)
        b.row += 1
    cols = schema.t3_columns
    b.add(style.header(style.label(cols["c1"].labels)), 3, "header", rowspan=2)
    b.add("法人或其他组织", 4, "header", colspan=5)
    b.add(style.header(style.label(cols["c7"].labels)), 9, "header", rowspan=2)
    b.row += 1
    for j, c in enumerate(("c2", "c3", "c4", "c5", "c6")):
        b.add(style.header(style.label(cols[c].labels)), 4 + j, "header")
    b.row += 1
    rows = [r for r in schema.t3_rows if r.layout in (None, report.t3_layout)]
    group_rows = {g: [i for i, r in enumerate(rows) if r.parent == g] for g in ("t3.r3.3", "t3.r3.4", "t3.r3.5", "t3.r3.6")}
    in_results = [i for i, r in enumerate(rows) if r.parent is not None]
    top = b.row
    b.add(style.spell(schema.t3_groups["t3.r3"]["labels"][0]), 0, "group", row=top + in_results[0],
          rowspan=len(in_results))
    for g, idx in group_rows.items():
        if idx:
            b.add(style.spell(schema.t3_groups[g]["labels"][0]), 1, "group", row=top + idx[0], rowspan=len(idx))
    for i, r in enumerate(rows):
        b.row = top + i
        if r.parent is None:
            b.add(style.label(r.labels), 0, "label", colspan=3)
        elif r.parent == "t3.r3":
            b.add(style.label(r.labels), 1, "label", colspan=2)
        else:
            b.add(style.label(r.labels), 2, "label")
        for j in range(7):
            code = f"{r.code}#c{j + 1}"
            b.add(report.raw[code], 3 + j, "value", code)
    b.row = top + len(rows)
    return b.grid(header_rows=head, widths=[0.55, 1.3, 3.6] + [1.0] * 7)


def t4_grid(report: SynthReport, style: Style) -> Grid:
    """Table 四: two or three header rows over 15 leaf columns and one data row."""
    b = _Builder("t4", 15)
    leaves = [style.header(t) for t in T4_LEAVES]
    if style.t4_form == "review_spans":
        b.add("行政复议", 0, "header", rowspan=2, colspan=5)
        b.add("行政诉讼", 5, "header", colspan=10)
        b.row += 1
        b.add("未经复议直接起诉", 5, "header", colspan=5)
        b.add("复议后起诉", 10, "header", colspan=5)
        b.row += 1
        for j in range(15):
            b.add(leaves[j % 5], j, "header")
    else:
        b.add("行政复议", 0, "header", colspan=5)
        b.add("行政诉讼", 5, "header", colspan=10)
        b.row += 1
        for j in range(5):
            b.add(leaves[j], j, "header", rowspan=2)
        b.add("未经复议直接起诉", 5, "header", colspan=5)
        b.add("复议后起诉", 10, "header", colspan=5)
        b.row += 1
        for j in range(5, 15):
            b.add(leaves[j % 5], j, "header")
    b.row += 1
    for j in range(15):
        code = f"t4.b{j // 5 + 1}#c{j % 5 + 1}"
        b.add(report.raw[code], j, "value", code)
    b.row += 1
    return b.grid(header_rows=3, widths=[1.0] * 15)


def report_grids(report: SynthReport, style: Style) -> dict[str, list[Grid]]:
    """All of a report's tables: {'t2': [grids…], 't3': [grid], 't4': [grid]}."""
    return {"t2": t2_grids(report, style), "t3": [t3_grid(report, style)], "t4": [t4_grid(report, style)]}


def draw_style(report: SynthReport, salt: str = "") -> Style:
    """The report's table style, drawn from its seed (``salt`` gives a renderer its own variation)."""
    blocks = list(dict.fromkeys(r.split(".")[0] for r in load_schema().tables["t2"]["cells"][report.t2_version]))
    return Style.draw(random.Random(f"{report.seed}:style:{salt}"), blocks)
