from govreports.schema import load_schema
from govreports.text import best_match, normalize, strip_enumerator


def test_normalize_whitespace_enumerators_quotes():
    assert normalize("三 、本 年 度办 理 结果") == "三、本年度办理结果"
    assert normalize("(一) 予以公开") == normalize("（一）予以公开") == "（一）予以公开"
    assert normalize("1、属于国家秘密") == normalize("1．属于国家秘密") == "1.属于国家秘密"
    assert normalize('3.危及"三安全一稳定"') == normalize("3.危及“三安全一稳定”") == "3.危及三安全一稳定"


def test_kangxi_radicals_fold_to_ordinary_characters():
    # PDFs from some producers emit Kangxi radicals (U+2F00 block) for 二 行 人
    assert normalize("⼆、上年结转政府信息公开申请数量") == "二、上年结转政府信息公开申请数量"
    assert normalize("⾃然⼈") == "自然人"
    assert normalize("⾏政复议") == "行政复议"


def test_traditional_script_is_simplified():
    assert normalize("總計") == "总计"
    assert normalize("規範性文件") == "规范性文件"


def test_misprint_matches_its_row():
    rows = {r.code: r.labels for r in load_schema().t3_rows}
    code, score = best_match("2.其他法律行政止公开", rows)
    assert code == "t3.r3.3.2"
    # a misprint nobody listed still matches fuzzily, below an exact score
    code, score = best_match("2.其它法律行政法规禁止公开", rows)
    assert code == "t3.r3.3.2" and 80 <= score < 99
    code, score = best_match("4.无正当理由大量反复 申请", rows)
    assert code == "t3.r3.5.4" and score == 100.0
    code, score = best_match("4、无正当理由大量反复申请", rows)     # another enumerator style of the same kind
    assert code == "t3.r3.5.4" and score == 100.0
    code, score = best_match("(四)无正当理由大量反复申请", rows)   # a misprinted enumerator: fuzzy, below exact
    assert code == "t3.r3.5.4" and score < 99
    assert best_match("（六）其他", rows)[0] == "t3.r3.6"            # the group, never sub-row 3.其他


def test_unrelated_text_does_not_match():
    rows = {r.code: r.labels for r in load_schema().t3_rows}
    assert best_match("12345热线受理诉求", rows)[0] is None
    assert strip_enumerator("（三）不予公开") == "不予公开"


def test_column_aliases():
    cols = {c.code: c.labels for c in load_schema().t3_columns.values()}
    assert best_match("社会组织", cols)[0] == "c4"
    assert best_match("社会\n公益\n组织", cols)[0] == "c4"
    assert best_match("合计", cols)[0] == "c7"


def test_label_cut_short_matches_by_unique_prefix():
    rows = {r.code: r.labels for r in load_schema().t3_rows}
    code, score = best_match("1．申请人无正当理由逾期", rows)   # its end wrapped onto the next page
    assert code == "t3.r3.6.1"
    assert best_match("1.属于", rows)[0] is None                   # too short to be sure
