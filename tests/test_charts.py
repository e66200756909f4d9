"""parole's SVG charts (site_builder/results/charts.py): goldens, and what every chart
promises whatever its data: well-formed, hidden from screen readers (its table speaks), no
script, id, reference or colour of its own, every label escaped and whole, bars proportional,
protected days left out of the line. tests/test_charts_browser.py shows the goldens in Chromium.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from site_builder.results.charts import (
    LABEL_BUDGET,
    WIDTH,
    Bar,
    DayValue,
    bar_chart,
    day_chart,
    short_date,
    wrap,
)
from tests.chart_support import AR, CASES, EN, FIVE, FR, Case, forty, with_gaps
from tests.support import assert_golden

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & <a href="http://evil.example">ici</a> ]]> &amp;'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def tag(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in parse(svg).iter(f"{SVG}text")]


def figures(svg: str) -> list[ET.Element]:
    """The bar chart's texts after the bars (in bold, after every label and bar)."""
    (group,) = [group for group in parse(svg).iter(f"{SVG}g")
                if group.attrib == {"font-weight": "bold"}]
    return list(group)


def rects(svg: str) -> list[ET.Element]:
    return list(parse(svg).iter(f"{SVG}rect"))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_chart_matches_its_golden(case: Case, request: pytest.FixtureRequest) -> None:
    assert_golden(f"charts/{case.name}.svg", case.draw() + "\n", request)


def every_chart() -> list[str]:
    hostile_bars = [Bar(HOSTILE, 3, HOSTILE), Bar(HOSTILE, None, HOSTILE)]
    hostile_days = [DayValue(date(2027, 1, 1), 2)]
    return [case.draw() for case in CASES] + [bar_chart(hostile_bars),
                                              day_chart(hostile_days, catalogue=FR)]


@pytest.mark.parametrize("svg", every_chart())
def test_every_chart_is_hidden_light_and_self_contained(svg: str) -> None:
    root = parse(svg)  # well-formed XML, or this raises
    assert tag(root) == "svg"
    assert root.attrib["class"] == "p-chart"
    assert (root.attrib["aria-hidden"], root.attrib["focusable"]) == ("true", "false")
    assert re.fullmatch(rf"0 0 {WIDTH} \d+(\.\d)?", root.attrib["viewBox"])
    assert not {"width", "height", "style"} & root.attrib.keys(), "CSS sizes a chart"
    elements = list(root.iter())
    values = [value for element in elements for value in element.attrib.values()]
    assert not [value for value in values if "url(" in value or "//" in value]  # no fetch
    assert {tag(element) for element in elements} <= {"svg", "text", "rect", "path", "circle",
                                                      "g"}
    for element in elements:
        forbidden = {"id", "style"} | ({"class"} if element is not root else set())
        assert not forbidden & element.attrib.keys(), "an id would collide on a page of charts"
        assert not any(key.endswith("}href") or key.startswith("on") for key in element.attrib)
        for key in ("fill", "stroke"):
            assert element.attrib.get(key, "currentColor") in {"currentColor", "none"}
        for key, value in element.attrib.items():
            if key in {"x", "y", "width", "height", "cx", "cy", "r"}:
                assert re.fullmatch(r"\d+(\.\d)?", value), f"{key}={value}: one decimal at most"
        if tag(element) == "path":
            assert re.fullmatch(r"[MLHv\d. ]+", element.attrib["d"])
            assert not re.search(r"\.\d\d", element.attrib["d"])


def test_the_five_bar_chart_is_small() -> None:
    assert len(bar_chart(FIVE).encode()) < 1200


def test_hostile_labels_are_escaped_and_read_back_whole() -> None:
    svg = bar_chart([Bar(HOSTILE, 3, HOSTILE), Bar("b", None, HOSTILE)])
    assert "<script" not in svg and "<a " not in svg
    assert "&lt;script&gt;" in svg and "&amp;amp;" in svg
    lines = texts(svg)
    assert "".join(lines[:-3]).replace(" ", "") == HOSTILE.replace(" ", "")  # wrapped, not cut
    assert lines[-3:] == ["b", HOSTILE, HOSTILE]  # the last label, the texts after the bars
    assert not list(parse(svg).iter(f"{SVG}script"))


def test_every_label_is_written_whole_on_lines_within_the_budget() -> None:
    bars = forty()
    svg = bar_chart(bars)
    written = texts(svg)
    at = 0
    for bar in bars:
        lines = wrap(bar.label)
        assert written[at : at + len(lines)] == lines
        assert "".join(lines).replace(" ", "") == bar.label.replace(" ", "")  # nothing cut
        assert all(len(line) <= LABEL_BUDGET for line in lines)
        at += len(lines)
    assert written[at:] == [bar.text for bar in bars]


def test_wrap_breaks_at_spaces_never_at_no_break_spaces_and_splits_a_long_word() -> None:
    assert wrap("Oui") == ["Oui"]
    assert wrap("") == [""]
    assert wrap("un deux trois quatre", budget=9) == ["un deux", "trois", "quatre"]
    assert wrap("45\u00a0% des «\u00a0oui\u00a0»", budget=7) == [
        "45\u00a0%", "des", "«\u00a0oui\u00a0»"]
    assert wrap("a " + "x" * 20, budget=8) == ["a", "xxxxxxxx", "xxxxxxxx", "xxxx"]
    assert wrap("  espaces   en\ttrop  ", budget=40) == ["espaces en trop"]


def test_bars_are_proportional_to_their_values_and_the_largest_sets_the_scale() -> None:
    bars = forty()
    drawn = [bar for bar in bars if bar.value]
    widths = [float(rect.attrib["width"]) for rect in rects(bar_chart(bars))]
    assert len(widths) == len(drawn)
    largest = max(bar.value or 0 for bar in drawn)
    unit = max(widths) / largest
    for bar, width in zip(drawn, widths, strict=True):
        assert width == pytest.approx((bar.value or 0) * unit, abs=0.06)
    assert max(widths) >= WIDTH / 2


def test_a_protected_count_draws_no_bar_only_its_text_at_the_start() -> None:
    svg = bar_chart([Bar("Oui", 10, "10"), Bar("Non", None, "moins de 5")])
    assert len(rects(svg)) == 1
    last = figures(svg)[-1]
    assert (last.text, last.attrib.get("x", "0")) == ("moins de 5", "0")


def test_the_text_follows_the_end_of_its_bar() -> None:
    svg = bar_chart([Bar("Oui", 10, "67 % (10)"), Bar("Non", 5, "33 % (5)")])
    after = {element.text: element.attrib for element in figures(svg)}
    for rect, text in zip(rects(svg), ("67 % (10)", "33 % (5)"), strict=True):
        assert float(after[text]["x"]) == pytest.approx(float(rect.attrib["width"]) + 4)
        assert float(rect.attrib["y"]) < float(after[text]["y"]) < (
            float(rect.attrib["y"]) + float(rect.attrib["height"]))


@pytest.mark.parametrize("bars", [[], [Bar("Oui", 0, "0 %")], [Bar("Oui", None, "masqué")]])
def test_no_bar_without_a_positive_count(bars: list[Bar]) -> None:
    svg = bar_chart(bars)
    assert rects(svg) == []
    assert texts(svg) == [bar.label for bar in bars] + [bar.text for bar in bars]


def test_one_bar_spans_the_room_its_text_leaves() -> None:
    svg = bar_chart([Bar("Seule réponse", 7, "100 % (7)")])
    (rect,) = rects(svg)
    assert float(rect.attrib["width"]) == pytest.approx(WIDTH - 9 * 10 - 4, abs=0.1)


def line_runs(svg: str) -> list[list[tuple[float, float]]]:
    """The runs of the day line: each ``M`` starts one, its points follow."""
    paths = [path.attrib["d"] for path in parse(svg).iter(f"{SVG}path")
             if path.attrib.get("stroke-width") == "2"]
    if not paths:
        return []
    runs = []
    for run in paths[0].split("M")[1:]:
        numbers = [float(number) for number in run.split()]
        runs.append(list(zip(numbers[::2], numbers[1::2], strict=True)))
    return runs


def circles(svg: str, *, hollow: bool) -> list[ET.Element]:
    root = parse(svg)
    groups = [group for group in root.iter(f"{SVG}g") if group.attrib.get("fill") == "none"]
    inside = {id(circle) for group in groups for circle in group.iter(f"{SVG}circle")}
    return [circle for circle in root.iter(f"{SVG}circle") if (id(circle) in inside) == hollow]


def test_protected_days_break_the_line_and_are_marked_on_the_baseline() -> None:
    days = with_gaps()
    svg = day_chart(days, catalogue=FR)
    runs, current = [], 0
    for item in days:
        if item.value is None:
            runs.append(current)
            current = 0
        else:
            current += 1
    runs.append(current)
    assert [len(run) for run in line_runs(svg)] == [run for run in runs if run > 1]
    assert len(circles(svg, hollow=False)) == runs.count(1)  # day 21, alone: a dot
    rings = circles(svg, hollow=True)
    assert len(rings) == sum(item.value is None for item in days)
    assert {ring.attrib["cy"] for ring in rings} == {"115"}  # resting on the baseline, y=118


def test_the_line_goes_from_zero_at_the_baseline_to_the_maximum_at_the_top() -> None:
    days = [DayValue(date(2027, 1, 1) + timedelta(days=index), value)
            for index, value in enumerate((0, 50, 100, 25))]
    (run,) = line_runs(day_chart(days, catalogue=FR))
    ys = [y for _, y in run]
    assert (ys[0], ys[2]) == (118, 8)
    assert ys[1] == pytest.approx(63) and ys[3] == pytest.approx(90.5)
    xs = [x for x, _ in run]
    assert xs == sorted(xs) and xs[-1] == WIDTH - 4


def test_the_axes_say_zero_the_maximum_and_a_few_days_in_the_site_language() -> None:
    days = with_gaps()
    written = texts(day_chart(days, catalogue=FR))
    highest = max(item.value for item in days if item.value is not None)
    assert written[:2] == ["0", str(highest)]
    assert written[2:] == ["4\u00a0janv.", "24\u00a0janv.", "12\u00a0févr.", "4\u00a0mars"]
    assert texts(day_chart(days[:2], catalogue=EN))[-2:] == ["4\u00a0Jan", "5\u00a0Jan"]


def test_a_single_day_is_a_dot_and_an_empty_consultation_a_small_empty_chart() -> None:
    svg = day_chart([DayValue(date(2027, 3, 1), 1234)], catalogue=FR)
    assert len(circles(svg, hollow=False)) == 1 and line_runs(svg) == []
    assert texts(svg) == ["0", "1\u202f234", "1er\u00a0mars"]
    empty = day_chart([], catalogue=FR)
    assert list(parse(empty)) == [] and len(empty) < 200


def test_a_day_chart_of_a_whole_consultation_stays_light() -> None:
    days = [DayValue(date(2027, 1, 1) + timedelta(days=index), (index * 29) % 300)
            for index in range(120)]
    svg = day_chart(days, catalogue=FR)
    assert len(line_runs(svg)[0]) == 120
    assert len(svg.encode()) < 2000


def test_days_come_in_any_order_and_are_placed_by_date() -> None:
    days = [DayValue(date(2027, 1, 3), 3), DayValue(date(2027, 1, 1), 1),
            DayValue(date(2027, 1, 2), 2)]
    assert day_chart(days, catalogue=FR) == day_chart(sorted(days, key=lambda d: d.day),
                                                      catalogue=FR)


def test_short_dates_in_every_language() -> None:
    assert short_date(date(2027, 2, 1), FR) == "1er\u00a0févr."
    assert short_date(date(2027, 12, 24), EN) == "24\u00a0Dec"
    assert short_date(date(2027, 8, 9), AR) == "9\u00a0أغسطس"
