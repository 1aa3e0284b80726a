//! Which status a plot may move to from the one it has (DOMAIN.md, land status). Land
//! moves forward from the reserve to production; idle or inefficient land goes back to
//! work or is taken back; anything not listed needs two steps or is a mistake.

/// The statuses a plot in `from` may change to.
pub fn allowed(from: &str) -> &'static [&'static str] {
    match from {
        "reserve" => &["approved_unsupplied", "available", "unavailable"],
        "approved_unsupplied" => &["available", "reserve", "unavailable"],
        "available" => &["supplied", "reserve", "unavailable"],
        // Supplied land starts building, lies idle, or is taken back.
        "supplied" => &["under_construction", "idle", "available"],
        "under_construction" => &["in_production", "idle"],
        "in_production" => &["inefficient", "reserve"],
        // Idle land starts at last, or is taken back (with or without compensation).
        "idle" => &["under_construction", "available", "reserve"],
        "inefficient" => &["in_production", "available", "reserve"],
        "unavailable" => &["reserve", "available"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::allowed;

    const ALL: [&str; 9] =
        ["reserve", "approved_unsupplied", "available", "supplied", "under_construction", "in_production", "idle", "inefficient", "unavailable"];

    #[test]
    fn every_status_can_leave_and_be_reached() {
        for s in ALL {
            assert!(!allowed(s).is_empty(), "{s} is a dead end");
            assert!(ALL.iter().any(|f| allowed(f).contains(&s)), "{s} cannot be reached");
            assert!(allowed(s).iter().all(|t| ALL.contains(t) && *t != s));
        }
        assert!(!allowed("available").contains(&"in_production"), "land is supplied before it produces");
    }
}
