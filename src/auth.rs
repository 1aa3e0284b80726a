//! API tokens and roles. A token is `pl_<id>_<secret>`: the id finds the row, the secret
//! is checked against the argon2 hash that is all the database keeps. `parkland token
//! create` prints a new token once; nobody can read it back.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// What a token may do; each role may do what the ones before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Viewer,
    /// Plots, idle records, projects, roads, transport nodes.
    Editor,
    /// Parks, constraints, tokens.
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

/// Who is asking: the token's name (written to the audit log) and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub role: Role,
    /// The token may write without If-Match or If-Unmodified-Since (`--blind-writes`), for
    /// clients that cannot send them; each such write is marked blind in the history.
    pub blind_writes: bool,
}

impl Actor {
    /// One who writes through parkland itself, not with a token (the command line).
    pub fn local(name: &str, role: Role) -> Actor {
        Actor { name: name.to_string(), role, blind_writes: false }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("this needs a token: send `Authorization: Bearer <token>`, or HTTP Basic with the token as the password (parkland token create)")]
    Missing,
    #[error("the token is not valid (unknown, revoked or mistyped)")]
    Invalid,
    #[error("the token '{name}' has the role {has}; this needs {needs}")]
    Forbidden { name: String, has: &'static str, needs: &'static str },
    /// Token checks are all taken and a request waited `VERIFY_WAIT` for one.
    #[error("too many token checks at once; try again shortly")]
    Busy,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Creates a token; returns it (shown once, never stored).
pub async fn create(pool: &PgPool, name: &str, role: Role) -> anyhow::Result<String> {
    insert_token(pool, name, role, false).await
}

/// Creates a token that may write without a precondition (`Actor::blind_writes`).
pub async fn create_for_blind_writes(pool: &PgPool, name: &str, role: Role) -> anyhow::Result<String> {
    insert_token(pool, name, role, true).await
}

async fn insert_token(pool: &PgPool, name: &str, role: Role, blind_writes: bool) -> anyhow::Result<String> {
    anyhow::ensure!(!name.trim().is_empty(), "a token needs a name (who or what uses it)");
    let mut bytes = [0u8; 24];
    OsRng.fill_bytes(&mut bytes);
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = Argon2::default()
        .hash_password(secret.as_bytes(), &SaltString::generate(&mut OsRng))
        .map_err(|e| anyhow::anyhow!("hashing the token: {e}"))?
        .to_string();
    let id: i64 = sqlx::query_scalar("INSERT INTO api_tokens (name, role, hash, blind_writes) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(name.trim())
        .bind(role.as_str())
        .bind(&hash)
        .bind(blind_writes)
        .fetch_one(pool)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => anyhow::anyhow!("a token named '{}' exists already", name.trim()),
            _ => e.into(),
        })?;
    Ok(format!("pl_{id}_{secret}"))
}

/// A token as listed: never its secret.
#[derive(Debug, sqlx::FromRow)]
pub struct Listed {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub blind_writes: bool,
    pub created: String,
    pub revoked: Option<String>,
}

/// Every token.
pub async fn list(pool: &PgPool) -> Result<Vec<Listed>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, role, blind_writes, to_char(created_at, 'YYYY-MM-DD HH24:MI') AS created, to_char(revoked_at, 'YYYY-MM-DD HH24:MI') AS revoked
         FROM api_tokens ORDER BY id",
    )
    .fetch_all(pool)
    .await
}

/// Revokes the token with this name; false when there is none still in force.
pub async fn revoke(pool: &PgPool, name: &str) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("UPDATE api_tokens SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL").bind(name).execute(pool).await?.rows_affected();
    Ok(n > 0)
}

/// How long a checked token is trusted without asking the database again: argon2 is slow
/// on purpose (tens of ms), and a private map asks for dozens of tiles at once. A revoked
/// token stops working within this time.
pub const VERIFIED_FOR: Duration = Duration::from_secs(60);

/// How long a token that failed is answered "invalid" without checking it again: a client
/// repeating a bad token costs a hash lookup, not an argon2 verification.
pub const REFUSED_FOR: Duration = Duration::from_secs(60);

/// Most tokens remembered of each outcome, kept apart so that failures, which anyone can
/// make, never push out tokens that passed; past it, the expired are forgotten, and then
/// the oldest tenth. 32 bytes of digest and an actor each: well under 10 MB.
pub const REMEMBERED_AT_MOST: usize = 50_000;

/// Longest a request waits for a verification slot before it is told to come back (503):
/// a flood of new bad tokens then holds connections for seconds, not for ever.
pub const VERIFY_WAIT: Duration = Duration::from_secs(5);

/// Most argon2 verifications at once. Each takes a core for ~20 ms; they run on the
/// blocking pool, never on the runtime's workers, and beyond this many they wait, so a
/// flood of bad tokens slows only the requests that carry tokens.
pub const VERIFYING_AT_MOST: usize = 2;

/// What a token digest was found to be, and when.
#[derive(Clone)]
enum Outcome {
    Passed(Actor),
    Failed,
}

/// Tokens by digest, with when they were read from the database.
type Remembered = HashMap<[u8; 32], (Outcome, Instant)>;

/// (passed, failed)
fn remembered() -> &'static Mutex<(Remembered, Remembered)> {
    static CACHE: OnceLock<Mutex<(Remembered, Remembered)>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// The outcome remembered for `key`, while it is still trusted.
fn recall(key: &[u8; 32]) -> Option<Outcome> {
    let cache = remembered().lock().expect("token cache");
    let passed = cache.0.get(key).filter(|(_, at)| at.elapsed() < VERIFIED_FOR);
    let failed = cache.1.get(key).filter(|(_, at)| at.elapsed() < REFUSED_FOR);
    passed.or(failed).map(|(o, _)| o.clone())
}

/// Whether `token` is one this process verified lately and found good: such a request
/// may be charged to its token, any other to its address (`rate_limit`).
pub fn recently_passed(token: &str) -> bool {
    let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
    matches!(recall(&key), Some(Outcome::Passed(_)))
}

fn verifying() -> &'static tokio::sync::Semaphore {
    static SLOTS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| tokio::sync::Semaphore::new(VERIFYING_AT_MOST))
}

static VERIFICATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// argon2 verifications run by this process: for tests that check a token took the
/// same path whether its id exists or not.
pub fn verifications() -> u64 {
    VERIFICATIONS.load(std::sync::atomic::Ordering::Relaxed)
}

/// The token an `Authorization` header carries: `Bearer <token>`, or HTTP Basic
/// (RFC 7617) with the token as the password and any user name — for clients whose only
/// way to send a secret is a user and a password (QGIS's Basic authentication).
pub fn token_of(authorization: &str) -> Option<String> {
    use base64::Engine;
    let (scheme, rest) = authorization.trim().split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(rest.trim().to_string());
    }
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(rest.trim()).ok()?;
    let pair = String::from_utf8(decoded).ok()?;
    let (_user, password) = pair.split_once(':')?;
    Some(password.to_string())
}

/// The actor behind an `Authorization` header, if it has at least `needs`.
pub async fn require(pool: &PgPool, authorization: Option<&str>, needs: Role) -> Result<Actor, AuthError> {
    let token = authorization.and_then(token_of).ok_or(AuthError::Missing)?;
    let actor = identify(pool, &token).await?;
    if actor.role < needs {
        return Err(AuthError::Forbidden { name: actor.name, has: actor.role.as_str(), needs: needs.as_str() });
    }
    Ok(actor)
}

/// The actor a token stands for: remembered, or verified now (and remembered).
pub async fn identify(pool: &PgPool, token: &str) -> Result<Actor, AuthError> {
    // Not of the form `pl_<id>_<secret>`: refused at no cost, and not remembered (anyone
    // could fill the memory with such strings for free).
    let (id, secret) = parse(token).ok_or(AuthError::Invalid)?;
    let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
    let outcome = match recall(&key) {
        Some(o) => o,
        None => {
            // Stamped before the database is read, so a token revoked meanwhile is
            // trusted at most VERIFIED_FOR after that read, not after a wait for a slot.
            let read_at = Instant::now();
            let outcome = match verify(pool, id, secret).await {
                Ok(actor) => Outcome::Passed(actor),
                Err(AuthError::Invalid) => Outcome::Failed,
                // The database's failure, or a wait too long, says nothing of the token.
                Err(e) => return Err(e),
            };
            remember(key, outcome.clone(), read_at);
            outcome
        }
    };
    match outcome {
        Outcome::Passed(actor) => Ok(actor),
        Outcome::Failed => Err(AuthError::Invalid),
    }
}

/// A token's id and secret, if it has the form parkland gives out.
fn parse(token: &str) -> Option<(i64, &str)> {
    let (id, secret) = token.strip_prefix("pl_")?.split_once('_')?;
    Some((id.parse().ok()?, secret)).filter(|(_, s)| !s.is_empty() && s.len() <= 128)
}

fn remember(key: [u8; 32], outcome: Outcome, at: Instant) {
    let mut cache = remembered().lock().expect("token cache");
    let (map, trusted_for) = match outcome {
        Outcome::Passed(_) => (&mut cache.0, VERIFIED_FOR),
        Outcome::Failed => (&mut cache.1, REFUSED_FOR),
    };
    if map.len() >= REMEMBERED_AT_MOST {
        map.retain(|_, (_, t)| t.elapsed() < trusted_for);
    }
    if map.len() >= REMEMBERED_AT_MOST {
        // The oldest tenth at once: a full map then costs one sort per 5,000 new tokens,
        // not a scan per token.
        let mut ages: Vec<([u8; 32], Instant)> = map.iter().map(|(k, (_, t))| (*k, *t)).collect();
        ages.sort_unstable_by_key(|(_, t)| *t);
        for (k, _) in ages.iter().take(REMEMBERED_AT_MOST / 10) {
            map.remove(k);
        }
    }
    map.insert(key, (outcome, at));
}

/// A hash of a secret nobody has, verified against when a token's id is unknown or
/// revoked, so that such a token costs and takes as long as one with a wrong secret: the
/// time of an answer tells nothing of which ids exist.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let mut secret = [0u8; 24];
        OsRng.fill_bytes(&mut secret);
        Argon2::default().hash_password(&secret, &SaltString::generate(&mut OsRng)).expect("argon2 hashes").to_string()
    })
}

/// Checks a token against the database: in force, and its secret matching the hash.
/// Every token of the right form costs one argon2 verification, off the runtime's workers.
async fn verify(pool: &PgPool, id: i64, secret: &str) -> Result<Actor, AuthError> {
    let row: Option<(String, String, String, bool)> =
        sqlx::query_as("SELECT name, role, hash, blind_writes FROM api_tokens WHERE id = $1 AND revoked_at IS NULL").bind(id).fetch_optional(pool).await?;
    let hash = row.as_ref().map(|(_, _, h, _)| h.clone()).unwrap_or_else(|| decoy_hash().to_string());
    let secret = secret.to_string();
    let _slot = tokio::time::timeout(VERIFY_WAIT, verifying().acquire()).await.map_err(|_| AuthError::Busy)?.expect("the verification slots are never closed");
    VERIFICATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let matched =
        tokio::task::spawn_blocking(move || PasswordHash::new(&hash).is_ok_and(|parsed| Argon2::default().verify_password(secret.as_bytes(), &parsed).is_ok()))
            .await
            .unwrap_or(false);
    let (name, role, _, blind_writes) = row.filter(|_| matched).ok_or(AuthError::Invalid)?;
    let role = Role::parse(&role).ok_or(AuthError::Invalid)?;
    Ok(Actor { name, role, blind_writes })
}

#[cfg(test)]
mod tests {
    use super::token_of;

    #[test]
    fn a_token_comes_as_bearer_or_as_a_basic_password() {
        assert_eq!(token_of("Bearer pl_1_ab").as_deref(), Some("pl_1_ab"));
        assert_eq!(token_of("bearer  pl_1_ab ").as_deref(), Some("pl_1_ab"));
        // "qgis:pl_1_ab" in base64; the user name is not looked at.
        assert_eq!(token_of("Basic cWdpczpwbF8xX2Fi").as_deref(), Some("pl_1_ab"));
        assert_eq!(token_of("Basic !!!"), None);
        assert_eq!(token_of("Basic cWdpcw=="), None, "no colon: no password");
        assert_eq!(token_of("Digest x"), None);
        assert_eq!(token_of("pl_1_ab"), None);
    }
}
