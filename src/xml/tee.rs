//! Several handlers over one parse.

use std::ops::Range;

use super::event::{EndTag, Handler, StartTag};

/// Runs several handlers over one parse, each event sent to each handler in order.
pub struct Tee<'a> {
    handlers: Vec<&'a mut dyn Handler>,
}

impl<'a> Tee<'a> {
    /// A handler that forwards every event to each of `handlers`.
    pub fn new(handlers: Vec<&'a mut dyn Handler>) -> Self {
        Tee { handlers }
    }
}

impl Handler for Tee<'_> {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        for h in &mut self.handlers {
            h.start_element(tag);
        }
    }
    fn end_element(&mut self, tag: &EndTag<'_>) {
        for h in &mut self.handlers {
            h.end_element(tag);
        }
    }
    fn text(&mut self, text: &str, span: Range<usize>) {
        for h in &mut self.handlers {
            h.text(text, span.clone());
        }
    }
    fn processing_instruction(&mut self, target: &str, data: &str, span: Range<usize>) {
        for h in &mut self.handlers {
            h.processing_instruction(target, data, span.clone());
        }
    }
    fn comment(&mut self, body: &str, span: Range<usize>, run_before: usize) {
        for h in &mut self.handlers {
            h.comment(body, span.clone(), run_before);
        }
    }
    fn unparsed_entity(&mut self, name: &str) {
        for h in &mut self.handlers {
            h.unparsed_entity(name);
        }
    }
}
