"""Tests of hospitalytics.plots through the artists drawn, against the KPI functions.

Every check reads what a chart drew (line data, bar heights and widths, wedge angles,
tile areas and colours, mesh values, texts) and compares it with the number the KPI
function gives for the same arguments. Figures are closed by the autouse fixture in
conftest.py; the backend is Agg.
"""

from __future__ import annotations

import inspect
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import QuadMesh
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle, Wedge

import hospitalytics as hp
from hospitalytics import kpis, plots
from hospitalytics._format import VERDICT_COLORS, fmt
from hospitalytics.errors import ArgumentError, DataQualityWarning, SchemaError
from hospitalytics.plots import _base

EMPTY = {"start": "2020-01-01", "end": "2020-03-31"}  # before the sample begins
YEAR = {"start": "2025-01-01", "end": "2025-12-31"}
CHARTS = [
    "admission_trend",
    "volume_by",
    "los_donut",
    "age_groups",
    "occupancy_treemap",
    "occupancy_heatmap",
    "treatment_breakdown",
]


@pytest.fixture(scope="module")
def df():
    return hp.datasets.load_sample()


@pytest.fixture(scope="module")
def beds():
    return hp.datasets.load_sample_beds()


@pytest.fixture
def mimic(shared_data):
    path = shared_data / "mimic-iv-demo" / "hosp" / "admissions.csv.gz"
    if not path.exists():
        pytest.skip(f"MIMIC-IV demo not found at {path}")
    return pd.read_csv(path)


def draw(name, data, beds=None, **kwargs):
    """Call a chart, passing beds= to the occupancy charts."""
    func = getattr(plots, name)
    if name.startswith("occupancy"):
        kwargs["beds"] = beds
    return func(data, **kwargs)


def panels(ax: Axes) -> list[Axes]:
    """The panels of a two-measure chart (admissions, cost), or ``[ax]`` without cost."""
    return list(ax.child_axes) or [ax]


def bars(ax: Axes) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


# ------------------------------------------------------------------ the shared rules
@pytest.mark.parametrize("name", CHARTS)
def test_ax_none_creates_a_new_figure(df, beds, name):
    before = plt.figure()
    ax = draw(name, df, beds, **YEAR)
    assert isinstance(ax, Axes)
    assert ax.figure is not before


@pytest.mark.parametrize("name", CHARTS)
def test_ax_given_is_drawn_into_and_returned(df, beds, name):
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5), layout="constrained")
    ax = draw(name, df, beds, ax=right, **YEAR)
    assert ax is right
    assert left.has_data() is False
    assert plt.get_fignums() == [fig.number]


@pytest.mark.parametrize("name", CHARTS)
def test_empty_period_warns_at_the_caller_and_returns_the_axes(df, beds, name):
    with pytest.warns(DataQualityWarning, match="empty") as record:
        ax = draw(name, df, beds, **EMPTY)
    assert isinstance(ax, Axes)
    assert "No data" in " ".join(texts(ax))
    ours = [w for w in record if "empty" in str(w.message)]
    assert ours[0].filename == __file__  # stacklevel points at the caller


def test_empty_warning_points_at_the_caller_through_the_accessor(df):
    with pytest.warns(DataQualityWarning) as record:
        df.hospital.plot.los_donut(**EMPTY)
    assert record[0].filename == __file__


def test_kwargs_go_to_the_main_call(df):
    ax = plots.volume_by(df, color="#123456", **YEAR)
    assert all(p.get_facecolor() == to_rgba("#123456") for p in bars(ax))
    ax = plots.admission_trend(df, linewidth=4.5, **YEAR)
    assert ax.lines[0].get_linewidth() == 4.5


PERIOD = ["start", "end", "mtd", "qtd", "ytd", "as_of", "definitions", "columns"]


@pytest.mark.parametrize("name", [*CHARTS, "kpi_cards", "dashboard"])
def test_signature_is_data_then_keywords_with_the_kpis_period_options(name):
    params = list(inspect.signature(getattr(plots, name)).parameters.values())
    assert params[0].name == "data"
    assert params[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert all(p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) for p in params[1:])
    names = [p.name for p in params]
    assert [n for n in names if n in PERIOD] == PERIOD  # all of them, in the KPIs' order
    if name != "dashboard":
        assert names[-2:] == ["ax", "kwargs"]


@pytest.mark.parametrize("name", [*CHARTS, "kpi_cards"])
def test_draw_function_takes_the_table_and_the_display_options(name):
    chart = inspect.signature(getattr(plots, name)).parameters
    draw = inspect.signature(getattr(plots, f"draw_{name}")).parameters
    assert list(draw)[0] == "table"
    # no period or data options: the table is already computed
    assert not set(draw) & (set(PERIOD) | {"beds", "bins", "bands"})
    shared = [n for n in draw if n in chart]
    for n in shared:
        assert draw[n].default == chart[n].default, n


@pytest.mark.parametrize("name", [*CHARTS, "kpi_cards", "dashboard"])
def test_docstrings_use_the_shared_pieces(name):
    doc = getattr(plots, name).__doc__
    assert "{" + "period}" not in doc and "{" + "ax}" not in doc
    assert "Examples\n" in doc
    if name != "dashboard":
        assert "creates a new figure and Axes" in doc
        assert "DataQualityWarning" in doc  # the empty-data rule


ACCESSOR_METHODS = sorted(n for n in vars(plots.PlotAccessor) if not n.startswith("_"))


def test_accessor_has_a_method_per_chart_of_the_data():
    assert {*CHARTS, "kpi_cards", "dashboard", "forecast"} <= set(ACCESSOR_METHODS)


@pytest.mark.parametrize("name", ACCESSOR_METHODS)
def test_accessor_method_has_the_chart_signature(name):
    # written out explicitly (no **kwargs forwarding of options): the same parameters as
    # the function after ``data``, as tests/test_accessor.py checks for the KPIs
    assert "__getattr__" not in vars(plots.PlotAccessor)
    method = vars(plots.PlotAccessor)[name]
    assert f"hospitalytics.plots.{name}" in method.__doc__
    fn_params = list(inspect.signature(getattr(plots, name)).parameters.values())[1:]
    m_params = list(inspect.signature(method).parameters.values())[1:]
    assert [(p.name, p.kind, p.default) for p in m_params] == [
        (p.name, p.kind, p.default) for p in fn_params
    ]


def test_accessor_passes_every_option(df, beds):
    acc = df.hospital.plot
    ax = acc.occupancy_treemap(beds=beds, definitions="hcup", **YEAR)
    assert isinstance(ax, Axes)
    ax = acc.volume_by(by="location", **YEAR)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(
        kpis.admissions(df, by="location", **YEAR).sort_values(ascending=False).index
    )


# ------------------------------------------------------------------------ the charts
def test_admission_trend_lines_are_the_monthly_kpis(df):
    m = kpis.monthly(df)
    ax = plots.admission_trend(df)
    adm, dis = ax.lines[0], ax.lines[1]
    np.testing.assert_array_equal(adm.get_ydata(), m["admissions"].to_numpy())
    np.testing.assert_array_equal(dis.get_ydata(), m["discharges"].to_numpy())
    # one point per month, at mid-month
    x = pd.to_datetime(adm.get_xdata())
    assert list(x.to_period("M")) == list(m.index.to_period("M"))
    # the years are named; the partial last month (Dec 2025, 15 days) is flagged
    assert {"2023", "2024", "2025"} <= set(texts(ax))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Admissions", "Discharges", "Partial month (fewer days)"]
    hollow = ax.lines[2]
    np.testing.assert_array_equal(hollow.get_ydata(), m["admissions"].to_numpy()[[0, -1]][1:])
    assert ax.get_ylabel() == "Stays per month"


def test_admission_trend_overlay_draws_one_line_per_year(df):
    m = kpis.monthly(df)
    ax = plots.admission_trend(df, overlay=True, discharges=False)
    by_label = {line.get_label(): line for line in ax.lines}
    for year in (2023, 2024, 2025):
        sub = m[m.index.year == year]
        line = by_label[str(year)]
        np.testing.assert_array_equal(line.get_xdata(), sub.index.month.to_numpy())
        np.testing.assert_array_equal(line.get_ydata(), sub["admissions"].to_numpy())
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "Jan"


def test_admission_trend_area_and_period(df):
    m = kpis.monthly(df, None, *YEAR.values())
    ax = plots.admission_trend(df, kind="area", discharges=False, **YEAR)
    assert len(ax.collections) == 1  # the filled area
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), m["admissions"].to_numpy())
    with pytest.raises(ArgumentError):
        plots.admission_trend(df, kind="bar")


def test_admission_trend_mtd_is_the_current_month(df):
    ax = plots.admission_trend(df, mtd=True)
    assert list(ax.lines[0].get_ydata()) == [kpis.admissions(df, mtd=True)]


@pytest.mark.parametrize("by", ["department", "ward", "location"])
def test_volume_by_bars_are_the_admissions_by_group(df, by):
    counts = kpis.admissions(df, by=by, **YEAR).sort_values(ascending=False, kind="stable")
    ax = plots.volume_by(df, by=by, top=None, **YEAR)
    widths = [p.get_width() for p in bars(ax)]
    assert widths == counts.tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == list(counts.index)
    assert texts_of_bar_labels(ax) == [f"{v:,}" for v in counts]
    assert ax.get_xlabel() == "Admissions (stays)"


def texts_of_bar_labels(ax):
    return [t.get_text() for t in ax.texts]


def test_volume_by_discharges(df):
    counts = kpis.discharges(df, by="location", mtd=True)
    ax = plots.volume_by(df, by="location", measure="discharges", mtd=True)
    assert sorted(p.get_width() for p in bars(ax)) == sorted(counts.tolist())


def many_groups(df, column, n):
    """The sample with ``column`` spread over ``n`` long names."""
    out = df.copy()
    names = [f"{column.title()} number {i:02d} with a long name" for i in range(n)]
    out[column] = pd.Categorical(np.array(names)[np.arange(len(out)) % n])
    return out


def test_volume_by_groups_a_long_tail_into_other(df):
    wide = many_groups(df, "department", 30)
    counts = kpis.admissions(wide, by="department", **YEAR).sort_values(ascending=False)
    ax = plots.volume_by(wide, top=12, **YEAR)
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert len(labels) == 13 and labels[-1] == "Other (18)"
    widths = [p.get_width() for p in bars(ax)]
    assert widths[:12] == counts.iloc[:12].tolist()
    assert widths[-1] == counts.iloc[12:].sum()
    assert sum(widths) == kpis.admissions(wide, **YEAR)
    # the figure grows with the bars: at least 0.3 inch per bar
    assert ax.figure.get_size_inches()[1] >= 0.3 * 13
    with pytest.raises(ArgumentError):
        plots.volume_by(wide, top=0)


def test_los_donut_wedges_are_the_los_distribution(df):
    dist = kpis.los_distribution(df, **YEAR)
    ax = plots.los_donut(df, **YEAR)
    wedges = [p for p in ax.patches if isinstance(p, Wedge)]
    assert len(wedges) == len(dist)
    angles = np.array([(w.theta2 - w.theta1) % 360 for w in wedges]) / 360
    np.testing.assert_allclose(angles, dist["share"].to_numpy(), atol=1e-6)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == f"0 nights (same day): {dist['share'].iloc[0]:.1%} " \
                        f"({dist['stays'].iloc[0]:,})"
    assert f"{int(dist['stays'].sum()):,}" in texts(ax)


def test_los_donut_custom_bands(df):
    dist = kpis.los_distribution(df, bands=[0, 1, 7], **YEAR)
    ax = plots.los_donut(df, bands=[0, 1, 7], **YEAR)
    assert len([p for p in ax.patches if isinstance(p, Wedge)]) == len(dist) == 3


@pytest.mark.parametrize("cost", ["total_cost", "mean_cost"])
def test_age_groups_panels_are_by_age_group(df, cost):
    table = kpis.by_age_group(df, **YEAR)
    ax = plots.age_groups(df, cost=cost, currency="£", **YEAR)
    adm, money = panels(ax)
    assert [p.get_width() for p in bars(adm)] == table["admissions"].tolist()
    np.testing.assert_allclose([p.get_width() for p in bars(money)], table[cost].to_numpy())
    # one age axis, shared; the labels are on the left panel only
    assert [t.get_text() for t in adm.get_yticklabels()] == list(table.index)
    assert money.get_shared_y_axes().joined(adm, money)
    assert adm.get_xlabel() == "Admissions (stays)"
    assert "(£)" in money.get_xlabel()
    assert texts(adm) == [f"{v:,}" for v in table["admissions"]]
    assert texts(money) == [fmt(v, "money_compact", currency="£") for v in table[cost]]
    assert ax.get_title(loc="left") == "Admissions and treatment cost by age group"


def test_age_groups_without_cost_draws_admissions_only(df):
    no_cost = df.drop(columns=["cost"])
    ax = plots.age_groups(no_cost, **YEAR)
    assert ax.child_axes == []
    table = kpis.by_age_group(no_cost, **YEAR)
    assert [p.get_width() for p in bars(ax)] == table["admissions"].tolist()
    assert ax.get_title(loc="left") == "Admissions by age group"


def _overlaps(ax: Axes) -> list[tuple[str, str]]:
    """Pairs of texts drawn over ``ax`` (by it, its panels or a twin) that overlap."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    over = [a for a in [*fig.axes, *ax.child_axes]
            if box.contains(*a.get_window_extent(renderer).get_points().mean(axis=0))]
    items = list(dict.fromkeys(t for a in over for t in a.texts if t.get_text()))
    boxes = [t.get_window_extent(renderer) for t in items]
    return [(items[i].get_text(), items[k].get_text())
            for i in range(len(items)) for k in range(i + 1, len(items))
            if boxes[i].overlaps(boxes[k])]


def test_dashboard_value_labels_do_not_overlap(df, beds):
    # the twin-axes age chart drew "2,198" over "10.6M" in the dashboard
    fig = plots.dashboard(df, beds=beds, currency="£")
    for ax in fig.axes:
        if ax.get_title(loc="left").startswith(("Admissions and", "Admissions by")):
            assert _overlaps(ax) == [], ax.get_title(loc="left")


def test_treatment_breakdown_panels_are_by_treatment(df):
    table = kpis.by_treatment(df, **YEAR)
    ax = plots.treatment_breakdown(df, top=None, **YEAR)
    adm, cost = panels(ax)
    assert [p.get_width() for p in bars(adm)] == table["admissions"].tolist()
    np.testing.assert_allclose([p.get_width() for p in bars(cost)],
                               table["total_cost"].to_numpy())
    assert [t.get_text() for t in adm.get_yticklabels()] == list(table.index)
    assert "currency units" in cost.get_xlabel()


def test_treatment_breakdown_sorted_by_cost_with_other(df):
    wide = many_groups(df, "treatment", 25)
    table = kpis.by_treatment(wide, **YEAR).sort_values("total_cost", ascending=False)
    ax = plots.treatment_breakdown(wide, sort="total_cost", top=10, **YEAR)
    adm, money = panels(ax)
    labels = [t.get_text().replace("\n", " ") for t in adm.get_yticklabels()]
    assert labels[:10] == list(table.index[:10]) and labels[-1] == "Other (15)"
    cost = [p.get_width() for p in bars(money)]
    np.testing.assert_allclose(cost[:10], table["total_cost"].iloc[:10])
    np.testing.assert_allclose(cost[-1], table["total_cost"].iloc[10:].sum())
    assert sum(p.get_width() for p in bars(adm)) == kpis.admissions(wide, **YEAR)
    assert to_rgba(bars(adm)[-1].get_facecolor()) == to_rgba(_base.COLORS["other"])


def test_treatment_breakdown_without_cost_draws_admissions_only(df):
    no_cost = df.drop(columns=["cost"])
    ax = plots.treatment_breakdown(no_cost, top=None, **YEAR)
    assert ax.child_axes == []
    table = kpis.by_treatment(no_cost, **YEAR)
    assert [p.get_width() for p in bars(ax)] == table["admissions"].tolist()
    with pytest.raises(ArgumentError, match="needs costs"):
        plots.treatment_breakdown(no_cost, sort="total_cost")


def test_occupancy_treemap_tiles(df, beds):
    table = kpis.occupancy_by_ward(df, beds, **YEAR)
    table = table[table["available_bed_days"] > 0].sort_values(
        "available_bed_days", ascending=False, kind="stable")
    ax = plots.occupancy_treemap(df, beds=beds, **YEAR)
    tiles = bars(ax)
    assert len(tiles) == len(table)
    area = np.array([p.get_width() * p.get_height() for p in tiles])
    np.testing.assert_allclose(area / area.sum(), (table["available_bed_days"]
                                                   / table["available_bed_days"].sum()))
    cmap, norm = _base.occupancy_cmap()
    expected = cmap(norm(table["occupancy"].to_numpy()))
    np.testing.assert_allclose([p.get_facecolor() for p in tiles], expected)
    pooled = kpis.occupancy(df, beds, **YEAR)
    assert f"all wards: {pooled:.1%}" in ax.get_title(loc="left")
    # the colour bar names the reference levels
    cbar_ax = [a for a in ax.figure.axes if a is not ax][0]
    ticks = [t.get_text() for t in cbar_ax.get_xticklabels()]
    assert "85%\ntarget" in ticks and "92%\nceiling" in ticks
    # labels name the wards and their occupancy
    first = table.index[0]
    assert any(t.startswith(first) and t.endswith(f"{table['occupancy'].iloc[0]:.0%}")
               for t in texts(ax))


def test_occupancy_colours_step_at_the_reference_levels():
    cmap, norm = _base.occupancy_cmap()
    below, target, ceiling = cmap(norm([0.849, 0.85, 0.92]))
    assert tuple(below) != tuple(target) != tuple(ceiling)
    assert tuple(cmap(norm(0.86))) == tuple(target)
    assert tuple(cmap(norm(1.5))) == tuple(cmap.get_over())


def test_occupancy_heatmap_cells(df, beds):
    tidy = kpis.monthly_occupancy_by_ward(df, beds, "2025-01-01", "2025-06-30")
    ax = plots.occupancy_heatmap(df, beds=beds, start="2025-01-01", end="2025-06-30")
    mesh = [c for c in ax.collections if isinstance(c, QuadMesh)][0]
    wards = list(pd.unique(tidy["ward"]))
    grid = tidy.pivot(index="ward", columns="month", values="occupancy").reindex(wards)
    np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(grid.shape),
                               grid.to_numpy())
    assert [t.get_text() for t in ax.get_yticklabels()] == wards
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["Jan\n2025", "Feb"]
    v = grid.iloc[0, 0]
    assert f"{v:.0%}" in texts(ax)  # small grid: annotated


def test_occupancy_heatmap_narrow_axes_thins_month_labels(df, beds):
    _fig, small = plt.subplots(figsize=(6, 4), layout="constrained")
    ax = plots.occupancy_heatmap(df, beds=beds, ax=small)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) < kpis.monthly(df).shape[0] / 2
    assert texts(ax) == []  # cells too small to annotate
    ax = plots.occupancy_heatmap(df, beds=beds)  # a figure sized for the grid: every month
    assert len(ax.get_xticklabels()) == kpis.monthly(df).shape[0]


def colorbar_label(ax: Axes) -> str:
    cbar = [a for a in ax.figure.axes if a is not ax][0]
    return cbar.get_xlabel()


def test_occupancy_over_100_gets_a_footnote(df):
    wards = kpis.admissions(df, by="ward").index
    roomy = {ward: 200 for ward in wards}  # never full
    tight = {ward: 1 for ward in wards}  # always over 100%
    assert kpis.occupancy_by_ward(df, roomy, **YEAR)["occupancy"].max() < 1
    assert kpis.occupancy_by_ward(df, tight, **YEAR)["occupancy"].max() > 1
    for chart in (plots.occupancy_treemap, plots.occupancy_heatmap):
        ax = chart(df, beds=roomy, **YEAR)
        assert "Values over 100%" not in colorbar_label(ax)
        ax = chart(df, beds=tight, **YEAR)
        assert "Values over 100%: more patients than staffed beds — escalation beds, " \
               "trolleys," in colorbar_label(ax).replace("\n", " ")


def test_occupancy_charts_follow_definitions(df, beds):
    from hospitalytics import Definitions

    day_case = Definitions(day_case_bed_day=True)  # same-day stays occupy a bed-day
    plain = kpis.occupancy(df, beds, **YEAR)
    counted = kpis.occupancy(df, beds, definitions=day_case, **YEAR)
    assert counted > plain
    ax = plots.occupancy_treemap(df, beds=beds, definitions=day_case, **YEAR)
    assert f"all wards: {counted:.1%}" in ax.get_title(loc="left")
    grid = kpis.monthly_occupancy_by_ward(df, beds, definitions=day_case, **YEAR)
    ax = plots.occupancy_heatmap(df, beds=beds, definitions=day_case, **YEAR)
    mesh = [c for c in ax.collections if isinstance(c, QuadMesh)][0]
    assert np.nanmax(mesh.get_array()) == pytest.approx(grid["occupancy"].max())


@pytest.mark.parametrize("flag", ["qtd", "ytd"])
def test_charts_take_qtd_and_ytd_as_the_kpis_do(df, flag):
    counts = kpis.admissions(df, by="ward", **{flag: True}).sort_values(ascending=False,
                                                                          kind="stable")
    ax = plots.volume_by(df, by="ward", top=None, **{flag: True})
    assert [p.get_width() for p in bars(ax)] == counts.tolist()
    m = kpis.monthly(df, **{flag: True})
    ax = plots.admission_trend(df, **{flag: True})
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), m["admissions"].to_numpy())


def test_unknown_definitions_are_rejected_by_every_chart(df):
    for name in ("volume_by", "los_donut", "age_groups", "treatment_breakdown",
                 "admission_trend", "kpi_cards"):
        with pytest.raises(ArgumentError, match="nope"):
            getattr(plots, name)(df, definitions="nope")


def test_kpi_cards_show_the_period_the_month_to_date_and_the_change(df, beds):
    s = kpis.summary(df, beds)
    ax = plots.kpi_cards(df, beds=beds, currency="£")
    shown = texts(ax)
    # the big number is the period figure, as on the HTML cards
    assert f"{int(s.loc['admissions', 'period']):,}" in shown
    assert fmt(s.loc["treatment_cost", "period"], "money_compact", currency="£") in shown
    assert f"{s.loc['alos', 'period']:.2f} days" in shown
    assert f"{s.loc['occupancy', 'period']:.1%}" in shown
    mtd, prev = int(s.loc["admissions", "mtd"]), int(s.loc["admissions", "previous_mtd"])
    assert f"MTD {mtd:,} · prev. {prev:,}" in shown
    change = s.loc["admissions", "change"]
    arrow, sign = ("▲", "+") if change > 0 else ("▼", "−")
    rel = f"{abs(s.loc['admissions', 'change_pct']) * 100:.1f}%"
    assert f"{arrow} {sign}{abs(int(change))} ({sign}{rel})" in shown
    assert "month to date 1–15 Dec 2025 vs 1–15 Nov 2025" in ax.get_title(loc="left")
    # five headline cards by default
    assert len(ax.patches) == 5


def test_kpi_card_colours_follow_meaning_not_direction(df, beds):
    s = kpis.summary(df, beds)
    # the sample: ALOS fell (better), long stays fell (better), admissions rose (neutral),
    # occupancy rose from 88.6% to 89.9% (farther from 85%: worse). Month-to-date
    # readmissions have no closed follow-up window on the sample, so give them a fall by hand.
    s = s.copy()
    s.loc["readmission_rate_30d", ["mtd", "previous_mtd", "change"]] = [0.05, 0.08, -0.03]
    expect = {"alos": "better", "readmission_rate_30d": "better", "los_7plus": "better",
              "admissions": "neutral", "occupancy": "worse"}
    for kpi, word in expect.items():
        ax = plots.draw_kpi_cards(s, cards=[kpi])
        (text,) = [t for t in ax.texts if t.get_text().startswith(("▲", "▼"))]
        assert to_rgba(text.get_color()) == to_rgba(VERDICT_COLORS[word]), kpi
        if word == "neutral":
            assert not text.get_text().endswith(("better", "worse")), kpi
        else:
            assert text.get_text().endswith(word), kpi  # not colour alone
        assert text.get_text().startswith("▲" if s.loc[kpi, "change"] > 0 else "▼")


def test_kpi_cards_all_are_grouped_with_the_headline_first(df, beds):
    s = kpis.summary(df, beds)
    ax = plots.kpi_cards(df, beds=beds, cards="all")
    assert len(ax.patches) == len(s) == 13
    labels = [t.get_text().replace("\n", " ") for t in ax.texts
              if t.get_text().replace("\n", " ") in set(s["label"])]
    order = [s.index[list(s["label"]).index(x)] for x in labels]
    assert order[:5] == ["admissions", "discharges", "treatment_cost", "alos", "occupancy"]
    assert order[-1] == "readmission_rate_30d"
    rows = sorted({round(p.get_y(), 6) for p in ax.patches}, reverse=True)
    assert len(rows) == 4  # headline, flow, capacity, quality


def test_kpi_cards_follow_definitions_and_the_period_flags(df):
    hcup = kpis.summary(df, definitions="hcup")
    who = kpis.summary(df)
    assert hcup.loc["alos", "period"] != who.loc["alos", "period"]
    ax = plots.kpi_cards(df, cards=["alos"], definitions="hcup")
    assert f"{hcup.loc['alos', 'period']:.2f} days" in texts(ax)
    assert f"{who.loc['alos', 'period']:.2f} days" not in texts(ax)
    ytd = kpis.summary(df, start="2025-01-01", end="2025-12-15")
    ax = plots.kpi_cards(df, cards=["admissions"], ytd=True)
    assert f"{int(ytd.loc['admissions', 'period']):,}" in texts(ax)
    assert "Period: 1 Jan 2025 – 15 Dec 2025" in ax.get_title(loc="left")


def test_kpi_cards_without_beds_and_chosen_cards(df):
    ax = plots.kpi_cards(df, cards=["admissions", "alos"])
    s = kpis.summary(df)
    assert f"MTD {s.loc['alos', 'mtd']:.2f} days · prev. {s.loc['alos', 'previous_mtd']:.2f}" \
           " days" in texts(ax)
    assert len(list(ax.patches)) == 2
    with pytest.raises(ArgumentError, match="occupancy"):
        plots.kpi_cards(df, cards=["occupancy"])
    with pytest.raises(ArgumentError, match="'all'"):
        plots.kpi_cards(df, cards="everything")
    ax = plots.kpi_cards(df)  # without beds the average daily census stands in
    assert "Average daily census" in texts(ax)


def test_kpi_cards_empty_data_warns(df):
    with pytest.warns(DataQualityWarning) as record:
        ax = plots.kpi_cards(df.iloc[:0])
    assert record[0].filename == __file__
    assert isinstance(ax, Axes)


def test_draw_kpi_cards_shows_text_cells_as_they_are(df):
    s = kpis.summary(df).astype({"mtd": object})
    s.loc["admissions", "mtd"] = "<10"
    ax = plots.draw_kpi_cards(s, cards=["admissions"], missing="*")
    assert any(t.startswith("MTD <10 · prev.") for t in texts(ax))


def test_dashboard_one_page_saves_as_png_svg_pdf(df, beds, tmp_path):
    fig = plots.dashboard(df, beds=beds, currency="£", **YEAR)
    assert isinstance(fig, Figure)
    titles = {a.get_title(loc="left") for a in fig.axes}
    assert "Monthly admissions and discharges" in titles
    assert "Admissions by department" in titles
    assert any(t.startswith("Bed occupancy by ward (all wards") for t in titles)
    assert fig.get_suptitle() == "Hospital activity: 1 Jan 2025 – 15 Dec 2025"
    for ext in ("png", "svg", "pdf"):
        fig.savefig(tmp_path / f"dash.{ext}")
        assert (tmp_path / f"dash.{ext}").stat().st_size > 10_000


def test_dashboard_reads_one_period_and_definitions_everywhere(df, beds):
    fig = plots.dashboard(df, beds=beds, definitions="hcup", ytd=True)
    s = kpis.summary(df, beds, start="2025-01-01", definitions="hcup")
    shown = [t.get_text() for a in fig.axes for t in a.texts]
    assert f"{s.loc['alos', 'period']:.2f} days" in shown
    trend = next(a for a in fig.axes if a.get_title(loc="left").startswith("Monthly"))
    m = kpis.monthly(df, ytd=True)
    np.testing.assert_array_equal(trend.lines[0].get_ydata(), m["admissions"].to_numpy())
    # the unbounded period's first day is read from the data, not "first record"
    assert plots.dashboard(df).get_suptitle() == "Hospital activity: 1 Oct 2023 – 15 Dec 2025"


def test_dashboard_without_beds_says_so(df):
    fig = plots.dashboard(df, mtd=True, by="location")
    notes = [t.get_text() for a in fig.axes for t in a.texts]
    assert notes.count("Not available: pass beds= to show occupancy by ward") == 2
    assert any(a.get_title(loc="left") == "Admissions by location" for a in fig.axes)


def test_draw_dashboard_from_tables(df):
    tables = {"summary": kpis.summary(df), "monthly": kpis.monthly(df),
              "by_age_group": "the data has no 'age' column"}
    fig = plots.draw_dashboard(tables, footnote="Values rounded to the nearest 5.")
    notes = [t.get_text() for a in fig.axes for t in a.texts]
    assert "Not available: the data has no 'age' column" in notes
    assert "Not available: no by department table" in notes
    assert fig.get_supxlabel() == "Values rounded to the nearest 5."


# ----------------------------------------------------------- schema errors and MIMIC
def test_missing_roles_raise_schema_error(df, beds):
    with pytest.raises(SchemaError) as err:
        plots.treatment_breakdown(df.drop(columns=["treatment"]))
    assert err.value.role == "treatment"
    with pytest.raises(SchemaError):
        plots.age_groups(df.drop(columns=["age"]))
    with pytest.raises(SchemaError):
        plots.admission_trend(df.drop(columns=["discharge_date"]), discharges=True)
    with pytest.raises(SchemaError):
        plots.draw_admission_trend(kpis.monthly(df.drop(columns=["discharge_date"])),
                                   discharges=True)


def test_mimic_charts_that_apply(mimic):
    m = kpis.monthly(mimic)
    ax = plots.admission_trend(mimic)
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), m["admissions"].to_numpy())
    dist = kpis.los_distribution(mimic)
    ax = plots.los_donut(mimic)
    wedges = [p for p in ax.patches if isinstance(p, Wedge)]
    np.testing.assert_allclose([(w.theta2 - w.theta1) / 360 for w in wedges], dist["share"],
                               atol=1e-6)
    # admission_type is inferred as the treatment role
    counts = kpis.admissions(mimic, by="treatment").sort_values(ascending=False)
    ax = plots.volume_by(mimic, by="treatment")
    assert [p.get_width() for p in bars(ax)] == counts.tolist()
    ax = plots.kpi_cards(mimic)
    s = kpis.summary(mimic)
    assert f"{int(s.loc['admissions', 'period']):,}" in texts(ax)
    ax = plots.treatment_breakdown(mimic)  # no costs: admissions only
    assert [p.get_width() for p in bars(ax)] == counts.tolist()


def test_mimic_charts_that_do_not_apply_raise(mimic, beds):
    with pytest.raises(SchemaError) as err:
        plots.volume_by(mimic, by="department")
    assert err.value.role == "department"
    with pytest.raises(SchemaError) as err:
        plots.age_groups(mimic)
    assert err.value.role == "age"
    for chart in (plots.occupancy_treemap, plots.occupancy_heatmap):
        with pytest.raises(SchemaError) as err:
            chart(mimic, beds=beds)
        assert err.value.role == "ward"


def test_mimic_dashboard_marks_missing_panels(mimic):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plots.dashboard(mimic, by="treatment")
    notes = [t.get_text() for a in fig.axes for t in a.texts]
    assert "Not available: the data has no 'age' column" in notes


def test_small_counts_get_whole_number_ticks_without_repeats():
    # Two stays: matplotlib would pick ticks 0, 0.2, ..., 1.0 and the count formatter
    # would print "0, 0, 0, 1, 1, 1". Count axes use whole-number ticks.
    df = pd.DataFrame(
        {
            "admission_date": pd.to_datetime(["2024-01-05", "2024-03-01"]),
            "discharge_date": pd.to_datetime(["2024-01-09", None]),
        }
    )
    ax = plots.admission_trend(df)
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert len(labels) == len(set(labels))
    assert all(float(v).is_integer() for v in ax.get_yticks())
