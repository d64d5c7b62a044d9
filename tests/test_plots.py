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


def twin_of(ax: Axes) -> Axes:
    """The twin axis a two-measure chart added to ``ax``."""
    others = [a for a in ax.figure.axes if a is not ax and a.bbox.bounds == ax.bbox.bounds]
    assert len(others) == 1
    return others[0]


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


@pytest.mark.parametrize("name", [*CHARTS, "kpi_cards"])
def test_signature_is_keyword_only_after_data(name):
    params = list(inspect.signature(getattr(plots, name)).parameters.values())
    assert params[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert all(p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) for p in params[1:])
    names = [p.name for p in params]
    assert "ax" in names and "as_of" in names and "columns" in names
    if name != "kpi_cards":
        assert {"start", "end", "mtd", "kwargs"} <= set(names)


@pytest.mark.parametrize("name", [*CHARTS, "kpi_cards", "dashboard"])
def test_docstrings_use_the_shared_pieces(name):
    doc = getattr(plots, name).__doc__
    assert "{" + "period}" not in doc and "{" + "ax}" not in doc
    assert "Examples\n" in doc
    if name != "dashboard":
        assert "creates a new figure and Axes" in doc
        assert "DataQualityWarning" in doc  # the empty-data rule


def test_accessor_has_an_explicit_method_per_chart(df, beds):
    assert "__getattr__" not in vars(plots.PlotAccessor)
    acc = df.hospital.plot
    for name in [*CHARTS, "kpi_cards", "dashboard"]:
        assert name in vars(plots.PlotAccessor)
        assert getattr(plots.PlotAccessor, name).__doc__
    ax = acc.occupancy_treemap(beds, **YEAR)
    assert isinstance(ax, Axes)
    ax = acc.volume_by(by="location", **YEAR)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(
        kpis.admissions(df, by="location", **YEAR).sort_values(ascending=False).index
    )


def test_formatters():
    assert _base.fmt_count(12345.0) == "12,345"
    assert _base.fmt_money(36_661_440, "£") == "£36.7M"
    assert _base.fmt_money(573_573, "€") == "€574k"
    assert _base.fmt_money(1_234, "$") == "$1.2k"
    assert _base.fmt_money(950) == "950"
    assert _base.fmt_money(-2_500_000, "£") == "-£2.5M"
    assert _base.fmt_pct(0.853) == "85%"
    assert _base.fmt_pct(float("nan")) == "–"


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
    labels = [t.get_text() for t in ax.get_yticklabels()]
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
def test_age_groups_bars_are_by_age_group(df, cost):
    table = kpis.by_age_group(df, **YEAR)
    ax = plots.age_groups(df, cost=cost, currency="£", **YEAR)
    twin = twin_of(ax)
    assert [p.get_height() for p in bars(ax)] == table["admissions"].tolist()
    np.testing.assert_allclose([p.get_height() for p in bars(twin)], table[cost].to_numpy())
    assert [t.get_text() for t in ax.get_xticklabels()] == list(table.index)
    assert "Admissions (stays)" in ax.get_ylabel()
    assert "(£)" in twin.get_ylabel()
    assert _base.fmt_money(table[cost].iloc[0], "£") in texts(twin)


def test_treatment_breakdown_bars_are_by_treatment(df):
    table = kpis.by_treatment(df, **YEAR)
    ax = plots.treatment_breakdown(df, top=None, **YEAR)
    twin = twin_of(ax)
    assert [p.get_width() for p in bars(ax)] == table["admissions"].tolist()
    np.testing.assert_allclose([p.get_width() for p in bars(twin)],
                               table["total_cost"].to_numpy())
    assert [t.get_text() for t in ax.get_yticklabels()] == list(table.index)
    assert "currency units" in twin.get_xlabel()


def test_treatment_breakdown_sorted_by_cost_with_other(df):
    wide = many_groups(df, "treatment", 25)
    table = kpis.by_treatment(wide, **YEAR).sort_values("total_cost", ascending=False)
    ax = plots.treatment_breakdown(wide, sort="total_cost", top=10, **YEAR)
    twin = twin_of(ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[:10] == list(table.index[:10]) and labels[-1] == "Other (15)"
    cost = [p.get_width() for p in bars(twin)]
    np.testing.assert_allclose(cost[:10], table["total_cost"].iloc[:10])
    np.testing.assert_allclose(cost[-1], table["total_cost"].iloc[10:].sum())
    assert sum(p.get_width() for p in bars(ax)) == kpis.admissions(wide, **YEAR)


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
    assert f"all wards: {pooled:.0%}" in ax.get_title(loc="left")
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


def test_kpi_cards_show_the_summary(df, beds):
    s = kpis.summary(df, beds)
    ax = plots.kpi_cards(df, beds=beds, currency="£")
    shown = texts(ax)
    assert f"{int(s.loc['admissions', 'mtd']):,}" in shown
    assert _base.fmt_money(s.loc["treatment_cost", "mtd"], "£") in shown
    assert f"{s.loc['occupancy', 'mtd']:.1%}" in shown
    change = s.loc["admissions", "change"]
    arrow = "▲" if change > 0 else "▼"
    assert f"{arrow} {abs(int(change))} ({s.loc['admissions', 'change_pct']:+.1%})" in shown
    assert "Month to date" in ax.get_title(loc="left")


def test_kpi_cards_without_beds_and_chosen_cards(df):
    ax = plots.kpi_cards(df, cards=["admissions", "alos"])
    s = kpis.summary(df)
    assert f"{s.loc['alos', 'mtd']:.1f} days" in texts(ax)
    assert len([p for p in ax.patches]) == 2
    with pytest.raises(ArgumentError, match="occupancy"):
        plots.kpi_cards(df, cards=["occupancy"])


def test_kpi_cards_empty_data_warns(df):
    with pytest.warns(DataQualityWarning) as record:
        ax = plots.kpi_cards(df.iloc[:0])
    assert record[0].filename == __file__
    assert isinstance(ax, Axes)


def test_dashboard_one_page_saves_as_png_svg_pdf(df, beds, tmp_path):
    fig = plots.dashboard(df, beds, currency="£", **YEAR)
    assert isinstance(fig, Figure)
    titles = {a.get_title(loc="left") for a in fig.axes}
    assert "Monthly admissions and discharges" in titles
    assert "Admissions by department" in titles
    assert any(t.startswith("Bed occupancy by ward (all wards") for t in titles)
    for ext in ("png", "svg", "pdf"):
        fig.savefig(tmp_path / f"dash.{ext}")
        assert (tmp_path / f"dash.{ext}").stat().st_size > 10_000


def test_dashboard_without_beds_says_so(df):
    fig = plots.dashboard(df, mtd=True, by="location")
    notes = [t.get_text() for a in fig.axes for t in a.texts]
    assert notes.count("Not available: pass beds= to show occupancy by ward") == 2


# ----------------------------------------------------------- schema errors and MIMIC
def test_missing_roles_raise_schema_error(df, beds):
    no_cost = df.drop(columns=["cost"])
    with pytest.raises(SchemaError) as err:
        plots.treatment_breakdown(no_cost)
    assert err.value.role == "cost"
    with pytest.raises(SchemaError):
        plots.age_groups(no_cost)
    with pytest.raises(SchemaError):
        plots.age_groups(df.drop(columns=["age"]))
    with pytest.raises(SchemaError):
        plots.admission_trend(df.drop(columns=["discharge_date"]), discharges=True)


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
    assert f"{int(s.loc['admissions', 'mtd']):,}" in texts(ax)


def test_mimic_charts_that_do_not_apply_raise(mimic, beds):
    with pytest.raises(SchemaError) as err:
        plots.volume_by(mimic, by="department")
    assert err.value.role == "department"
    with pytest.raises(SchemaError) as err:
        plots.treatment_breakdown(mimic)
    assert err.value.role == "cost"
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
