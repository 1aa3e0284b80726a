//! A filter's temporal operators over dates.

use super::*;

impl Cx<'_, 'static> {
    /// `op` (T_BEFORE, T_AFTER, T_DURING, T_INTERSECTS, T_EQUALS) of a date property and a date or an interval.
    pub(super) fn temporal(&mut self, op: &str, args: &[Box<Expr>]) -> Result<(), CqlError> {
        self.arity(op, args, 2)?;
        if self.kind_of(&args[0]) != Some(Kind::Date) {
            return self.err(format!("{} needs a date property first, found {}", op.to_uppercase(), describe(&args[0])));
        }
        let bounds: Vec<&Expr> = match args[1].as_ref() {
            Expr::Interval { interval } => interval.iter().map(|b| b.as_ref()).collect(),
            other => vec![other],
        };
        self.qb.push("(");
        match (op, bounds.as_slice()) {
            ("t_before", [b]) => {
                self.scalar(&args[0], Some(Kind::Date))?;
                self.qb.push(" < ");
                self.scalar(b, Some(Kind::Date))?;
            }
            ("t_after", [b]) => {
                self.scalar(&args[0], Some(Kind::Date))?;
                self.qb.push(" > ");
                self.scalar(b, Some(Kind::Date))?;
            }
            ("t_equals" | "t_intersects", [b]) => {
                self.scalar(&args[0], Some(Kind::Date))?;
                self.qb.push(" = ");
                self.scalar(b, Some(Kind::Date))?;
            }
            ("t_during" | "t_intersects", [lo, hi]) => {
                let (lo_op, hi_op) = if op == "t_during" { (" > ", " < ") } else { (" >= ", " <= ") };
                for (i, (bound, cmp)) in [(lo, lo_op), (hi, hi_op)].into_iter().enumerate() {
                    if i > 0 {
                        self.qb.push(" AND ");
                    }
                    if matches!(bound, Expr::Literal(s) if s == ".." ) {
                        self.qb.push("TRUE");
                        continue;
                    }
                    self.scalar(&args[0], Some(Kind::Date))?;
                    self.qb.push(cmp);
                    self.scalar(bound, Some(Kind::Date))?;
                }
            }
            _ => return self.err(format!("{} does not take that interval", op.to_uppercase())),
        }
        self.qb.push(")");
        Ok(())
    }
}
