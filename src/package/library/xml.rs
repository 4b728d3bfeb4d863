//! A thin layer over quick-xml's writer: open, close, a leaf with text, an empty element. Every
//! text and attribute value is escaped by quick-xml; nothing else is written.

use std::io::Write;

use anyhow::Result;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

pub struct Xml<W: Write> {
    writer: Writer<W>,
}

impl Xml<Vec<u8>> {
    /// A document in memory, with its XML declaration.
    pub fn document() -> Result<Xml<Vec<u8>>> {
        Xml::new(Vec::new())
    }

    /// The document's text.
    pub fn finish(self) -> String {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl<W: Write> Xml<W> {
    /// A document written to `out`, starting with its XML declaration.
    pub fn new(out: W) -> Result<Xml<W>> {
        let mut writer = Writer::new_with_indent(out, b' ', 2);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        Ok(Xml { writer })
    }

    /// The writer underneath, once the document is done.
    pub fn into_inner(self) -> W {
        self.writer.into_inner()
    }

    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) -> Result<()> {
        let start = BytesStart::new(tag).with_attributes(attrs.iter().copied());
        self.writer.write_event(Event::Start(start))?;
        Ok(())
    }

    pub fn close(&mut self, tag: &str) -> Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new(tag)))?;
        Ok(())
    }

    /// `<tag attrs>text</tag>`.
    pub fn leaf(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) -> Result<()> {
        self.open(tag, attrs)?;
        self.writer.write_event(Event::Text(BytesText::new(text)))?;
        self.close(tag)
    }

    /// Bytes written as they are: a complete XML element from a file of the release (never
    /// text from a request).
    pub fn raw(&mut self, bytes: &[u8]) -> Result<()> {
        self.writer.get_mut().write_all(bytes)?;
        Ok(())
    }

    /// `<tag attrs/>`.
    pub fn empty(&mut self, tag: &str, attrs: &[(&str, &str)]) -> Result<()> {
        let start = BytesStart::new(tag).with_attributes(attrs.iter().copied());
        self.writer.write_event(Event::Empty(start))?;
        Ok(())
    }
}
