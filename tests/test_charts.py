import xml.etree.ElementTree as ET

from gongkai.charts import Series, bar_chart, data_table, line_chart


def test_bar_chart_is_valid_accessible_svg():
    svg = bar_chart(
        "各渠道申请",
        ["当面", "传真", "网络", "信函"],
        [Series("2018年", [96, 2, 95, 742])],
        unit="件",
    )
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img"
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == "各渠道申请"
    assert "信函 742件" in root.find(f"{ns}desc").text
    bars = [r for r in root.iter(f"{ns}rect") if r.find(f"{ns}title") is not None]
    heights = [float(r.get("height")) for r in bars]
    assert heights.index(max(heights)) == 3  # 信函 is the tallest bar


def test_stacked_bars_stack():
    svg = bar_chart("x", ["a"], [Series("甲", [1]), Series("乙", [3])], stacked=True)
    root = ET.fromstring(str(svg))
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in root.iter(f"{ns}rect") if r.find(f"{ns}title") is not None]
    assert (
        abs(float(bars[0].get("y")) - (float(bars[1].get("y")) + float(bars[1].get("height"))))
        < 0.2
    )


def test_line_chart_and_table_escape_labels():
    svg = line_chart("按时办结率", ["2017", "2018"], [Series("<率>", [0.9, 0.99])])
    ET.fromstring(str(svg))
    assert "&lt;率&gt;" in str(svg)
    html = data_table("按时办结率", ["2017", "2018"], [Series("率", [0.9, 0.99])])
    assert "<caption>按时办结率</caption>" in html and "0.99" in html
