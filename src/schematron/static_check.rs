//! The static check when a schema loads: every expression of a plan compiles in xee, or the
//! schema is refused, naming the first expression (in schema order) that does not.
//!
//! Compiling is most of a schema's load (tei_all: 173 expressions, 213M instructions), so an
//! expression written alike in several rules, with the same variables in scope, is compiled
//! once (tei_all: 148 distinct), and the distinct ones in parallel. (Checking the expressions
//! that share their variables together, as one sequence `(e1), (e2), …`, was measured and
//! costs more: xee's parser takes longer on one long expression than on its parts.)

use super::plan::Plan;
use rayon::prelude::*;

/// The first slot of `plan`, in schema order, that does not compile, with xee's message.
pub fn first_error(plan: &Plan) -> Option<(usize, String)> {
    let mut seen = std::collections::HashSet::new();
    let distinct: Vec<usize> = (0..plan.slots.len())
        .filter(|&i| seen.insert((&plan.slots[i].source, &plan.slots[i].vars)))
        .collect();
    // a slot left out is written as an earlier one, which fails first if it fails
    distinct
        .into_par_iter()
        .find_map_first(|i| super::engine::compile_slot(plan, i).err().map(|e| (i, e)))
}

#[cfg(test)]
mod tests {
    /// A schema with an expression written twice, the second time broken in another rule:
    /// the first broken one, in schema order, is named.
    #[test]
    fn the_first_broken_expression_is_named_once_each_distinct_one_is_compiled() {
        let sch = r#"<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <pattern>
    <rule context="a"><assert test="@x">x</assert></rule>
    <rule context="b"><assert test="@x">x</assert><assert test="@y = (">y</assert></rule>
    <rule context="c"><assert test="@y = (">y</assert><assert test="@z ==">z</assert></rule>
  </pattern>
</schema>"#;
        let Err(e) = super::super::Schematron::from_str(sch, std::path::Path::new("t.sch"), None)
        else {
            panic!("a broken schema was accepted");
        };
        assert!(e.message.contains("`@y = (`"), "{}", e.message);
        assert_eq!(e.at.line, 4, "{:?}", e.at);
    }
}
