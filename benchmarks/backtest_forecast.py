"""Backtest the forecasts on the sample, on synthetic hospitals and on the public data.

Run: ``python benchmarks/backtest_forecast.py [--origins 12] [--quick] [--rst]``.

For each dataset and target, :func:`hospitalytics.backtest` cuts the data at ``--origins``
as-of dates 28 days apart (the last one 28 days before the end of the data), forecasts
the next 28 days (8 weeks for weekly series, cuts 4 weeks apart) from the history before
each cut, and scores the model against seasonal naive and the mean of the last year:

* MASE and RMSSE: errors over the horizon divided by the in-sample error of seasonal
  naive over the last year (below 1: better than that);
* coverage of the 80% and 95% intervals (share of outcomes inside), and the coverage of
  a randomised PIT (which discounts the extra coverage whole-number bounds give small
  counts; 0.80 and 0.95 for a calibrated forecast).

The sample's wards are bed-managed (a ward admits only when it has a bed), so its census
is forecast by ``forecast_census``'s managed-ward model (``managed="auto"``); the
``make_stays`` hospitals' stays are independent and keep the two-part model.

A second table compares the chosen model with an alternative from statsmodels on the
hospital's daily admissions: exponential smoothing with a weekly season (ETS(A,N,A),
Gaussian intervals), at the same cuts and with the same scores.

Datasets: the bundled sample (53,404 stays, Oct 2023 - Dec 2025); ``make_stays`` hospitals
(a winter peak of +/-18% and weekday weights, see ``datasets/_hospital.py``): 40,000
stays over five years, about 48,000 over six years growing 6% a year (built month by
month), 200,000 stays over four years and 1,000,000 over three; and the
public files in ``../shared/data`` that have enough history: Synthea (Nebraska
encounters of all classes). MIMIC-IV demo has 275 admissions over 92 shifted years (about
3 a year, each patient shifted on their own): there is no series to forecast, and the
script says so.

Needs statsmodels (``pip install -e ".[benchmark]"``). Prints the tables; with ``--rst``
also as reStructuredText list-tables for docs/user_guide/forecasting.rst.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import hospitalytics as hp
from hospitalytics.analysis import admissions_series

SHARED = Path(os.environ.get("HOSPITALYTICS_SHARED_DATA",
                             Path(__file__).resolve().parents[2] / "shared" / "data"))
COLUMNS = ["mase", "rmsse", "coverage_80", "coverage_95", "pit_coverage_80",
           "pit_coverage_95"]


def growing_hospital() -> pd.DataFrame:
    """A make_stays hospital whose admissions grow 6% a year, smoothly (2020-2025).

    Month by month: each month's stays are ``make_stays`` for that month, as many as a
    base rate grown by 6% a year and scaled by the same winter peak as make_stays'
    (``1 + 0.18 cos(2 pi (day of year - 20) / 365.25)``) times the days in the month.
    """
    from hospitalytics.datasets._hospital import SEASONALITY

    months = pd.date_range("2020-01-01", "2025-12-01", freq="MS")
    parts = []
    for i, first in enumerate(months):
        last = first + pd.offsets.MonthEnd(0)
        mid = first + pd.Timedelta(days=14)
        season = 1 + SEASONALITY * np.cos(2 * np.pi * (mid.day_of_year - 20) / 365.25)
        n = int(round(20 * 1.06 ** (i / 12) * season * first.days_in_month))
        parts.append(hp.datasets.make_stays(n, seed=100 + i, start=first, end=last,
                                            open_at_end=False))
    out = pd.concat(parts, ignore_index=True)
    # the extract is taken at the end of 2025: later discharges have not happened yet
    out.loc[out["discharge_date"] >= pd.Timestamp("2026-01-01"), "discharge_date"] = pd.NaT
    return out


def datasets(quick: bool) -> dict[str, pd.DataFrame]:
    out = {"sample": hp.datasets.load_sample(),
           "make_stays 40k, 5 y": hp.datasets.make_stays(40_000, seed=3, start="2021-01-01",
                                                          end="2025-12-31")}
    if not quick:
        out["make_stays +6%/y"] = growing_hospital()
        out["make_stays 200k, 4 y"] = hp.datasets.make_stays(200_000, seed=5,
                                                              start="2022-01-01",
                                                              end="2025-12-31")
        out["make_stays 1M, 3 y"] = hp.datasets.make_stays(1_000_000, seed=1)
    synthea = SHARED / "synthea-ne" / "encounters.csv"
    if synthea.is_file():
        out["Synthea NE (real file)"] = hp.adapters.from_synthea(pd.read_csv(synthea))
    return out


TARGETS = [
    ("admissions, day, total", {"target": "admissions"}),
    ("admissions, day, by ward", {"target": "admissions", "by": "ward"}),
    ("admissions, week, total", {"target": "admissions", "freq": "W", "horizon": 8,
                                 "step": 4}),
    ("census, day, total", {"target": "census"}),
    ("census, day, by ward", {"target": "census", "by": "ward"}),
]


def main_table(data: dict[str, pd.DataFrame], origins: int) -> pd.DataFrame:
    rows = []
    for name, df in data.items():
        for label, kwargs in TARGETS:
            if kwargs.get("by") == "ward" and "ward" not in df.columns:
                continue
            t0 = time.perf_counter()
            scores = hp.backtest(df, origins=origins, **kwargs)
            seconds = time.perf_counter() - t0
            for method, row in scores.iterrows():
                rows.append({"data": name, "target": label, "method": method,
                             **{c: row[c] for c in COLUMNS}, "series": int(row["series"]),
                             "seconds": seconds})
    return pd.DataFrame(rows)


def ets_table(data: dict[str, pd.DataFrame], origins: int, horizon: int = 28) -> pd.DataFrame:
    """The library's model, the baselines and ETS(A,N,A) on the daily admissions total."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    rows = []
    for name, df in data.items():
        detail = hp.backtest(df, origins=origins, details=True)
        series = admissions_series(df)["total"].asfreq("D").astype("float64")
        cuts = sorted(detail["origin"].unique())
        ets = []
        for cut in cuts:
            hist = series[:cut]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # ETS optimiser convergence chatter
                fit = ETSModel(hist, error="add", trend=None, seasonal="add",
                               seasonal_periods=7).fit(disp=False)
            pred = fit.get_prediction(start=cut + pd.Timedelta(days=1),
                                      end=cut + pd.Timedelta(days=horizon))
            part = pd.DataFrame({"origin": cut, "date": pred.predicted_mean.index,
                                 "forecast": pred.predicted_mean.to_numpy()})
            for level in (80, 95):
                frame = pred.summary_frame(alpha=1 - level / 100)
                part[f"lower_{level}"] = frame["pi_lower"].to_numpy()
                part[f"upper_{level}"] = frame["pi_upper"].to_numpy()
            ets.append(part)
        ets = pd.concat(ets)
        ets["method"] = "ETS(A,N,A)"
        ets["actual"] = series.loc[ets["date"]].to_numpy()
        both = pd.concat([detail, ets], ignore_index=True)
        for method, part in both.groupby("method", sort=False):
            mase = []
            for cut, one in part.groupby("origin"):
                hist = series[:cut].to_numpy()[-372:]
                scale = np.abs(hist[7:] - hist[:-7]).mean()
                mase.append(np.abs(one["actual"] - one["forecast"]).mean() / scale)
            cover = {f"coverage_{lv}": ((part["actual"] >= part[f"lower_{lv}"])
                                        & (part["actual"] <= part[f"upper_{lv}"])).mean()
                     for lv in (80, 95)}
            rows.append({"data": name, "method": method, "mase": float(np.mean(mase)),
                         **cover})
    return pd.DataFrame(rows)


def compact(table: pd.DataFrame) -> pd.DataFrame:
    """One row per dataset and target: the MASE of each method, the model's coverages."""
    rows = []
    for (name, target), part in table.groupby(["data", "target"], sort=False):
        by = part.set_index("method")
        rows.append({"data": name, "target": target,
                     "model": by.loc["model", "mase"],
                     "seasonal naive": by.loc["seasonal_naive", "mase"],
                     "mean": by.loc["mean", "mase"],
                     "80%": by.loc["model", "coverage_80"],
                     "95%": by.loc["model", "coverage_95"],
                     "PIT 80%": by.loc["model", "pit_coverage_80"],
                     "PIT 95%": by.loc["model", "pit_coverage_95"]})
    return pd.DataFrame(rows)


def rst(table: pd.DataFrame, columns: list[str], title: str) -> str:
    lines = [f".. list-table:: {title}", "   :header-rows: 1", ""]
    lines.append("   * - " + "\n     - ".join(columns))
    for _, row in table.iterrows():
        cells = [f"{row[c]:.3f}" if isinstance(row[c], float) else str(row[c])
                 for c in columns]
        lines.append("   * - " + "\n     - ".join(cells))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--origins", type=int, default=12)
    parser.add_argument("--quick", action="store_true", help="sample and one synthetic set")
    parser.add_argument("--rst", action="store_true", help="also print RST tables")
    args = parser.parse_args()
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 200)
    data = datasets(args.quick)
    mimic = SHARED / "mimic-iv-demo" / "hosp" / "admissions.csv.gz"
    if mimic.is_file():
        adm = hp.adapters.from_mimic(pd.read_csv(mimic))
        years = adm["admission_date"].dt.year
        print(f"MIMIC-IV demo: {len(adm)} admissions over {years.max() - years.min() + 1} "
              f"years ({len(adm) / (years.max() - years.min() + 1):.1f} a year, dates "
              "shifted patient by patient): no series to forecast; left out.\n")
    t0 = time.perf_counter()
    table = main_table(data, args.origins)
    print(f"Backtest: {args.origins} origins, 28 days ahead (weekly: 8 weeks), "
          f"{time.perf_counter() - t0:.0f} s\n")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    alt = ets_table({k: v for k, v in data.items() if "Synthea" not in k}, args.origins)
    print("\nModel choice, daily admissions of the whole hospital:\n")
    print(alt.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    if args.rst:
        print()
        print(rst(compact(table), ["data", "target", "model", "seasonal naive", "mean",
                                   "80%", "95%", "PIT 80%", "PIT 95%"],
                  "Backtest: MASE of each method; coverage of the model's intervals"))
        print()
        print(rst(alt, ["data", "method", "mase", "coverage_80", "coverage_95"],
                  "Model choice"))


if __name__ == "__main__":
    main()
