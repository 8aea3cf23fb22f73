//! Random schema pairs (tests/support/random.rs) on a real PostgreSQL
//! server: `old` created from empty, then upgraded to `new`, downgraded
//! back and upgraded again, plain, then the same with `--online` (see
//! `check_pair`). Both sources must compile, every script must run, and
//! after each the database read back must have converged: nothing left to
//! do to reach the schema the script was for. 1,000 cases from a fixed seed, in four shards that run at
//! once; `TRELLIS_FUZZ_SEED=random` (or a number) explores further,
//! `TRELLIS_FUZZ_CASES` changes the count.

mod common;
// Not every helper of the support modules is used here (yet).
#[allow(dead_code)]
mod support;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use support::pg;
use support::random::{SchemaPair, schema_pairs};
use trellisc::ir::Schema;
use trellisc::plan::{self, PlanOptions};
use trellisc::render::{render_plan, render_script};

/// The run's seed, drawn once.
fn seed() -> u64 {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SEED.get_or_init(draw_seed)
}

fn draw_seed() -> u64 {
    match std::env::var("TRELLIS_FUZZ_SEED").as_deref() {
        Ok("random") => {
            let seed = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0);
            eprintln!("TRELLIS_FUZZ_SEED={seed}");
            seed
        }
        Ok(n) => n.parse().expect("TRELLIS_FUZZ_SEED is a number or `random`"),
        Err(_) => 0x7e11_15c0_5eed_0001,
    }
}

fn cases() -> u32 {
    std::env::var("TRELLIS_FUZZ_CASES")
        .map(|n| n.parse().expect("TRELLIS_FUZZ_CASES is a number"))
        .unwrap_or(1000)
}

/// The shards the cases are spread over, each run by a thread of its own:
/// the work is mostly waiting for psql and the server.
const SHARDS: u64 = 4;

/// A runner for one shard: its own seed (the run's, plus the shard) and its
/// share of the cases.
fn runner(shard: u64, cases: u32) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed().wrapping_add(shard).to_le_bytes());
    let config = Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        failure_persistence: None,
        // Each shrinking step is a database round trip.
        max_shrink_iters: 200,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

fn compile(file: &str, source: &str) -> Result<Schema, String> {
    let compiled = common::compile(&[(file.to_string(), source.to_string())]);
    if compiled.has_errors() {
        return Err(format!(
            "{file} does not compile:\n{}",
            trellisc::diag::render_plain(&compiled.sources, &compiled.diagnostics)
        ));
    }
    Ok(compiled.schema)
}

/// Convergence: once a script has taken the database to `expected`, the
/// database read back has nothing left to do to reach it.
fn database_is(_server: &pg::Server, url: &str, expected: &Schema) -> Result<(), String> {
    let left = support::reflect::remaining(url, expected);
    if left.is_empty() {
        Ok(())
    } else {
        Err(format!("not converged:\n  {}", left.join("\n  ")))
    }
}

/// One pair on a fresh database: create `old`, upgrade, downgrade, upgrade
/// again, plain; then downgrade, upgrade, downgrade and upgrade again with
/// `--online` (concurrent builds, NOT VALID then VALIDATE), from the `new`
/// the plain run converged on, where that SQL differs. Every script is run as `diff` prints it (in
/// transactions) and the database is read back after each.
fn check_pair(pair: &SchemaPair) -> Result<(), String> {
    let old = compile("old.trellis", &pair.old)?;
    let new = compile("new.trellis", &pair.new)?;
    let create = render_plan(&plan::upgrade(&Schema::default(), &old, PlanOptions::default()));
    let server = pg::server();
    let scripts = |online: bool| {
        let options = PlanOptions {
            online,
            postgres: Some(server.major()),
        };
        (
            render_script(&plan::upgrade(&old, &new, options)),
            render_script(&plan::downgrade(&old, &new, options)),
        )
    };
    let (up, down) = scripts(false);
    let (up_online, down_online) = scripts(true);
    // A pair whose `--online` SQL is its plain SQL (nothing in it has an
    // online form) has nothing more to show with it.
    let steps = if (&up_online, &down_online) == (&up, &down) {
        4
    } else {
        8
    };
    let url = server.database();
    for (step, online, sql, expected) in [
        ("create old", false, &create, &old),
        ("upgrade", false, &up, &new),
        ("downgrade", false, &down, &old),
        ("upgrade again", false, &up, &new),
        ("downgrade", true, &down_online, &old),
        ("upgrade", true, &up_online, &new),
        ("downgrade again", true, &down_online, &old),
        ("upgrade again", true, &up_online, &new),
    ]
    .into_iter()
    .take(steps)
    {
        server
            .psql(&url, sql)
            .map_err(|error| format!("{step} (online: {online}): {error}\n-------- {step} SQL --------\n{sql}"))?;
        database_is(server, &url, expected).map_err(|error| format!("after {step} (online: {online}): {error}"))?;
    }
    // Thousands of databases left on the server slow every later one.
    server.drop_database(&url);
    Ok(())
}

#[test]
fn random_pairs_apply_up_down_and_up_again() {
    let total = cases();
    let per_shard = total.div_ceil(SHARDS as u32);
    let shards: Vec<_> = (0..SHARDS)
        .map(|shard| {
            std::thread::spawn(move || {
                let mut runner = runner(shard, per_shard);
                runner
                    .run(&schema_pairs(), |pair| check_pair(&pair).map_err(TestCaseError::fail))
                    .map_err(|error| format!("shard {shard} (seed + {shard}): {error}"))
            })
        })
        .collect();
    let failures: Vec<String> = shards
        .into_iter()
        .filter_map(|shard| match shard.join() {
            Ok(result) => result.err(),
            Err(_) => Some("a shard panicked".to_string()),
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every case, without stopping at the first failure or shrinking, with
/// each failure listed: for hunting bugs
/// (`cargo test --test random_pairs -- --ignored`).
#[test]
#[ignore]
fn every_failing_pair() {
    let mut runner = runner(0, cases());
    let strategy = schema_pairs();
    let mut failures = Vec::new();
    for _ in 0..cases() {
        let pair = strategy
            .new_tree(&mut runner)
            .expect("pairs are always generated")
            .current();
        if let Err(error) = check_pair(&pair) {
            failures.push(format!("{pair:?}{error}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} pairs failed:\n\n{}",
        failures.len(),
        cases(),
        failures.join("\n\n==========\n\n")
    );
}
