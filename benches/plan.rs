//! diff + plan + render between two generated schemas that differ in 1% of
//! their tables (the parse of both is not timed).

#[path = "support/generator.rs"]
mod generator;

use criterion::{Criterion, criterion_group, criterion_main};

// The allocator the trellisc binary uses, so the figures match the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use trellisc::diag::Sources;
use trellisc::ir::Schema;
use trellisc::plan::{self, PlanOptions};
use trellisc::syntax::LowerOptions;

fn compile(files: &[(String, String)]) -> Schema {
    let mut sources = Sources::new();
    for (name, text) in files {
        sources.add(name.clone(), text.clone());
    }
    let compiled = trellisc::compile_sources(sources, &LowerOptions::default());
    assert!(!compiled.has_errors(), "the generated schema must check clean");
    compiled.schema
}

fn diff_plan_render(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    group.sample_size(10);
    for tables in [1_000, 10_000] {
        let old = compile(&generator::schema(tables));
        let changed = generator::changed_schema(tables);
        generator::write_for_cli(&format!("{tables}-changed"), &changed);
        let new = compile(&changed);
        group.bench_function(format!("upgrade_{tables}_tables_1pct"), |b| {
            b.iter(|| {
                let upgrade = plan::upgrade(&old, &new, PlanOptions::default());
                assert!(!upgrade.is_empty());
                trellisc::render::render_plan(&upgrade).len()
            })
        });
        group.bench_function(format!("downgrade_{tables}_tables_1pct"), |b| {
            b.iter(|| {
                let downgrade = plan::downgrade(&old, &new, PlanOptions::default());
                assert!(!downgrade.is_empty());
                trellisc::render::render_plan(&downgrade).len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, diff_plan_render);
criterion_main!(benches);
