"""The engine's shape (issue 12): one contract, no private reaches, no name clashes.

- no module imports (or reaches into) another module's underscore names: the engine's
  private modules expose a small contract of public names (as seaborn's
  ``_statistics.py``), documented in ``docs/architecture.rst``;
- no module is over 900 lines;
- a package attribute never shadows a submodule of the same name;
- ``hospitalytics.__all__`` is pinned exactly (httpx ``tests/test_exported_members.py``);
- errors carry their context, and a wrong type is a ``TypeError``;
- one stack-level walker for every warning;
- each KPI is one spec, and the pandas scheduler's thread chunks give the one-chunk result.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics import kpis
from hospitalytics._frame import setup
from hospitalytics.capacity import normalize_beds
from hospitalytics.errors import ArgumentError, ArgumentTypeError, DataQualityWarning
from hospitalytics.kpis import _beds, _breakdowns, _counts, _los, _readmissions, _summary
from hospitalytics.kpis._specs import Plan, Spec, run

SRC = Path(hp.__file__).resolve().parent
PACKAGE_ROOT = SRC.parent


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(PACKAGE_ROOT).with_suffix("").parts)
    is_pkg = parts[-1] == "__init__"
    if is_pkg:
        parts = parts[:-1]
    return ".".join(parts), is_pkg


def _resolve(current: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = current.split(".")
    if not is_pkg:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_module(dotted: str) -> bool:
    path = PACKAGE_ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def private_reaches(root: Path = SRC) -> list[str]:
    """``from x import _name`` and ``module._name`` across modules of the package."""
    found = []
    for path in sorted(root.rglob("*.py")):
        current, is_pkg = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _resolve(current, is_pkg, node)
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    if _is_module(full):  # a (private) module: its public names are fine
                        modules[alias.asname or alias.name] = full
                    elif (alias.name.startswith("_") and not alias.name.startswith("__")
                          and source != current):
                        found.append(f"{path.name}:{node.lineno} from {source} import "
                                     f"{alias.name}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("hospitalytics"):
                        modules[alias.asname or alias.name.split(".")[0]] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in modules and node.attr.startswith("_")
                    and not node.attr.startswith("__")
                    and not _is_module(f"{modules[node.value.id]}.{node.attr}")):
                found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    return found


#: Reaches owned by another branch, to be removed there (the report's payload: the privacy
#: work moves it behind a public name).
KNOWN_REACHES = {"cli.py:435 from hospitalytics.report import _payload"}


def test_no_module_reaches_into_another_modules_private_names():
    assert set(private_reaches()) <= KNOWN_REACHES


def test_the_reach_check_can_fail(tmp_path):
    pkg = tmp_path / "hospitalytics"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def _secret():\n    return 1\n")
    (pkg / "b.py").write_text("from .a import _secret\nfrom . import a\nx = a._secret\n")
    global PACKAGE_ROOT
    saved, PACKAGE_ROOT = PACKAGE_ROOT, tmp_path
    try:
        assert len(private_reaches(pkg)) == 2
    finally:
        PACKAGE_ROOT = saved


#: Modules over the limit that belong to another concern's next split.
KNOWN_LONG = {"analysis/forecast.py"}


def test_no_module_over_900_lines():
    long = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 900}
    assert set(long) <= KNOWN_LONG, long


def test_no_attribute_shadows_a_submodule():
    clashes = []
    pytest.importorskip("dask.dataframe")
    import hospitalytics.dask  # noqa: F401
    import hospitalytics.plots  # noqa: F401

    def walk(package):
        for info in pkgutil.iter_modules(package.__path__):
            full = f"{package.__name__}.{info.name}"
            module = importlib.import_module(full)
            if getattr(package, info.name, module) is not module:
                clashes.append(full)
            if info.ispkg:
                walk(module)

    walk(hp)
    assert clashes == []


def test_old_census_module_path_still_imports_with_a_warning():
    with pytest.warns(DeprecationWarning, match="hospitalytics._sweep"):
        from hospitalytics.census import Stays
    assert Stays is hp._sweep.Stays
    assert callable(hp.census) and hp.census is kpis.census


EXPECTED_ALL = [
    "ArgumentError", "ArgumentTypeError", "CleaningReport", "DataQualityError",
    "DataQualityWarning", "Definitions", "HospitalAccessor", "HospitalyticsError",
    "SchemaError", "__version__", "adapters", "admissions", "alos", "analysis",
    "average_daily_census", "backtest", "bed_board", "bed_days", "bed_turnover",
    "by_age_group", "by_treatment", "census", "census_at", "clock", "daily_presence",
    "datasets", "definitions", "discharges",
    "errors", "forecast_admissions", "forecast_census", "kpi_spc", "kpis", "long_stays",
    "los_distribution", "monthly", "monthly_occupancy_by_ward", "occupancy",
    "occupancy_by_ward", "occupancy_profile", "periods", "read", "readmission_rate",
    "schema", "spc",
    "standardize", "summary", "treatment_cost",
]


def test_exported_members_are_pinned_exactly():
    # Changing the public surface must be a deliberate act: update this list with it.
    assert hp.__all__ == EXPECTED_ALL
    exported = {n for n in dir(hp) if not n.startswith("_")}
    modules = {n for n in exported if inspect.ismodule(getattr(hp, n))}
    # every public attribute is exported, except the submodules imported on the way
    assert exported - set(hp.__all__) <= modules


# ----------------------------------------------------------------------- errors
@pytest.mark.parametrize("call", [
    lambda df: hp.admissions([1, 2, 3]),
    lambda df: hp.occupancy(df, beds=3),
    lambda df: hp.alos(df, definitions=3),
    lambda df: hp.standardize("stays.csv"),
    lambda df: hp.readmission_rate(df, exclude_dispositions=3.5),
], ids=["frame", "beds", "definitions", "standardize", "dispositions"])
def test_a_wrong_type_is_a_type_error_with_its_context(call):
    df = hp.datasets.load_sample()
    with pytest.raises(TypeError) as info:
        call(df)
    err = info.value
    assert isinstance(err, ArgumentTypeError) and isinstance(err, ArgumentError)
    assert isinstance(err, ValueError)  # existing except-ValueError code keeps working
    assert err.argument and err.allowed


def test_argument_errors_carry_argument_value_and_allowed():
    df = hp.datasets.load_sample()
    with pytest.raises(ArgumentError, match="basis must be") as info:
        hp.treatment_cost(df, basis="payment")
    assert (info.value.argument, info.value.value) == ("basis", "payment")
    assert info.value.allowed == ("admission", "discharge")
    with pytest.raises(ArgumentError) as info:
        hp.admissions(df, by="colour")
    assert (info.value.argument, info.value.value) == ("by", "colour")
    assert "ward" in info.value.allowed
    with pytest.raises(ArgumentError) as info:
        hp.readmission_rate(df, follow_up="some")
    assert info.value.allowed == ("complete", "partial")
    with pytest.raises(ArgumentError) as info:
        hp.alos(df, definitions="who-ish")
    assert info.value.argument == "definitions" and "who" in info.value.allowed
    assert str(info.value).startswith("unknown definitions preset 'who-ish'")


def test_argument_errors_pickle_with_their_context():
    import pickle

    err = ArgumentTypeError("bad", argument="beds", value=3, allowed=("dict",))
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is ArgumentTypeError
    assert (back.argument, back.value, back.allowed, str(back)) == ("beds", 3, ("dict",),
                                                                    "bad")


# --------------------------------------------------------------------- warnings
def test_one_stack_level_walker():
    walkers = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
               if "currentframe()" in p.read_text(encoding="utf-8")]
    assert walkers == ["_warn.py"]


def test_warnings_point_at_the_callers_line():
    df = hp.datasets.load_sample().assign(cost=np.nan)
    with pytest.warns(DataQualityWarning, match="no cost") as record:
        hp.treatment_cost(df, mtd=True)
    assert record[0].filename == __file__
    with pytest.warns(DataQualityWarning, match="no cost") as record:
        df.hospital.monthly()
    assert record[0].filename == __file__


# ------------------------------------------------------------------------ specs
SPEC_MODULES = (_counts, _los, _beds, _readmissions, _breakdowns, _summary)


def test_every_kpi_is_one_spec():
    specs = {obj.name: obj for m in SPEC_MODULES for obj in vars(m).values()
             if isinstance(obj, Spec)}
    functions = [n for n in kpis.__all__ if inspect.isfunction(getattr(kpis, n))]
    assert sorted(specs) == sorted(functions)
    for name in functions:  # the function runs its spec
        assert specs[name].name.upper() in inspect.getsource(getattr(kpis, name))


SPLIT_SPECS = [
    ("ADMISSIONS", _counts, {"by": "ward"}), ("DISCHARGES", _counts, {}),
    ("TREATMENT_COST", _counts, {"by": ("location", "treatment"), "basis": "admission"}),
    ("ALOS", _los, {"by": "department"}), ("LONG_STAYS", _los, {"thresholds": (3, 7)}),
    ("LOS_DISTRIBUTION", _los, {"by": "ward", "bands": (0, 1, 4)}),
    ("CENSUS", _beds, {"by": "ward"}), ("BED_DAYS", _beds, {"by": "age_group"}),
    ("OCCUPANCY_BY_WARD", _beds, {"beds": "BEDS"}), ("BED_BOARD", _beds, {"beds": "BEDS"}),
    ("MONTHLY_OCCUPANCY_BY_WARD", _beds, {"beds": "BEDS"}),
    ("MONTHLY", _breakdowns, {"beds": "BEDS", "has": "HAS"}),
]


@pytest.mark.parametrize(("spec", "module", "options"), SPLIT_SPECS,
                         ids=[s[0] for s in SPLIT_SPECS])
def test_thread_chunks_give_the_one_chunk_result(spec, module, options):
    df = hp.datasets.make_stays(3_000, seed=4, start="2024-06-01", end="2025-02-28")
    beds = normalize_beds(hp.datasets.make_beds(df))
    spec = getattr(module, spec)
    options = dict(options)
    by = options.pop("by", None)
    options = {k: {"BEDS": beds}.get(v, v) if isinstance(v, str) else v
               for k, v in options.items()}
    ctx = setup(df, needs=spec.needs, wants=(*spec.wants, "cost", "ward", "age"), by=by)
    if options.get("has") == "HAS":
        options["has"] = tuple(ctx.frame.columns)
    plan = Plan.of(ctx, spec.name, by=by, **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        one = run(spec, ctx, plan)
        threaded = run(spec, ctx, plan, threads=3)
    if isinstance(one, pd.DataFrame):
        pd.testing.assert_frame_equal(threaded, one, check_exact=False, rtol=1e-12)
    elif isinstance(one, pd.Series):
        pd.testing.assert_series_equal(threaded, one, check_exact=False, rtol=1e-12)
    else:
        assert threaded == pytest.approx(one, rel=1e-12)


# -------------------------------------------- the worked example of the architecture page
def _deaths_chunk(ctx, plan):
    """In-hospital deaths: stays discharged in the period whose disposition is a death."""
    from hospitalytics.definitions import classify_dispositions
    from hospitalytics.kpis._kernels import count_partial, discharged

    ev = ctx.events()
    died = classify_dispositions(ev.discharge_frame["discharge_disposition"]).eq("died")
    return count_partial(discharged(ev, plan.period) & died.to_numpy(), ev.discharge_frame,
                         plan.by)


DEATHS = Spec("deaths", _deaths_chunk,
              lambda total, plan: kpis._specs.grouped(total, plan.by, name="deaths",
                                                      dtype="int64"),
              needs=("discharge_date", "discharge_disposition"),
              wants=("stay_id", "patient_id"), events=True)


def test_a_new_kpi_runs_on_both_schedulers():
    df = hp.datasets.make_stays(400, seed=3, start="2025-01-01", end="2025-03-31")
    df["discharge_disposition"] = np.where(np.arange(len(df)) % 9 == 0, "Died", "Home")
    df.loc[df["discharge_date"].isna(), "discharge_disposition"] = None
    ctx = setup(df, start="2025-02-01", end="2025-02-28", needs=DEATHS.needs,
                wants=DEATHS.wants, by="ward")
    got = run(DEATHS, ctx, Plan.of(ctx, "deaths", by="ward"))
    # by hand: rows discharged in February whose disposition is "Died"
    dis = df["discharge_date"]
    hand = df[(dis >= "2025-02-01") & (dis < "2025-03-01")
              & (df["discharge_disposition"] == "Died")]
    assert got.sum() == len(hand) > 0
    assert got[got > 0].to_dict() == hand["ward"].astype(str).value_counts().to_dict()
    dd = pytest.importorskip("dask.dataframe")
    from hospitalytics.dask._scheduler import run_spec

    ddf = dd.from_pandas(df, npartitions=3)
    lazy = run_spec(ddf, DEATHS, by="ward", start="2025-02-01", end="2025-02-28")
    pd.testing.assert_series_equal(lazy, got)
