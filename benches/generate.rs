//! Writes the generated schemas the CLI is timed on (benches/peers.sh):
//! `cargo bench --bench generate -- 1000 3000 10000` writes, for each size,
//! target/bench-schemas/N (the schema) and target/bench-schemas/N-changed
//! (the same with 1% of its tables changed).

#[path = "support/generator.rs"]
mod generator;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 3_000, 10_000]
    } else {
        sizes
    };
    for tables in sizes {
        generator::write_for_cli(&tables.to_string(), &generator::schema(tables));
        generator::write_for_cli(&format!("{tables}-changed"), &generator::changed_schema(tables));
        println!("target/bench-schemas/{tables} and target/bench-schemas/{tables}-changed");
    }
}
