//! A write the database refused, in words the editor can act on: each constraint of the
//! schema by name, and what still points at a row being deleted.

use std::borrow::Cow;

use super::EditError;
use crate::domain::{
    one_of, ConstraintKind, FindingKind, IdleCause, Measure, MeasureState, NodeKind, ParkLevel, ProjectStage, RoadClass, TransportStatus, Utility, Vocabulary,
};

/// A rule the database refused, in words the editor can act on.
pub(super) fn database_rule(e: sqlx::Error) -> EditError {
    let sqlx::Error::Database(d) = &e else { return EditError::Database(e) };
    let constraint = d.constraint().unwrap_or("");
    let words = rule_words(constraint);
    match d.code().as_deref() {
        Some("23505") => EditError::Clash(if words.is_empty() { format!("duplicate: {}", d.message()) } else { words.into() }),
        Some("23502") if words.is_empty() => {
            let column = d.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().and_then(|p| p.column());
            EditError::Refused(column.map(|c| format!("{c} is required")).unwrap_or_else(|| "a required value is missing".to_string()))
        }
        Some("23514" | "23503" | "23502") => {
            EditError::Refused(if words.is_empty() { format!("refused by the rule {constraint}: {}", d.message()) } else { words.into() })
        }
        Some(c) if c.starts_with("22") => EditError::Malformed(format!("a value is out of range or malformed: {}", d.message())),
        _ => EditError::Database(e),
    }
}

/// A CHECK that holds a column to a vocabulary, in the vocabulary's words.
fn vocabulary_rule(constraint: &str) -> Option<Cow<'static, str>> {
    Some(match constraint {
        "idle_records_kind_check" => must::<FindingKind>("kind"),
        "idle_records_cause_check" => must::<IdleCause>("cause"),
        "idle_records_measure_status_check" => must::<MeasureState>("measure_status"),
        "idle_records_measure_check" => must::<Measure>("measure"),
        "parks_level_check" => must::<ParkLevel>("level"),
        "parks_infrastructure_check" => format!("infrastructure lists only {}", Utility::codes().join(", ")).into(),
        "transport_nodes_kind_check" => must::<NodeKind>("kind"),
        "transport_nodes_status_check" | "roads_status_check" => must::<TransportStatus>("status"),
        "roads_class_check" => must::<RoadClass>("class"),
        "constraints_kind_check" => must::<ConstraintKind>("kind"),
        "projects_stage_check" => must::<ProjectStage>("stage"),
        _ => return None,
    })
}

/// "`field` must be a, b or c", from the field's vocabulary.
fn must<V: Vocabulary>(field: &str) -> Cow<'static, str> {
    format!("{field} must be {}", one_of::<V>()).into()
}

/// A broken constraint in the ledger's words (empty when it has none), for a writer's
/// refusal; an import checks some constraints set-wise and says them the same way.
pub fn rule_words(constraint: &str) -> Cow<'static, str> {
    if let Some(words) = vocabulary_rule(constraint) {
        return words;
    }
    let words: &'static str = match constraint {
        "plot_supplied_has_user" => "land that is supplied, built or in use needs land_user and supplied_on; land that is not has no land_user",
        "plot_code_unique_in_park" => "another plot of this park has that code",
        "plot_far_range" => "far_min must not exceed far_max",
        "plot_stalled_after_start" => "stalled_since needs actual_start, and must not be before it",
        "plots_land_use_fkey" | "projects_land_use_fkey" => "unknown land_use code (see the land-use classification)",
        "plots_status_fkey" => "unknown status code",
        "idle_records_plot_id_fkey" => "no plot has that plot_id",
        "idle_since_before_found" => "idle_since must not be after found_on",
        "parks_pkey" => "a park has that id already",
        "parks_id_check" | "transport_nodes_id_check" | "zones_id_check" => {
            "the id must be 1 to 32 letters, digits, '_' or '-', starting with a letter or digit (e.g. SZ-HY or GZ_Qingyuan)"
        }
        "parks_planned_area_km2_check" => "planned_area_km2 must be above 0",
        "parks_name_zh_check" | "transport_nodes_name_zh_check" => "name_zh must not be blank",
        "parks_city_check" => "city must not be blank",
        "transport_nodes_pkey" => "a transport node has that id already",
        "transport_nodes_opens_on_check" | "roads_opens_on_check" => "opens_on is for what is not open yet (an existing one has none), from 1900 to 2100",
        "roads_speed_kmh_check" => "speed_kmh must be above 0 and at most 130",
        "constraints_name_check" | "projects_name_check" => "name must not be blank",
        "projects_industry_check" => "industry must not be blank",
        "projects_demand_mu_check" => "demand_mu must be above 0",
        "projects_park_id_fkey" => "no park has that park_id",
        "project_plots_one_project" => "one of these plots was granted to another project at the same moment; read the projects again",
        "projects_investment_wan_check" | "projects_output_wan_check" | "projects_tax_wan_check" => "money figures must not be negative",
        "parks_zone_id_fkey" => "no zone has that zone_id",
        "zones_pkey" => "a zone has that id already",
        "zones_name_zh_check" | "zones_city_check" => "name_zh and city must not be blank",
        "targets_park_id_fkey" => "no park has that park_id",
        "targets_year_check" => "year must be from 2000 to 2100",
        "targets_indicator_check" => {
            "indicator must be projects_over_100m_yuan, projects, investment, industrial_investment, tax, output, industrial_output, value_added or cluster_output"
        }
        "targets_value_check" => "value must not be negative",
        "targets_unit_check" => "unit must be 个, 家, 万元 or 亿元",
        "targets_basis_check" => "basis must be cumulative, new_in_year, annual or unstated",
        "targets_bound_check" => "bound must be exact or at_least",
        "target_cluster_has_industry" => "a cluster_output target names its industry, and no other target does",
        "targets_label_zh_check" | "targets_source_check" => "label_zh and source must not be blank",
        "projects_revenue_wan_check" => "money figures must not be negative",
        "projects_build_from_check" | "projects_build_to_check" => "build years must be from 1990 to 2100",
        "project_build_years" => "build_from must not be after build_to",
        _ => "",
    };
    words.into()
}

/// What still points at a row being deleted, from the foreign key that refused it.
pub(super) fn referrer(table: &str, constraint: &str) -> String {
    match (table, constraint) {
        (_, "idle_records_plot_id_fkey") => "by idle-land findings".into(),
        (_, "project_plots_plot_id_fkey") => "by a project's plots".into(),
        (_, "plots_park_id_fkey") => "by its plots".into(),
        (_, "projects_park_id_fkey") => "by projects".into(),
        (_, "parks_zone_id_fkey") => "by its parks".into(),
        (_, "targets_park_id_fkey") => "by its targets".into(),
        (t, _) => format!("by rows of {t}"),
    }
}
