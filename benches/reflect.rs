//! Reading a generated 3,000-table database from a real PostgreSQL server
//! (the tests' throwaway server, or TRELLIS_TEST_DATABASE_URL): reflection
//! alone, database against database (both read at once, 21 changes apart),
//! and source against database (with the server normalizing expressions).
//! `pg_dump --schema-only` of the same database is timed alongside, for
//! comparison.

#[path = "support/generator.rs"]
mod generator;
#[path = "../tests/support/pg.rs"]
mod pg;

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use trellisc::diag::Sources;
use trellisc::ir::{Ident, Schema};
use trellisc::plan::{self, PlanOptions};
use trellisc::reflect::{self, ReflectOptions};
use trellisc::syntax::LowerOptions;

const TABLES: usize = 3_000;

fn compile(files: &[(String, String)]) -> Schema {
    let mut sources = Sources::new();
    for (name, text) in files {
        sources.add(name.clone(), text.clone());
    }
    let compiled = trellisc::compile_sources(sources, &LowerOptions::default());
    assert!(!compiled.has_errors(), "the generated schema must check clean");
    compiled.schema
}

/// A database holding `schema`, created from empty.
fn database_with(server: &pg::Server, schema: &Schema) -> String {
    let url = server.database();
    let sql = trellisc::render::render_plan(&plan::upgrade(&Schema::default(), schema, PlanOptions::default()));
    server.psql(&url, &sql).expect("apply the generated schema");
    server.psql(&url, "VACUUM ANALYZE").expect("analyze");
    url
}

fn reflection(c: &mut Criterion) {
    let server = pg::server();
    let files = generator::schema(TABLES);
    let source = compile(&files);
    let changed = compile(&generator::changed_schema(TABLES));
    let old_url = database_with(server, &source);
    let new_url = database_with(server, &changed);
    generator::write_for_cli(&format!("{TABLES}"), &files);
    eprintln!("databases for the CLI: {old_url} {new_url}");

    // pg_dump reads the same database; best of three.
    let pg_dump = (0..3)
        .map(|_| {
            let start = Instant::now();
            let status = std::process::Command::new(server.program("pg_dump"))
                .args(["--schema-only", "-f", "/dev/null", "-d", &old_url])
                .status()
                .expect("run pg_dump");
            assert!(status.success());
            start.elapsed()
        })
        .min()
        .unwrap_or_default();
    eprintln!("pg_dump --schema-only of {TABLES} tables: {pg_dump:.2?} (best of 3)");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let options = ReflectOptions::default();
    let mut group = c.benchmark_group("reflect");
    group.sample_size(10);
    group.bench_function(format!("reflect_{TABLES}_tables"), |b| {
        b.iter(|| {
            runtime.block_on(async {
                let database = reflect::connect(&old_url).await.expect("connect");
                let reflected = reflect::reflect(&database, &options).await.expect("reflect");
                assert_eq!(reflected.schema.tables.len(), TABLES);
            })
        })
    });
    group.bench_function(format!("diff_database_vs_database_{TABLES}_tables"), |b| {
        b.iter(|| {
            let (old, new) = runtime.block_on(async {
                let read = |url: String| {
                    let options = &options;
                    async move {
                        let database = reflect::connect(&url).await.expect("connect");
                        reflect::reflect(&database, options).await.expect("reflect")
                    }
                };
                tokio::join!(read(old_url.clone()), read(new_url.clone()))
            });
            let upgrade = plan::upgrade(&old.schema, &new.schema, PlanOptions::default());
            assert!(!upgrade.is_empty());
            trellisc::render::render_plan(&upgrade).len()
        })
    });
    group.bench_function(format!("diff_source_vs_database_{TABLES}_tables"), |b| {
        b.iter(|| {
            let mut target = compile(&files);
            let database = runtime.block_on(async {
                let database = reflect::connect(&new_url).await.expect("connect");
                let reflected = reflect::reflect(&database, &options).await.expect("reflect");
                reflect::normalize(&database, &reflected.schema, &mut target, &Ident::new("public"))
                    .await
                    .expect("normalize");
                reflected.schema
            });
            let upgrade = plan::upgrade(&database, &target, PlanOptions::default());
            assert!(!upgrade.is_empty());
            trellisc::render::render_plan(&upgrade).len()
        })
    });
    group.finish();

    // Each catalog query alone, in the transaction reflection opens, for
    // what the server spends on it.
    let mut group = c.benchmark_group("catalog_query");
    group.sample_size(10);
    let database = runtime.block_on(reflect::connect(&old_url)).expect("connect");
    let schemas: Vec<String> = vec!["public".into()];
    runtime
        .block_on(
            database
                .client
                .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL work_mem = '64MB'"),
        )
        .expect("begin");
    for (name, text, takes_schemas) in reflect::catalog_queries(database.major) {
        let parameters: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
            if takes_schemas { vec![&schemas] } else { Vec::new() };
        group.bench_function(name, |b| {
            b.iter(|| {
                runtime
                    .block_on(database.client.query(&text, &parameters))
                    .expect("the catalog query runs")
                    .len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, reflection);
criterion_main!(benches);
