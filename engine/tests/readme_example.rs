//! The README's worked example, run against the embedded catalog: the figures the README
//! derives by hand are the figures the engine gives.
// Cents are written dollars_cents (210_24 is $210.24) so they read like the prices.
#![allow(clippy::inconsistent_digit_grouping)]

use tco_engine::{estimate, Platform, Scenario};

fn example() -> Scenario {
    let readme = include_str!("../../README.md");
    let start = readme.find("<!-- worked-example -->").expect("the README marks its worked example");
    let block = &readme[start..];
    let json = block.split("```json").nth(1).and_then(|b| b.split("```").next()).expect("a json block follows");
    serde_json::from_str(json).expect("the example is a scenario document")
}

#[test]
fn the_readme_worked_example_gives_the_figures_it_states() {
    let r = estimate(&example(), tco_pricing_data::embedded()).unwrap();
    // 4 × $50 + 2 × $250
    assert_eq!(r.current.monthly_usd.cents(), 700_00);
    let ecs = r.options.iter().find(|o| o.platform == Platform::EcsEc2).unwrap();
    assert_eq!((ecs.nodes[0].instance_type.as_str(), ecs.nodes[0].count), ("m5.large", 3));
    assert_eq!(ecs.monthly_usd.cents(), 210_24);
    let fargate = r.options.iter().find(|o| o.platform == Platform::EcsFargate).unwrap();
    assert_eq!(fargate.monthly_usd.cents(), 216_24);
    assert_eq!(ecs.tco.one_time_usd.cents(), 8_000_00);
    assert_eq!(ecs.tco.break_even_month, Some(18));
    assert_eq!(ecs.tco.months[16].option_usd.cents(), 1_227_408); // $12,274.08
    assert_eq!(ecs.tco.months[17].option_usd.cents(), 1_248_432); // $12,484.32
}
