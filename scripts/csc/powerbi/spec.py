"""The Power BI decisions the dbt project does not state: which table plays which part in the
star, which date is each fact's active date, which code column a label table describes, which
column sorts which, display folders and formats. Everything else (tables, columns, types,
descriptions, the KPI catalogue) comes from the publication and the dbt manifest.
"""

from __future__ import annotations

MODEL_NAME = "csc"
FOLDER_PARAMETER = "PublishedFolder"
CULTURE = "en-GB"

# One-side keys: (table, column). Which columns are keys is dbt's to say: each must have dbt's
# unique and not_null tests (test_every_one_side_key_is_a_key_dbt_tests); the model builder
# also checks the published file before a relationship is written (Power BI refuses a
# refresh otherwise), as the privacy scan checks it for people: a guard, not a definition.
#   dim_la.la_code      unique on its own (the DfE LA number)
#   dim_date.date_day   unique on its own
#   dim_kpi.kpi_code    unique on its own
#   dim_child.child_key unique on its own: a keyed hash of la_code and the person id, so two
#                       councils' children never share one (dbt tests it alone and with la_code)
#   *_label.code        unique on its own within its code list (one table per list)
#   fct_assessments.assessment_ref  la_code & "|" & assessment_id, added in Power Query: an
#                       assessment id is unique only within a council
DIMENSION_KEYS = {
    "dim_la": "la_code",
    "dim_date": "date_day",
    "dim_kpi": "kpi_code",
    "dim_child": "child_key",
}

# Composite keys made single columns in Power Query (table -> (new column, parts)).
DERIVED_KEYS = {
    "fct_assessments": ("assessment_ref", ("la_code", "assessment_id")),
    "bridge_assessment_factors": ("assessment_ref", ("la_code", "assessment_id")),
}
# Extra one-side keys on fact tables (for bridges): (from table, key column) -> to tables.
FACT_TO_BRIDGE = {("fct_assessments", "assessment_ref"): ("bridge_assessment_factors",)}

# The active date of each fact (the others relate to dim_date inactive, for USERELATIONSHIP).
# A table not listed uses its first date column.
ACTIVE_DATE = {
    "fct_contacts": "contact_date",
    "fct_early_help": "episode_start_date",
    "fct_referrals": "referral_date",
    "fct_cin_episodes": "episode_start_date",
    "fct_assessments": "assessment_auth_date",
    "fct_cin_plans": "plan_start_date",
    "fct_children_in_need_month_end": "month_end",
    "fct_s47_enquiries": "s47_start_date",
    "fct_icpcs": "icpc_date",
    "fct_cp_plans": "plan_start_date",
    "fct_cp_plans_month_end": "month_end",
    "kpi_values": "period_end",
    "kpi_scorecard": "period_end",
    "kpi_report_periods": "period_end",
}
# Date columns never related to dim_date (outside the calendar, or not an event date).
UNRELATED_DATES = {
    ("dim_child", "birth_month"),
    ("dim_date", "*"),
    ("kpi_scorecard", "previous_fy_start"),
    # the span of the council's figures, the same on every row: not an event date
    ("kpi_report_periods", "figures_start"),
    ("kpi_report_periods", "figures_end"),
}

# Label table -> the code columns it describes. The first column listed in a table is the
# active relationship; others in the same table are inactive.
LABELS = {
    "dim_cp_category_label": ("initial_category_code", "latest_category_code"),
    "dim_primary_need_label": ("primary_need_code",),
    "dim_referral_source_label": ("referral_source_code", "contact_source_code"),
    "dim_closure_reason_label": ("close_reason_code",),
    "dim_ethnicity_label": ("ethnicity_code",),
    "dim_sex_label": ("sex",),
    "dim_assessment_factor_label": ("factor_code",),
    "dim_period_type_label": ("period_type",),
    "dim_report_section_label": ("report_section",),
    "dim_rag_status_label": ("rag_status",),
    "dim_direction_of_travel_label": ("direction_of_travel",),
    "dim_dq_severity_label": ("severity",),
    "dim_early_help_purpose_label": ("record_purpose",),
    "dim_polarity_label": ("polarity",),
    "dim_measure_type_label": ("measure_type",),
    "dim_unit_label": ("unit",),
    "dim_comparison_basis_label": ("comparison_basis",),
    "dim_dq_rule_source_label": ("rule_source",),
}
# Labels of the KPI catalogue's codes relate to dim_kpi only: the KPI tables carry copies of
# those columns, and relating them too would give a second path (label -> dim_kpi -> kpi_*).
LABEL_TABLES = dict.fromkeys(
    ("dim_polarity_label", "dim_measure_type_label", "dim_unit_label", "dim_comparison_basis_label"), ("dim_kpi",)
)

# Sort-by: (table, column) -> the column it sorts by. Written only where both exist and the
# data has one sort value per value (Power BI refuses otherwise).
SORT_BY = {
    ("dim_date", "day_name"): "day_of_week",
    ("dim_date", "financial_quarter_label"): "quarter_start",
    ("dim_date", "financial_year"): "financial_year_start",
    ("dim_date", "month_label"): "month_start",
    ("dim_kpi", "kpi_name"): "display_order",
    ("kpi_values", "period_label"): "period_end",
    ("kpi_scorecard", "period_label"): "period_end",
}
# Calculated columns added by the model (table -> [(name, DAX, data type, format)]).
CALCULATED_COLUMNS = {
    "dim_date": [("month_label", "FORMAT('dim_date'[month_start], \"mmm yyyy\")", "string", None)],
}

DATE_FORMAT = "d mmm yyyy"
FORMATS = {"int64": "#,0", "double": "#,0.0", "decimal": "#,0.0", "dateTime": DATE_FORMAT}

# Formats of KPI measures by the catalogue's unit (percentages are ratios in the measures).
UNIT_FORMATS = {
    "count": "#,0",
    "percent": "0.0%",
    "count per month": "#,0.0",
    "per 10000": "#,0.0",
}

# Colours for conditional formatting: each has a contrast of at least 4.5:1 on white (WCAG AA
# for text; checked in the tests), so it can colour text or a cell with white text.
RAG_COLOURS = {"GREEN": "#00703C", "AMBER": "#8A4B00", "RED": "#B10E1E"}
DIRECTION_COLOURS = {
    "improving": "#00703C",
    "worsening": "#B10E1E",
    "no change": "#505050",
    "up": "#505050",
    "down": "#505050",
    "provisional": "#505050",
}


# Display folders of columns, by what a column holds.
def column_folder(name: str, data_type: str, key_columns: set[str]) -> str:
    if name in key_columns or name.endswith(("_id", "_key", "_ref")) or name == "la_code":
        return "Keys"
    if data_type == "dateTime" or name.endswith(("_date", "_start", "_end", "_day", "_month")):
        return "Dates"
    if data_type == "boolean":
        return "Flags"
    if name.endswith(("_code", "_codes")):
        return "Codes"
    if name.endswith("_display"):
        return "As published (text)"
    if data_type in ("int64", "double", "decimal"):
        return "Numbers"
    return "Details"


def table_role(name: str) -> str:
    """dimension, label or fact (facts, bridges, KPI and data-quality tables)."""
    if name.endswith("_label"):
        return "label"
    if name.startswith("dim_"):
        return "dimension"
    return "fact"
