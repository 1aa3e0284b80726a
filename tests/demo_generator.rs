//! geodata/ is exactly what the generator makes: nobody edits it by hand, and the
//! generator gives the same bytes every time.

mod common;

#[test]
fn committed_geodata_is_what_the_generator_makes() {
    let out = tempfile::tempdir().unwrap();
    let data = parkland::demo::generate().expect("the generator's own checks pass");
    parkland::demo::write(&data, out.path()).unwrap();
    for (layer, _) in &data.layers {
        let file = format!("{layer}.geojson");
        let made = std::fs::read(out.path().join(&file)).unwrap();
        let committed = std::fs::read(common::geodata_dir().join(&file)).unwrap_or_default();
        assert!(made == committed, "geodata/{file} differs from the generator's output: run `cargo run -- demo-data` and commit the result");
    }
    let again = parkland::demo::generate().unwrap();
    for ((name, a), (_, b)) in data.layers.iter().zip(&again.layers) {
        assert_eq!(a, b, "layer {name} differs between two runs");
    }
}
