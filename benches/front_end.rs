//! Front-end benchmarks: parse + lower + check of generated schemas of
//! 1,000 and 10,000 tables. The generated schemas are also written to
//! target/bench-schemas/ so the CLI can be timed on them directly.

#[path = "support/generator.rs"]
mod generator;

use criterion::{Criterion, criterion_group, criterion_main};

// The allocator the trellisc binary uses, so the figures match the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use trellisc::diag::Sources;
use trellisc::syntax::LowerOptions;

fn parse_and_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("front_end");
    group.sample_size(10);
    for tables in [1_000, 10_000] {
        let files = generator::schema(tables);
        generator::write_for_cli(&tables.to_string(), &files);
        group.bench_function(format!("parse_check_{tables}_tables"), |b| {
            b.iter(|| {
                let mut sources = Sources::new();
                for (name, text) in &files {
                    sources.add(name.clone(), text.clone());
                }
                let compiled = trellisc::compile_sources(sources, &LowerOptions::default());
                assert!(!compiled.has_errors(), "the generated schema must check clean");
                compiled.schema.tables.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse_and_check);
criterion_main!(benches);
