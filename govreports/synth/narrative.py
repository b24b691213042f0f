"""The words around the tables: a made-up agency, the title lines and paragraphs that state some
of the table figures the way real reports do (本年新收申请N件, 上年结转N件, 行政复议N件 …)."""
from __future__ import annotations

import random
from typing import Mapping

_PLACE_CHARS = "青河安平东西南北宁山江阳城丰泉林云海华兴昌德龙石清新永长桂湖明信武盛源嘉和顺泰康"
_LEVELS = ("县", "区", "市", "县", "区")
_DEPARTMENTS = ("交通运输局", "自然资源局", "生态环境局", "教育局", "市场监督管理局", "住房和城乡建设局",
                "人民政府办公室", "卫生健康委员会", "公安局", "农业农村局", "财政局", "民政局")
_FILLER = (
    "坚持以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开。",
    "围绕重点领域信息公开要求，及时发布财政预决算、重大建设项目、公共资源配置等信息。",
    "进一步规范依申请公开办理流程，严格按照法定时限答复，确保答复内容准确、程序规范。",
    "加强政府网站和政务新媒体日常监管，按季度开展检查，对发现的问题及时督促整改。",
    "严格落实信息发布保密审查制度，坚持“先审查、后公开”和“一事一审”原则。",
    "将政务公开工作纳入年度绩效考核，组织开展业务培训，提升工作人员业务能力。",
    "完善政府信息公开平台建设，优化栏目设置，提高信息检索和浏览的便利性。",
    "做好政策解读和回应关切工作，通过图文、视频等多种形式解读重要政策文件。",
    "主动接受社会监督，畅通意见建议反馈渠道，及时回应群众关切。",
    "对照上级要求，仍存在公开内容不够全面、解读形式较为单一、队伍专业化水平有待提高等问题。",
)


def draw_agency(rng: random.Random) -> str:
    """A plausible, fictional publishing agency: XX县人民政府, XX区交通运输局 …"""
    place = "".join(rng.sample(_PLACE_CHARS, 2)) + rng.choice(_LEVELS)
    return place + ("人民政府" if rng.random() < 0.6 else rng.choice(_DEPARTMENTS))


def _title(rng: random.Random, agency: str, year: int) -> list[tuple[str, str]]:
    style = rng.choice(("spaced", "tight", "two_lines", "mixed"))
    if style == "two_lines":
        return [("title", agency), ("title", f"{year}年政府信息公开工作年度报告")]
    if style == "spaced":
        return [("title", f"{agency} {year} 年政府信息公开工作年度报告")]
    if style == "mixed":
        return [("title", f"{agency}{year} 年政府信息公开工作年度报告")]
    return [("title", f"{agency}{year}年政府信息公开工作年度报告")]


def _n(cells: Mapping[str, float | int | None], *codes: str) -> int:
    return int(sum(cells.get(c) or 0 for c in codes))


def draw_body(rng: random.Random, agency: str, year: int,
              cells: Mapping[str, float | int | None]) -> list[tuple[str, str]]:
    """The document in reading order: title, headings, paragraphs and ('table', name) placeholders.

    The figures quoted in the text are the printed ones (blank counts as 0), as a careful author
    would copy them from the tables; the amount of filler text varies so page breaks move around.
    """
    def filler(lo: int, hi: int) -> list[tuple[str, str]]:
        return [("para", "".join(rng.sample(_FILLER, rng.randint(2, 5)))) for _ in range(rng.randint(lo, hi))]

    made = ("issued" if "t2.a20_1.r1#issued" in cells else "new_made")
    docs = (f"全年制发规章{_n(cells, f't2.a20_1.r1#{made}')}件、"
            f"行政规范性文件{_n(cells, f't2.a20_1.r2#{made}')}件。")
    applications = (f"{year}年，本机关共收到政府信息公开申请{_n(cells, 't3.r1#c7')}件，"
                    f"上年结转{_n(cells, 't3.r2#c7')}件，办结{_n(cells, 't3.r3.7#c7')}件，"
                    f"结转下年度继续办理{_n(cells, 't3.r4#c7')}件。")
    review = (f"全年发生政府信息公开行政复议{_n(cells, 't4.b1#c5')}件，"
              f"行政诉讼{_n(cells, 't4.b2#c5', 't4.b3#c5')}件。")
    t4_heading = rng.choice(("四、政府信息公开行政复议、行政诉讼情况",
                             "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"))
    body = _title(rng, agency, year)
    body += [
        ("para", f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
                 f"要求编制。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"),
        ("heading", "一、总体情况"),
        ("para", "（一）主动公开情况。" + docs + rng.choice(_FILLER)),
        ("para", "（二）依申请公开情况。" + applications + review),
        *filler(0, 6),
        ("heading", "二、主动公开政府信息情况"), ("table", "t2"),
        ("heading", "三、收到和处理政府信息公开申请情况"), ("table", "t3"),
        ("heading", t4_heading), ("table", "t4"),
        ("heading", rng.choice(("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况"))),
        *filler(1, 3),
        ("heading", "六、其他需要报告的事项"),
        ("para", f"本年度收取政府信息公开信息处理费{rng.choice((0, 0, 0, rng.randint(1, 500)))}元。"),
    ]
    return body
