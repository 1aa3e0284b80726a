//! Finding the PostgreSQL server and PostGIS the embedded cluster runs on.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::embedded::{EmbeddedError, PACKAGES_HINT};

/// Where the PostgreSQL binaries and the PostGIS extension files are.
#[derive(Debug, Clone)]
pub struct Installation {
    pub bin_dir: PathBuf,
    pub major: String,
}

impl Installation {
    /// Finds the newest PostgreSQL server with PostGIS installed: `PARKLAND_PG_BIN` if set,
    /// else Debian's `/usr/lib/postgresql/<major>/bin`, else the `bin` of `pg_config` on PATH.
    pub fn find() -> Result<Installation, EmbeddedError> {
        let mut candidates: Vec<PathBuf> = Vec::new();
        if let Ok(dir) = std::env::var("PARKLAND_PG_BIN") {
            candidates.push(PathBuf::from(dir));
        } else {
            let mut majors: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| {
                    let major: u32 = e.file_name().to_str()?.parse().ok()?;
                    Some((major, e.path().join("bin")))
                })
                .collect();
            majors.sort_by_key(|m| std::cmp::Reverse(m.0));
            candidates.extend(majors.into_iter().map(|(_, p)| p));
            if let Some(dir) = command_output("pg_config", &["--bindir"]) {
                candidates.push(PathBuf::from(dir));
            }
        }
        let searched = candidates.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        let bin_dir =
            candidates.into_iter().find(|dir| dir.join("initdb").is_file() && dir.join("postgres").is_file()).ok_or(EmbeddedError::BinariesMissing {
                searched: if searched.is_empty() { "/usr/lib/postgresql/*/bin".into() } else { searched },
                hint: PACKAGES_HINT,
            })?;
        let version = command_output(bin_dir.join("postgres").to_str().unwrap_or("postgres"), &["--version"])
            .ok_or_else(|| EmbeddedError::Command { what: format!("{} --version", bin_dir.join("postgres").display()), detail: "no output".into() })?;
        // "postgres (PostgreSQL) 15.20 (Debian ...)" -> "15"
        let major = version.split_whitespace().nth(2).and_then(|v| v.split('.').next()).unwrap_or("").to_string();
        let share = command_output(bin_dir.join("pg_config").to_str().unwrap_or("pg_config"), &["--sharedir"])
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(format!("/usr/share/postgresql/{major}")));
        let control = share.join("extension").join("postgis.control");
        if !control.is_file() {
            return Err(EmbeddedError::PostgisMissing { major, control, hint: PACKAGES_HINT });
        }
        Ok(Installation { bin_dir, major })
    }
}

pub(super) fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
