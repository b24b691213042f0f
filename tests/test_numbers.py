from govreports.numbers import looks_numeric, parse_number


def test_plain_counts_and_separators():
    assert parse_number("57487").value == 57487
    assert parse_number("1,234").value == 1234
    assert parse_number("1，234").value == 1234
    assert parse_number("１２３").value == 123          # full-width digits
    assert parse_number(" 95 ").status == "ok"


def test_blank_dash_slash_are_null_with_status_never_zero():
    for raw, status in [("", "blank"), ("\xa0", "blank"), ("无", "blank"), ("-", "dash"), ("—", "dash"),
                        ("/", "slash"), ("／", "slash")]:
        p = parse_number(raw)
        assert p.value is None and p.status == status, raw


def test_signed_item_changes():
    assert parse_number("减少 4", "signed").value == -4
    assert parse_number("增加 68", "signed").value == 68
    assert parse_number("+8", "signed").value == 8
    assert parse_number("-8", "signed").value == -8
    assert parse_number("8", "signed").value == 8


def test_money_in_wan_yuan_and_yuan():
    assert parse_number("7730.28", "money").value == 7730.28
    p = parse_number("16280.5867 万元", "money")
    assert p.value == 16280.5867 and p.unit == "万元"
    p = parse_number("3.2万", "money")
    assert (p.value, p.status, p.unit) == (3.2, "ok", "万元")
    p = parse_number("75394432.52元", "money")
    assert abs(p.value - 7539.443252) < 1e-9 and p.unit == "元"


def test_text_and_never_corrected():
    assert parse_number("约10").status == "text"
    assert parse_number("-3").status == "text"          # a count cannot be negative: kept as text, not fixed
    assert parse_number("3.5").status == "text"         # decimals only in money columns
    assert not looks_numeric("1.属于国家秘密")
    assert looks_numeric("0") and looks_numeric("减少 4") and looks_numeric("—")


def test_misplaced_thousands_separator_is_not_a_number():
    # '1,07' is what is left of '1,078' when a wrapped last digit is lost: never read it as 107
    p = parse_number("1,07")
    assert p.value is None and p.status == "text"
    assert parse_number("1,078").value == 1078 and parse_number("12,345,678").value == 12345678
