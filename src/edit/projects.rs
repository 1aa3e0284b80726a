//! A project's plots (`plot_ids`, rows of `project_plots`): plots that exist, lie in the
//! project's park, and were granted to no other project.

use super::EditError;

/// Sets the project's plots to `plot_ids` when given, then checks the plots it has against
/// its park (which the same write may have changed).
pub(super) async fn set_plots(tx: &mut sqlx::PgConnection, project: &str, plot_ids: Option<&[i64]>) -> Result<(), EditError> {
    let project: i64 = project.parse().map_err(|_| EditError::Missing(format!("project {project}")))?;
    if let Some(given) = plot_ids {
        let mut ids = given.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let unknown: Vec<i64> = sqlx::query_scalar("SELECT i FROM unnest($1::bigint[]) i WHERE NOT EXISTS (SELECT 1 FROM plots WHERE id = i) ORDER BY i")
            .bind(&ids)
            .fetch_all(&mut *tx)
            .await?;
        if !unknown.is_empty() {
            return Err(EditError::Refused(format!("no plot {}", list(&unknown))));
        }
        // For the message; two projects taking one plot at once are told apart by the
        // unique index project_plots_one_project.
        let taken: Option<(String, i64, String)> = sqlx::query_as(
            "SELECT p.code, j.id, j.name FROM project_plots pp JOIN plots p ON p.id = pp.plot_id JOIN projects j ON j.id = pp.project_id
             WHERE pp.plot_id = ANY($1) AND pp.project_id <> $2 ORDER BY p.code LIMIT 1",
        )
        .bind(&ids)
        .bind(project)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((code, other, name)) = taken {
            return Err(EditError::Clash(format!("plot {code} was granted to project {other} ({name}); take it from that project first")));
        }
        sqlx::query("DELETE FROM project_plots WHERE project_id = $1").bind(project).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO project_plots (project_id, plot_id) SELECT $1, unnest($2::bigint[])")
            .bind(project)
            .bind(&ids)
            .execute(&mut *tx)
            .await
            .map_err(super::database_rule)?;
    }
    let parks: Vec<(Option<String>, String, String)> = sqlx::query_as(
        "SELECT j.park_id, p.park_id, string_agg(p.code, ', ' ORDER BY p.code)
         FROM projects j JOIN project_plots pp ON pp.project_id = j.id JOIN plots p ON p.id = pp.plot_id
         WHERE j.id = $1 GROUP BY j.park_id, p.park_id ORDER BY p.park_id",
    )
    .bind(project)
    .fetch_all(&mut *tx)
    .await?;
    match parks.as_slice() {
        [] | [(None, _, _)] => Ok(()),
        [(Some(park), plots_park, _)] if park == plots_park => Ok(()),
        [(Some(park), plots_park, codes)] => Err(EditError::Refused(format!("the project is in park {park}, but its plots {codes} lie in park {plots_park}"))),
        many => Err(EditError::Refused(format!(
            "a project's plots lie in one park; these lie in {}",
            many.iter().map(|(_, park, codes)| format!("{park} ({codes})")).collect::<Vec<_>>().join(" and ")
        ))),
    }
}

fn list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}
