"""The fictional hospital behind the synthetic data: its wards, case mix and prices.

Everything here is a plain constant; :mod:`hospitalytics.datasets._synthetic` turns the
tables into numpy lookup arrays once per call. The numbers are plausible, not real: they
are chosen so that the generated stays look like a district general hospital's extract
(case mix by department, young patients in Paediatrics, maternity care in Obstetrics,
chemotherapy mostly as day cases, long stays among the elderly).
"""

from __future__ import annotations

#: Hospital sites, in category order.
LOCATIONS: tuple[str, ...] = ("North Campus", "South Campus", "Riverside Hospital")

#: Departments (clinical specialties), in category order, with their share of admissions.
#: The shares balance the departments' beds rather than their admissions: departments
#: with short stays (day-case chemotherapy, maternity, assessment) admit more patients per
#: bed, so every ward of :data:`WARDS` needs a similar number of beds (20-35 beds for
#: about 50,000 stays over two years, as in the bundled sample).
DEPARTMENTS: dict[str, float] = {
    "Cardiology": 0.08,
    "Emergency Medicine": 0.135,
    "General Medicine": 0.21,
    "General Surgery": 0.145,
    "Obstetrics": 0.12,
    "Oncology": 0.11,
    "Orthopaedics": 0.12,
    "Paediatrics": 0.08,
}

#: Wards, in category order: ``name: (department, location, share of the department)``.
#: Every ward belongs to exactly one department and one location: the acute wards on the
#: two campuses, elderly care and elective orthopaedics at Riverside Hospital.
WARDS: dict[str, tuple[str, str, float]] = {
    "Cardio A": ("Cardiology", "North Campus", 1.00),
    "Acute Assessment": ("Emergency Medicine", "South Campus", 1.00),
    "Medical 1": ("General Medicine", "North Campus", 0.325),
    "Medical 2": ("General Medicine", "South Campus", 0.30),
    "Elderly Care": ("General Medicine", "Riverside Hospital", 0.375),
    "Surgical 1": ("General Surgery", "South Campus", 0.52),
    "Surgical 2": ("General Surgery", "North Campus", 0.48),
    "Maternity": ("Obstetrics", "North Campus", 1.00),
    "Oncology Unit": ("Oncology", "South Campus", 1.00),
    "Ortho Trauma": ("Orthopaedics", "South Campus", 0.55),
    "Ortho Elective": ("Orthopaedics", "Riverside Hospital", 0.45),
    "Paediatric Ward": ("Paediatrics", "North Campus", 1.00),
}

#: Treatment types, in category order, with
#: ``(same-day probability, median nights if overnight, median base cost, cost per night)``.
TREATMENTS: dict[str, tuple[float, float, float, float]] = {
    "Chemotherapy": (0.80, 3.0, 2900.0, 520.0),
    "Diagnostic imaging": (0.45, 2.0, 420.0, 480.0),
    "Dialysis": (0.85, 3.0, 380.0, 520.0),
    "Intensive care": (0.00, 6.0, 9800.0, 2100.0),
    "Maternity care": (0.08, 1.5, 2400.0, 560.0),
    "Medication": (0.08, 3.5, 650.0, 480.0),
    "Observation": (0.35, 1.2, 350.0, 450.0),
    "Physiotherapy": (0.10, 6.0, 480.0, 430.0),
    "Surgery": (0.10, 3.0, 5200.0, 620.0),
}

#: Treatment mix per department (rows are normalised when used).
CASE_MIX: dict[str, dict[str, float]] = {
    "Cardiology": {
        "Medication": 0.40, "Diagnostic imaging": 0.20, "Observation": 0.13, "Surgery": 0.12,
        "Intensive care": 0.08, "Physiotherapy": 0.04, "Dialysis": 0.03,
    },
    "Emergency Medicine": {
        "Observation": 0.45, "Medication": 0.25, "Diagnostic imaging": 0.20,
        "Intensive care": 0.04, "Surgery": 0.03, "Physiotherapy": 0.03,
    },
    "General Medicine": {
        "Medication": 0.45, "Observation": 0.10, "Diagnostic imaging": 0.08, "Dialysis": 0.08,
        "Physiotherapy": 0.21, "Intensive care": 0.04, "Surgery": 0.02, "Chemotherapy": 0.02,
    },
    "General Surgery": {
        "Surgery": 0.65, "Observation": 0.10, "Medication": 0.10, "Diagnostic imaging": 0.07,
        "Intensive care": 0.05, "Physiotherapy": 0.03,
    },
    "Obstetrics": {
        "Maternity care": 0.85, "Surgery": 0.08, "Observation": 0.05, "Medication": 0.02,
    },
    "Oncology": {
        "Chemotherapy": 0.55, "Medication": 0.15, "Diagnostic imaging": 0.10, "Surgery": 0.10,
        "Observation": 0.05, "Intensive care": 0.02, "Physiotherapy": 0.03,
    },
    "Orthopaedics": {
        "Surgery": 0.55, "Physiotherapy": 0.25, "Diagnostic imaging": 0.08, "Medication": 0.07,
        "Observation": 0.05,
    },
    "Paediatrics": {
        "Medication": 0.40, "Observation": 0.35, "Diagnostic imaging": 0.10, "Surgery": 0.08,
        "Intensive care": 0.04, "Physiotherapy": 0.03,
    },
}

#: Age at admission per department: ``(mean, standard deviation, lowest, highest)``,
#: drawn from a clipped normal distribution and rounded to whole years.
AGES: dict[str, tuple[float, float, float, float]] = {
    "Cardiology": (70.0, 12.0, 25.0, 100.0),
    "Emergency Medicine": (48.0, 24.0, 0.0, 100.0),
    "General Medicine": (74.0, 13.0, 18.0, 100.0),
    "General Surgery": (56.0, 18.0, 16.0, 100.0),
    "Obstetrics": (31.0, 5.5, 16.0, 48.0),
    "Oncology": (64.0, 12.0, 18.0, 100.0),
    "Orthopaedics": (58.0, 22.0, 5.0, 100.0),
    "Paediatrics": (6.0, 5.0, 0.0, 17.0),
}

#: Relative admissions by hour of day (0-23) for overnight stays: emergencies around the
#: clock, elective admissions in the morning.
HOURS_OVERNIGHT: tuple[float, ...] = (
    2.0, 1.5, 1.2, 1.0, 1.0, 1.2, 2.0, 3.5, 6.0, 7.0, 7.5, 7.5,
    7.0, 7.0, 6.8, 6.5, 6.2, 6.0, 5.5, 5.0, 4.5, 4.0, 3.2, 2.5,
)

#: Relative admissions by hour of day for same-day stays (day cases, short observation).
HOURS_SAME_DAY: tuple[float, ...] = (
    0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 3.0, 9.0, 9.0, 8.0, 7.0,
    6.0, 5.5, 5.0, 4.0, 3.0, 2.0, 1.5, 1.0, 0.6, 0.4, 0.2, 0.1,
)

#: Relative admissions by weekday, Monday first.
WEEKDAYS: tuple[float, ...] = (1.12, 1.08, 1.05, 1.03, 1.00, 0.82, 0.78)

#: Amplitude of the winter peak: the daily rate is ``1 + SEASONALITY * cos(...)``, highest
#: around 20 January and lowest in July.
SEASONALITY: float = 0.18
