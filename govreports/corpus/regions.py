"""Who published a report: agency name -> GB/T 2260 division, level, publisher kind, 2020 population.

Division codes change over time (洪泽县 320829 became 洪泽区 320813 in 2016), so a name is resolved
against the codes in use in the report's year, from the code history in ``data/`` (yescallop/areacodes).
Duplicate names (朝阳区, 城关区, 鼓楼区 …) are only resolved when the agency's own prefix (北京市朝阳区)
singles one out; otherwise nothing is guessed and the candidates are returned for a warning.
Names that are not official division names (平潭综合实验区) come from ``data/division_aliases.csv``.
"""
from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from govreports.text import normalize

_LEVELS = {"省级": "province", "地级": "prefecture", "县级": "county"}
_DEPTH = {"province": 0, "prefecture": 1, "county": 2}
# What may follow the division's name when the publisher is the government itself.
_GOV_SUFFIXES = frozenset({"", "人民政府", "政府", "管委会", "管理委员会", "党工委管委会", "行政公署", "行署"})
# A remainder ending like this (but not equal to a suffix above) is a government below the division:
# 乡镇人民政府, 街道办事处, 开发区管委会.
_LOWER_GOV_ENDINGS = ("人民政府", "政府", "办事处", "管委会", "管理委员会")
_DEPT_ENDINGS = ("局", "委", "办", "厅", "室", "中心", "院", "所", "队", "处", "站", "部", "司", "会", "馆")
_TITLE_TAIL = re.compile(r"\d{4}年.*$")  # "洪泽区人民政府2023年政府信息公开工作年度报告" -> drop the title part


@dataclass(frozen=True)
class Division:
    """A resolved publisher: its division and whether it is the government itself or a department.

    ``publisher_kind`` is 'government' (人民政府, 管委会 or the division name alone), 'department'
    (局/委/办/厅 …, including 人民政府办公室) or 'lower_government' (a 乡镇/街道/开发区 body below the
    matched division). ``matched`` is the division name(s) found in the agency, e.g. '淮安市洪泽区'.
    """

    code: str
    level: str
    publisher_kind: str
    province: str | None
    prefecture: str | None
    county: str | None
    name: str
    matched: str
    population: int | None


@dataclass(frozen=True)
class Resolution:
    """Outcome of resolving one agency: the division (or None), every candidate considered, notes."""

    division: Division | None
    candidates: tuple[Division, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Rec:
    code: str
    province: str
    name: str
    level: str
    start: int
    end: int | None
    successors: tuple[str, ...]  # whole-area successors (新代码 entries without a [year] mark)


@dataclass(frozen=True)
class _Tables:
    by_name: dict[str, tuple[_Rec, ...]]
    by_code: dict[str, tuple[_Rec, ...]]
    census: dict[str, tuple[str, str, str, int]]  # code -> province, city, county, pop_total
    aliases: dict[str, str]  # normalised alias -> code
    predecessors: dict[str, tuple[str, ...]]
    max_len: int


def _read_csv(name: str) -> list[dict[str, str]]:
    blob = resources.files(__package__).joinpath("data").joinpath(name).read_bytes()
    if name.endswith(".gz"):
        blob = gzip.decompress(blob)
    return list(csv.DictReader(io.StringIO(blob.decode("utf-8-sig"))))


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    by_name: dict[str, list[_Rec]] = {}
    by_code: dict[str, list[_Rec]] = {}
    preds: dict[str, list[str]] = {}
    for r in _read_csv("admin_codes_history.csv.gz"):
        succ = tuple(c for c in r["新代码"].split(";") if c and "[" not in c)
        rec = _Rec(code=r["代码"], province=r["一级行政区"], name=r["名称"], level=_LEVELS[r["级别"]],
                   start=int(r["启用时间"]), end=int(r["变更/弃用时间"]) if r["变更/弃用时间"] else None,
                   successors=succ)
        by_name.setdefault(normalize(rec.name), []).append(rec)
        by_code.setdefault(rec.code, []).append(rec)
        if rec.end is not None:
            for s in succ:
                if s != rec.code:
                    preds.setdefault(s, []).append(rec.code)
    census = {r["adcode"]: (r["province"], r["city"], r["county"], int(r["pop_total"]))
              for r in _read_csv("census2020_county_population.csv.gz")}
    aliases = {normalize(r["alias"]): r["code"] for r in _read_csv("division_aliases.csv")}
    return _Tables(by_name={k: tuple(v) for k, v in by_name.items()},
                   by_code={k: tuple(v) for k, v in by_code.items()},
                   census=census, aliases=aliases,
                   predecessors={k: tuple(sorted(set(v))) for k, v in preds.items()},
                   max_len=max(map(len, list(by_name) + list(aliases))))


def _in_use(recs: tuple[_Rec, ...], year: int | None) -> list[_Rec]:
    """Records in use in ``year``: introduced by then and not yet changed; else those changed that very
    year (a report may still print the old name). ``year=None`` means the codes in use today."""
    if year is None:
        return [r for r in recs if r.end is None]
    strict = [r for r in recs if r.start <= year and (r.end is None or year < r.end)]
    return strict or [r for r in recs if r.start <= year and r.end == year]


def _record_at(code: str, year: int | None) -> _Rec | None:
    recs = _tables().by_code.get(code, ())
    found = _in_use(recs, year)
    return found[0] if found else None


def population(code: str) -> int | None:
    """2020 census resident population of a division code.

    A code retired before 2020 by a pure rename (one successor, which has no other predecessor, as
    洪泽县 320829 -> 洪泽区 320813) takes its successor's population; merged or split codes get None.
    """
    t = _tables()
    for _ in range(6):
        if code in t.census:
            return t.census[code][3]
        recs = [r for r in t.by_code.get(code, ()) if r.end is not None and len(r.successors) == 1]
        nxt = {r.successors[0] for r in recs} - {code}
        if len(nxt) != 1:
            return None
        succ = nxt.pop()
        if t.predecessors.get(succ, ()) != (code,):
            return None
        code = succ
    return None


def _division(rec: _Rec, year: int | None, kind: str, matched: str) -> Division:
    prov = _record_at(rec.code[:2] + "0000", year)
    prefecture = None
    if rec.level == "prefecture":
        prefecture = rec.name
    elif rec.level == "county":
        p = _record_at(rec.code[:4] + "00", year)
        prefecture = p.name if p is not None and p.level == "prefecture" else None
    return Division(code=rec.code, level=rec.level, publisher_kind=kind,
                    province=prov.name if prov is not None else rec.province, prefecture=prefecture,
                    county=rec.name if rec.level == "county" else None, name=rec.name, matched=matched,
                    population=population(rec.code))


def _census_division(code: str, kind: str, matched: str) -> Division | None:
    row = _tables().census.get(code)
    if row is None:
        return None
    prov, city, county, pop = row
    level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
    name = {"province": prov, "prefecture": city, "county": county}[level]
    return Division(code=code, level=level, publisher_kind=kind, province=prov,
                    prefecture=city if level != "province" else None,
                    county=county if level == "county" else None, name=name, matched=matched, population=pop)


def _is_child(child: _Rec, parent: _Rec) -> bool:
    if _DEPTH[child.level] <= _DEPTH[parent.level]:
        return False
    width = 2 if parent.level == "province" else 4
    return child.code[:width] == parent.code[:width]


def _names_at(s: str, pos: int, year: int | None, parent: _Rec | None) -> list[tuple[str, _Rec]]:
    """Every (name, record) that starts at ``pos``, is in use in ``year`` and fits under ``parent``."""
    t = _tables()
    out = []
    for end in range(min(len(s), pos + t.max_len), pos + 1, -1):
        name = s[pos:end]
        if name in t.aliases:
            rec = _record_at(t.aliases[name], year)
            recs = [rec] if rec is not None else []
        else:
            recs = _in_use(t.by_name.get(name, ()), year)
        out += [(name, r) for r in recs if parent is None or _is_child(r, parent)]
    return out


def _chains(s: str, pos: int, year: int | None, parent: _Rec | None) -> list[list[tuple[str, _Rec]]]:
    chains = []
    for name, rec in _names_at(s, pos, year, parent):
        tails = _chains(s, pos + len(name), year, rec)
        chains += [[(name, rec)] + tail for tail in tails] or [[(name, rec)]]
    return chains


def _stale_child(s: str, pos: int, parents: list[_Rec], year: int | None) -> str | None:
    """Why the name after ``pos`` (a child of ``parents`` in some other year) cannot be used, if it is one.

    Stops '淮安市洪泽区…' in 2015, before 洪泽区 existed, from resolving to 淮安市 with a remainder.
    """
    t = _tables()
    for end in range(min(len(s), pos + t.max_len), pos + 1, -1):
        recs = [r for r in t.by_name.get(s[pos:end], ()) if any(_is_child(r, p) for p in parents)]
        if recs:
            spans = ", ".join(f"{r.code} {r.start}–{r.end or ''}" for r in recs)
            return f"{s[pos:end]!r} in agency {s!r} is not a division in use in {year} (in use: {spans})"
    return None


def _kind(remainder: str) -> str:
    if remainder in _GOV_SUFFIXES:
        return "government"
    if remainder.endswith(_LOWER_GOV_ENDINGS):
        return "lower_government"
    return "department"


def _kind_unparsed(agency: str) -> str:
    """Publisher kind of an agency in which no division name was found (only used with a hint code)."""
    if agency.endswith(tuple(_GOV_SUFFIXES - {""})):
        return "government"
    return "department" if agency.endswith(_DEPT_ENDINGS) else "government"


def _parse(agency: str, year: int | None) -> tuple[list[Division], str | None]:
    """Divisions the agency's leading name(s) can denote (several = ambiguous), or a reason for none."""
    chains = _chains(agency, 0, year, None)
    if not chains:
        when = f"in use in {year}" if year is not None else "in use today"
        return [], f"no division name {when} found at the start of agency {agency!r}"
    longest = max(sum(len(n) for n, _ in c) for c in chains)
    best = [c for c in chains if sum(len(n) for n, _ in c) == longest]
    stale = _stale_child(agency, longest, [c[-1][1] for c in best], year)
    if stale:
        return [], stale
    found: dict[str, Division] = {}
    for chain in best:
        matched = "".join(n for n, _ in chain)
        rec = chain[-1][1]
        found.setdefault(rec.code, _division(rec, year, _kind(agency[longest:]), matched))
    return sorted(found.values(), key=lambda d: d.code), None


def resolve(agency: str | None, year: int | None, hint_code: str | None = None) -> Resolution:
    """Resolve an agency name to its division as of ``year``; an explicit ``hint_code`` wins.

    Returns the division (None when nothing or more than one division fits), all candidates and
    warnings worth recording (ambiguity, no match, hint disagreeing with the name).
    """
    s = _TITLE_TAIL.sub("", normalize(agency or ""))
    cands, reason = _parse(s, year) if s else ([], "no agency name")
    warnings = []
    if hint_code:
        code = str(hint_code).strip()
        kind = cands[0].publisher_kind if cands else _kind_unparsed(s)
        matched = cands[0].matched if cands else ""
        rec = _record_at(code, year) or max(_tables().by_code.get(code, ()), key=lambda r: r.start,
                                             default=None)
        div = _division(rec, year, kind, matched) if rec is not None else _census_division(code, kind, matched)
        if div is None:
            return Resolution(None, tuple(cands), (f"division code {code!r} given for {agency!r} is neither in "
                                                   "the GB/T 2260 history nor in the 2020 census",))
        if cands and code not in {c.code for c in cands}:
            warnings.append(f"division code {code} given for {agency!r} differs from the name's "
                            f"{'/'.join(c.code for c in cands)}; using {code}")
        return Resolution(div, (div,), tuple(warnings))
    if reason:
        return Resolution(None, (), (reason,))
    if len(cands) > 1:
        listed = "; ".join(f"{c.code} {c.province or ''}{c.prefecture or ''}{c.name}" for c in cands)
        return Resolution(None, tuple(cands), (f"agency {agency!r} matches {len(cands)} divisions in {year}: "
                                               f"{listed}; give the division code in a manifest",))
    return Resolution(cands[0], tuple(cands), ())


def resolve_agency(agency: str | None, year: int | None, hint_code: str | None = None) -> Division | None:
    """The division of ``agency`` in ``year`` (``hint_code`` wins), or None if unknown or ambiguous.

    Use :func:`resolve` to get the candidates and the reason behind a None.
    """
    return resolve(agency, year, hint_code).division
