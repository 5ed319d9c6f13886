// `sqlx::migrate!()` embeds the files of `migrations/` at compile time; without this, cargo
// would not notice a newly added migration and the binary would silently lack it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
