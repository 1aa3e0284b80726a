// The migrations are embedded by `sqlx::migrate!`, which cargo does not know to watch: a
// migration added or changed would otherwise leave a build without it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=schema");
}
