//! The differ, planner and renderer on every case under tests/cases/diff:
//! upgrade SQL, downgrade SQL and findings snapshotted side by side, and
//! properties that hold for every case.

mod common;

use trellisc::ir::Schema;
use trellisc::plan::{self, PlanOptions};
use trellisc::render::render_plan;

fn cases() -> Vec<(String, Schema, Schema)> {
    common::diff_cases()
}

fn report(old: &Schema, new: &Schema, options: PlanOptions) -> String {
    let upgrade = plan::upgrade(old, new, options);
    let downgrade = plan::downgrade(old, new, options);
    format!(
        "{}\n-------- downgrade --------\n{}",
        render_plan(&upgrade),
        render_plan(&downgrade)
    )
}

#[test]
fn each_case_plans_as_its_snapshot() {
    let cases = cases();
    assert!(cases.len() >= 50, "at least 50 diff cases, found {}", cases.len());
    for (name, old, new) in &cases {
        insta::assert_snapshot!(name.clone(), report(old, new, PlanOptions::default()));
    }
}

#[test]
fn output_is_byte_identical_across_runs() {
    for (name, old, new) in cases() {
        assert_eq!(
            report(&old, &new, PlanOptions::default()),
            report(&old, &new, PlanOptions::default()),
            "{name}"
        );
    }
}

#[test]
fn a_schema_diffed_with_itself_is_empty() {
    for (name, old, new) in cases() {
        assert!(trellisc::diff::diff(&old, &old).is_empty(), "{name}: old vs old");
        assert!(trellisc::diff::diff(&new, &new).is_empty(), "{name}: new vs new");
    }
    for (dir, schema) in common::example_schemas() {
        assert!(trellisc::diff::diff(&schema, &schema).is_empty(), "{dir}");
    }
}

#[test]
fn upgrade_and_downgrade_are_both_empty_or_both_not() {
    for (name, old, new) in cases() {
        let up = trellisc::diff::diff(&old, &new);
        let down = trellisc::diff::reverse(&old, &new);
        assert_eq!(up.is_empty(), down.is_empty(), "{name}");
        // The downgrade of the downgrade is the upgrade.
        let again = trellisc::diff::diff_with(&old, &new, &trellisc::diff::Renames::from_hints(&old, &new));
        assert_eq!(up, again, "{name}");
    }
}
