//! The schema readable in one place: `schema/schema.sql` is the dump of a freshly
//! migrated database (the migrations, then schema/functions/), and this test fails when
//! the two drift apart. `scripts/schema-dump.sh` writes the file again.

mod common;

const HEADER: &str = "-- parkland's schema as the migrations and schema/functions/ make it: pg_dump --schema-only\n\
-- of a freshly migrated database, without its session settings. Written by\n\
-- scripts/schema-dump.sh; tests/schema_dump.rs fails when it drifts from the migrations.\n";

/// The dump without what differs from run to run (pg_dump's \restrict key, versions,
/// session settings), blank lines collapsed.
fn normalised(dump: &str) -> String {
    let mut out = String::from(HEADER);
    let mut blank = true;
    for line in dump.lines() {
        if line.starts_with('\\') || line.starts_with("-- Dumped") || line.starts_with("SET ") || line.starts_with("SELECT pg_catalog.set_config") {
            continue;
        }
        if line.trim().is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        blank = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[tokio::test]
async fn the_committed_schema_is_what_the_migrations_make() {
    let db = common::empty().await;
    let out = std::process::Command::new("pg_dump")
        .args(["--schema-only", "--no-owner", "--no-privileges", "--dbname", &db.url()])
        .output()
        .expect("pg_dump runs (postgresql-client, installed by scripts/setup-system.sh)");
    assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
    let now = normalised(&String::from_utf8(out.stdout).expect("UTF-8"));
    let path = common::repo_dir().join("schema/schema.sql");
    if std::env::var_os("PARKLAND_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &now).expect("write schema/schema.sql");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != now {
        let first = committed.lines().zip(now.lines()).position(|(a, b)| a != b).unwrap_or(committed.lines().count().min(now.lines().count()));
        panic!(
            "schema/schema.sql differs from the migrated schema from line {} on (committed: {:?}, now: {:?}); if the change is meant, run scripts/schema-dump.sh and commit the file",
            first + 1,
            committed.lines().nth(first),
            now.lines().nth(first)
        );
    }
}

/// Two processes starting at once both define every function: the advisory lock orders
/// them (without it, PostgreSQL refuses one: "tuple concurrently updated").
#[tokio::test]
async fn two_processes_define_the_functions_at_once_without_colliding() {
    let db = common::empty().await;
    let other = sqlx::PgPool::connect(&db.url()).await.expect("a second pool");
    for _ in 0..5 {
        let (a, b) = tokio::join!(parkland::db::schema::apply(&db.pool), parkland::db::schema::apply(&other));
        a.expect("the first process");
        b.expect("the second process");
    }
    other.close().await;
}
