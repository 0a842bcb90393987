//! The server's route table: operations grouped by path template, most
//! specific template first, so the generated `decode` stays one linear
//! pass where the first template that matches is the one that wins.
//!
//! OpenAPI says concrete paths match before templated ones; extended
//! segment by segment, `/jobs/{id}:cancel` beats `/jobs/{id}` for
//! `/jobs/x:cancel`, and only the winner's methods decide between its
//! operation and a 405 naming them.

use crate::model::{Api, Operation};

/// One path template and the operations declared on it, in document order.
pub struct Route<'a> {
    pub template: &'a str,
    pub operations: Vec<&'a Operation>,
}

/// The routes of `api`, most specific template first (document order
/// among equals). Templates that differ only in their parameter names are
/// one route; a method declared twice on it keeps its first operation.
pub fn routes(api: &Api) -> Vec<Route<'_>> {
    let mut routes: Vec<(String, Route<'_>)> = Vec::new();
    for op in &api.operations {
        let shape = shape(&op.path_template);
        match routes.iter_mut().find(|(known, _)| *known == shape) {
            Some((_, route)) => {
                if route
                    .operations
                    .iter()
                    .all(|known| known.http_method != op.http_method)
                {
                    route.operations.push(op);
                }
            }
            None => routes.push((
                shape,
                Route {
                    template: &op.path_template,
                    operations: vec![op],
                },
            )),
        }
    }
    routes.sort_by_cached_key(|(_, route)| std::cmp::Reverse(specificity(route.template)));
    routes.into_iter().map(|(_, route)| route).collect()
}

/// The template with every parameter name erased: `/a/{}:b`.
fn shape(template: &str) -> String {
    let mut shape = String::with_capacity(template.len());
    let mut in_param = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_param = true;
                shape.push_str("{}");
            }
            '}' => in_param = false,
            _ if !in_param => shape.push(c),
            _ => {}
        }
    }
    shape
}

/// Per segment: whether it is all literal, then how many literal
/// characters it has. Compared in order, the greater key is the more
/// specific template (only templates with as many segments can match the
/// same path, so keys of different lengths never decide anything).
fn specificity(template: &str) -> Vec<(bool, usize)> {
    template
        .split('/')
        .map(|segment| {
            let params = shape(segment);
            let literal = params.chars().count() - 2 * params.matches("{}").count();
            (!segment.contains('{'), literal)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(templates: &[&'static str]) -> Vec<&'static str> {
        let mut sorted = templates.to_vec();
        sorted.sort_by_cached_key(|template| std::cmp::Reverse(specificity(template)));
        sorted
    }

    #[test]
    fn a_segment_with_more_literal_text_comes_first() {
        assert_eq!(
            order(&[
                "/routing/jobs/{jobId}",
                "/routing/jobs/{jobId}:cancel",
                "/routing/jobs/{jobId}:reclassify",
            ]),
            [
                "/routing/jobs/{jobId}:reclassify",
                "/routing/jobs/{jobId}:cancel",
                "/routing/jobs/{jobId}",
            ]
        );
    }

    #[test]
    fn a_literal_segment_beats_a_templated_one_wherever_it_stands() {
        assert_eq!(
            order(&["/{a}/b", "/a/{b}", "/{a}/{b}", "/a/b"]),
            ["/a/b", "/a/{b}", "/{a}/b", "/{a}/{b}"]
        );
        // A literal segment beats a templated one with more text.
        assert_eq!(order(&["/{id}:cancel", "/x"]), ["/x", "/{id}:cancel"]);
    }

    #[test]
    fn parameter_names_do_not_count() {
        assert_eq!(shape("/jobs/{jobId}:cancel/{x}"), "/jobs/{}:cancel/{}");
        assert_eq!(
            specificity("/jobs/{jobId}:cancel"),
            [(true, 0), (true, 4), (false, 7)]
        );
    }
}
