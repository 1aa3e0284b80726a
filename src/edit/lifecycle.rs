//! Which status a plot may move to from the one it has (docs/ARCHITECTURE.md, where each
//! rule lives). Land moves forward from the reserve to production; idle or inefficient
//! land goes back to work or is taken back; anything not listed needs two steps or is a
//! mistake.

use crate::domain::LandStatus;

/// The statuses a plot in `from` may change to.
pub fn allowed(from: LandStatus) -> &'static [LandStatus] {
    use LandStatus as S;
    match from {
        S::Reserve => &[S::ApprovedUnsupplied, S::Available, S::Unavailable],
        S::ApprovedUnsupplied => &[S::Available, S::Reserve, S::Unavailable],
        S::Available => &[S::Supplied, S::Reserve, S::Unavailable],
        // Supplied land starts building, lies idle, or is taken back.
        S::Supplied => &[S::UnderConstruction, S::Idle, S::Available],
        S::UnderConstruction => &[S::InProduction, S::Idle],
        S::InProduction => &[S::Inefficient, S::Reserve],
        // Idle land starts at last, or is taken back (with or without compensation).
        S::Idle => &[S::UnderConstruction, S::Available, S::Reserve],
        S::Inefficient => &[S::InProduction, S::Available, S::Reserve],
        S::Unavailable => &[S::Reserve, S::Available],
    }
}

#[cfg(test)]
mod tests {
    use super::allowed;
    use crate::domain::{LandStatus, Vocabulary};

    #[test]
    fn every_status_can_leave_and_be_reached() {
        for &s in LandStatus::ALL {
            assert!(!allowed(s).is_empty(), "{s} is a dead end");
            assert!(LandStatus::ALL.iter().any(|&f| allowed(f).contains(&s)), "{s} cannot be reached");
            assert!(!allowed(s).contains(&s));
        }
        assert!(!allowed(LandStatus::Available).contains(&LandStatus::InProduction), "land is supplied before it produces");
    }
}
