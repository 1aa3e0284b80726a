//! What a search says about itself: the time each step took (for the log) and which
//! condition left no land.

use serde_json::{json, Value};

/// Milliseconds spent in each step of a search.
pub(super) struct StepClock {
    last: std::time::Instant,
    steps: Vec<(&'static str, f64)>,
}

impl StepClock {
    pub(super) fn start() -> Self {
        StepClock { last: std::time::Instant::now(), steps: Vec::new() }
    }

    pub(super) fn step(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.steps.push((name, (now - self.last).as_secs_f64() * 1000.0));
        self.last = now;
    }
}

impl std::fmt::Display for StepClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (name, ms)) in self.steps.iter().enumerate() {
            write!(f, "{}{name} {ms:.1} ms", if i > 0 { ", " } else { "" })?;
        }
        Ok(())
    }
}

/// The first condition that left nothing, in words.
pub(super) fn first_emptying(steps: &[Value]) -> Value {
    for s in steps {
        if s["remaining_mu"].as_f64() == Some(0.0) {
            let name = s["condition"].as_str().unwrap_or("");
            let words = match name {
                "parks" => "没有符合的园区 no park matches `parks`",
                "include" => "没有所选状态的地块 no plot has a status in `include`",
                "land_use" => "没有所选用地分类的地块 no plot has a land use in `land_use`",
                "infrastructure" => "园区基础设施不满足要求 no park has every utility in `infrastructure`",
                "exclude_constraints" => "所余地块均触及管控范围 every plot left touches an excluded constraint",
                "contiguous_area" => "没有足够大的连片用地 no contiguous block is as large as the demand",
                "access" => "没有满足交通条件的地块 no site meets the `access` limits",
                _ => name,
            };
            return json!({ "condition": name, "description": words, "removed_mu": s["removed_mu"] });
        }
    }
    Value::Null
}

pub(super) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
