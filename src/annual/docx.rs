//! The annual report as a Word document (.docx), written with `docx-rs`: headings in heading
//! styles (Word's navigation pane and a table of contents find them), the indicator table as a
//! Word table, charts as embedded PNG images with alternative text, page numbers in the footer,
//! A4 portrait, Chinese set in SimSun (SimHei for headings), which Word and WPS have and for
//! which LibreOffice substitutes a CJK font.
//!
//! Two things a filed report needs have no builder in `docx-rs` 0.4: a table's header row
//! repeated on each page (`w:tblHeader`) and an image's alternative text (`descr` on
//! `wp:docPr`). [`finish`] adds them to the built document, reading and writing its XML with
//! `quick-xml` events, and nothing else.

use std::io::{Cursor, Read, Write};

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts,
    Shading, ShdType, Style, StyleType, Table, TableCell, TableLayoutType, TableRow, WidthType,
};

use super::{AnnualReport, Row};
use crate::i18n::t;
use crate::raster::Fonts;

/// A4 in twentieths of a point.
const A4: (u32, u32) = (11906, 16838);
/// 2 cm margins left and right, 2.5 cm top and bottom.
const MARGIN_SIDE: i32 = 1134;
const MARGIN_TOP: i32 = 1418;
/// The width between the margins, in twentieths of a point.
const TEXT_WIDTH: usize = 11906 - 2 * 1134;
/// A chart's width on the page: 16 cm in EMU (914,400 an inch).
const CHART_WIDTH_EMU: u32 = 5_760_000;

const BODY_FONT: &str = "SimSun";
const HEADING_FONT: &str = "SimHei";
const LATIN_FONT: &str = "Times New Roman";

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("writing the Word document: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("writing the Word document: {0}")]
    Xml(String),
    #[error("writing the Word document: {0}")]
    Io(#[from] std::io::Error),
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
}

/// The styles the document uses: Word's built-in names, so that Word, WPS and LibreOffice
/// treat the headings as headings.
fn styles(docx: Docx) -> Docx {
    let heading = |id: &str, name: &str, level: usize, size: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .outline_lvl(level)
            .size(size)
            .bold()
            .fonts(fonts(HEADING_FONT))
    };
    docx.add_style(
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .size(40)
            .bold()
            .align(AlignmentType::Center)
            .fonts(fonts(HEADING_FONT)),
    )
    .add_style(heading("Heading1", "heading 1", 0, 32))
    .add_style(heading("Heading2", "heading 2", 1, 26))
    .add_style(
        Style::new("Caption", StyleType::Paragraph)
            .name("caption")
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .size(18)
            .align(AlignmentType::Center),
    )
}

fn text(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s))
}

/// A paragraph in `style`; a heading stays on the page of what follows it.
fn styled(style: &str, s: &str) -> Paragraph {
    text(s).style(style).keep_next(style.starts_with("Heading"))
}

/// A table cell holding `s` in small type, optionally bold and shaded (a header).
fn cell(s: &str, width: usize, header: bool) -> TableCell {
    let mut run = Run::new().add_text(s).size(16);
    if header {
        run = run.bold();
    }
    let mut c = TableCell::new()
        .add_paragraph(Paragraph::new().add_run(run))
        .width(width, WidthType::Dxa);
    if header {
        c = c.shading(Shading::new().shd_type(ShdType::Clear).fill("E7ECF3"));
    }
    c
}

/// A table with `header` as its first row (repeated on each page by [`finish`]) and `rows`,
/// the columns `widths` wide.
fn table(widths: &[usize], header: &[String], rows: Vec<TableRow>) -> Table {
    let head = TableRow::new(
        header
            .iter()
            .zip(widths)
            .map(|(h, w)| cell(h, *w, true))
            .collect(),
    )
    .cant_split();
    let mut all = vec![head];
    all.extend(rows);
    Table::new(all)
        .set_grid(widths.to_vec())
        .layout(TableLayoutType::Fixed)
        .width(widths.iter().sum(), WidthType::Dxa)
}

fn plain_row(widths: &[usize], cells: &[&str]) -> TableRow {
    TableRow::new(
        cells
            .iter()
            .zip(widths)
            .map(|(s, w)| cell(s, *w, false))
            .collect(),
    )
    .cant_split()
}

/// The main table's columns: indicator, unit, nature, baseline, target, value, progress share,
/// time share, status, source.
const MAIN_WIDTHS: [usize; 10] = [1500, 480, 620, 900, 1250, 950, 600, 600, 900, 1838];

fn main_row(r: &Row) -> TableRow {
    let target = if r.wording.is_empty() {
        r.target.clone()
    } else {
        format!("{}（{}）", r.target, r.wording)
    };
    let status = format!("{} {}", r.status.symbol, r.status.label);
    plain_row(
        &MAIN_WIDTHS,
        &[
            &r.name,
            &r.unit,
            &r.nature,
            &r.baseline,
            &target,
            &r.value,
            &r.progress_share,
            &r.time_share,
            &status,
            &r.source,
        ],
    )
}

/// A row spanning the whole table: a heading of the plan's groups.
fn group_row(name: &str) -> TableRow {
    TableRow::new(vec![
        TableCell::new()
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text(name).size(16).bold()))
            .grid_span(MAIN_WIDTHS.len())
            .width(MAIN_WIDTHS.iter().sum(), WidthType::Dxa),
    ])
    .cant_split()
}

/// Writes `report` as a Word document, drawing each chart with `fonts`.
pub fn write(report: &AnnualReport, fonts_for_charts: &Fonts) -> Result<Vec<u8>, DocxError> {
    let mut docx = styles(Docx::new())
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_TOP)
                .left(MARGIN_SIDE)
                .right(MARGIN_SIDE),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(21)
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(Run::new().add_text(t("report-page-before")))
                    .add_page_num(PageNum::new())
                    .add_run(Run::new().add_text(t("report-page-after"))),
            ),
        );

    // 1. Title, plan, year, issuer, when and from which figures.
    docx = docx.add_paragraph(styled("Title", &report.title));
    for line in [
        crate::i18n::labelled(t("report-plan"), &report.plan_title),
        crate::i18n::labelled(t("report-year"), report.year),
        crate::i18n::labelled(t("report-issuer"), &report.issuer),
        crate::i18n::labelled(t("report-generated"), &report.generated),
        report.figures_from.clone(),
    ] {
        docx = docx.add_paragraph(text(&line).align(AlignmentType::Center));
    }

    // 2. Overall picture, with the officials' summary.
    docx = docx
        .add_paragraph(styled("Heading1", &t("report-h-overall")))
        .add_paragraph(text(&report.overall.sentence));
    let widths = [5000, 2000, 2000];
    let rows = report
        .overall
        .lines
        .iter()
        .map(|l| {
            plain_row(
                &widths,
                &[
                    &format!("{} {}", l.status.symbol, l.status.label),
                    &l.all.to_string(),
                    &l.binding.to_string(),
                ],
            )
        })
        .chain([plain_row(
            &widths,
            &[
                &t("report-total"),
                &report.overall.total.to_string(),
                &report.overall.binding_total.to_string(),
            ],
        )])
        .collect();
    docx = docx.add_table(table(
        &widths,
        &[
            t("col-status"),
            t("report-col-indicators"),
            t("report-col-binding"),
        ],
        rows,
    ));
    docx = docx.add_paragraph(styled("Heading2", &t("report-h-summary")));
    docx = paragraphs(
        docx,
        report.words.as_ref().map(|w| w.summary.as_str()),
        "report-no-summary",
    );

    // 3. The main indicator table.
    docx = docx.add_paragraph(styled("Heading1", &t("report-h-indicators")));
    let mut rows = Vec::new();
    for g in &report.groups {
        rows.push(group_row(&g.name));
        rows.extend(g.rows.iter().map(main_row));
    }
    docx = docx.add_table(table(
        &MAIN_WIDTHS,
        &[
            t("report-col-indicator"),
            t("report-col-unit"),
            t("report-col-nature"),
            t("report-col-baseline"),
            t("report-col-target"),
            crate::i18n::t1("report-col-value", "year", report.year),
            t("report-col-progress"),
            t("report-col-time"),
            t("col-status"),
            t("report-col-source"),
        ],
        rows,
    ));

    // 4. Programmes.
    docx = docx.add_paragraph(styled("Heading1", &t("report-h-programmes")));
    if report.programmes.is_empty() {
        docx = docx.add_paragraph(text(&t("report-no-programmes")));
    }
    for p in &report.programmes {
        docx = docx
            .add_paragraph(styled("Heading2", &p.name))
            .add_paragraph(text(&crate::i18n::labelled(t("report-count"), &p.count)))
            .add_paragraph(text(&crate::i18n::labelled(
                t("report-col-target"),
                &p.target,
            )));
        if !p.by_status.is_empty() {
            let counts: Vec<String> = p
                .by_status
                .iter()
                .map(|(s, n)| format!("{s} {n}"))
                .collect();
            docx = docx.add_paragraph(text(&crate::i18n::labelled(
                t("report-items-by-status"),
                counts.join(t("report-list-separator").as_str()),
            )));
            let widths = [6600, 3038];
            let rows = p
                .items
                .iter()
                .map(|(name, status)| plain_row(&widths, &[name, status]))
                .collect();
            docx = docx.add_table(table(
                &widths,
                &[t("report-col-item"), t("col-status")],
                rows,
            ));
        }
    }

    // 5. Indicators needing attention, each with its chart and the officials' commentary.
    docx = docx.add_paragraph(styled("Heading1", &t("report-h-attention")));
    if report.attention.is_empty() {
        docx = docx.add_paragraph(text(&t("report-no-attention")));
    }
    let mut alts = Vec::new();
    for (n, a) in report.attention.iter().enumerate() {
        docx = docx
            .add_paragraph(styled("Heading2", &a.name))
            .add_paragraph(
                text(&format!(
                    "{} {}{}{}",
                    a.status.symbol,
                    a.status.label,
                    t("report-sentence-separator"),
                    a.basis
                ))
                .keep_next(true),
            );
        let png = a
            .chart_svg
            .as_deref()
            .and_then(|svg| crate::raster::png(svg, fonts_for_charts).ok());
        if let Some(png) = png {
            let (w, h) = png_size(&png).unwrap_or((1280, 600));
            let height = (u64::from(CHART_WIDTH_EMU) * u64::from(h) / u64::from(w.max(1))) as u32;
            let pic = Pic::new_with_dimensions(png, w, h)
                .id(format!("rIdChart{}", n + 1))
                .size(CHART_WIDTH_EMU, height);
            docx = docx
                .add_paragraph(
                    Paragraph::new()
                        .align(AlignmentType::Center)
                        .keep_next(true)
                        .add_run(Run::new().add_image(pic)),
                )
                .add_paragraph(styled(
                    "Caption",
                    &crate::i18n::t2(
                        "report-figure-caption",
                        "number",
                        n + 1,
                        "indicator",
                        &a.name,
                    ),
                ));
            alts.push(a.chart_alt.clone());
        }
        docx = docx.add_paragraph(text(&if a.commentary.is_empty() {
            t("report-no-commentary")
        } else {
            crate::i18n::labelled(t("report-commentary"), &a.commentary)
        }));
    }

    // 6. The officials' recommendations.
    docx = docx.add_paragraph(styled("Heading1", &t("report-h-recommendations")));
    docx = paragraphs(
        docx,
        report.words.as_ref().map(|w| w.recommendations.as_str()),
        "report-no-recommendations",
    );
    if let Some(w) = &report.words {
        docx = docx.add_paragraph(text(&w.published));
    }

    // 7. Method and sources.
    docx = docx
        .add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
        .add_paragraph(styled("Heading1", &t("report-h-method")))
        .add_paragraph(text(&crate::i18n::labelled(
            t("report-method"),
            &report.method,
        )));
    for note in &report.method_notes {
        docx = docx.add_paragraph(text(note));
    }
    docx = docx.add_paragraph(styled("Heading2", &t("report-h-sources")));
    let widths = [3000, 700, 1500, 3338, 1100];
    let rows = report
        .sources
        .iter()
        .map(|s| {
            plain_row(
                &widths,
                &[
                    &s.indicator,
                    &s.year.to_string(),
                    &s.value,
                    &s.source,
                    &s.confidence,
                ],
            )
        })
        .collect();
    docx = docx.add_table(table(
        &widths,
        &[
            t("report-col-indicator"),
            t("report-col-year"),
            t("report-col-value-plain"),
            t("report-col-source"),
            t("report-col-confidence"),
        ],
        rows,
    ));
    debug_assert_eq!(MAIN_WIDTHS.iter().sum::<usize>(), TEXT_WIDTH);

    let mut built = Cursor::new(Vec::new());
    docx.build().pack(&mut built)?;
    finish(&built.into_inner(), &alts)
}

/// The officials' words, a paragraph per line, or `missing`'s message.
fn paragraphs(mut docx: Docx, words: Option<&str>, missing: &str) -> Docx {
    let lines: Vec<&str> = words
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return docx.add_paragraph(text(&t(missing)));
    }
    for line in lines {
        docx = docx.add_paragraph(text(line));
    }
    docx
}

/// A PNG's width and height, from its header.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let w = png.get(16..20)?;
    let h = png.get(20..24)?;
    Some((
        u32::from_be_bytes(w.try_into().ok()?),
        u32::from_be_bytes(h.try_into().ok()?),
    ))
}

/// Copies the built package, adding to its document what `docx-rs` cannot write: every
/// table's first row repeated at the top of each page, and each image's alternative text
/// (`alts`, in the order of the images) with an id of its own.
pub fn finish(package: &[u8], alts: &[String]) -> Result<Vec<u8>, DocxError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(package))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        if entry.name() == "word/document.xml" {
            let mut xml = Vec::new();
            entry.read_to_end(&mut xml)?;
            let xml = annotate(&xml, alts)?;
            out.start_file("word/document.xml", options)?;
            out.write_all(&xml)?;
        } else {
            drop(entry);
            out.raw_copy_file(zip.by_index_raw(i)?)?;
        }
    }
    Ok(out.finish()?.into_inner())
}

/// The document's XML with `w:tblHeader` in each table's first row and `alts` on the images.
fn annotate(xml: &[u8], alts: &[String]) -> Result<Vec<u8>, DocxError> {
    use quick_xml::events::{BytesStart, Event};
    let bad = |e: &dyn std::fmt::Display| DocxError::Xml(e.to_string());
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(xml.len() + 4096));
    // For each open table: how many rows it has begun.
    let mut tables: Vec<usize> = Vec::new();
    let mut in_first_row = false;
    let mut images = 0usize;
    let header = || BytesStart::new("w:tblHeader");
    loop {
        let event = reader.read_event().map_err(|e| bad(&e))?;
        match &event {
            Event::Start(e) if e.name().as_ref() == b"w:tbl" => tables.push(0),
            Event::End(e) if e.name().as_ref() == b"w:tbl" => {
                tables.pop();
            }
            Event::Start(e) if e.name().as_ref() == b"w:tr" => {
                if let Some(rows) = tables.last_mut() {
                    *rows += 1;
                    in_first_row = *rows == 1;
                }
            }
            Event::End(e) if e.name().as_ref() == b"w:tr" => in_first_row = false,
            _ => {}
        }
        match event {
            Event::Eof => break,
            Event::Start(e) if in_first_row && e.name().as_ref() == b"w:trPr" => {
                writer.write_event(Event::Start(e)).map_err(|e| bad(&e))?;
                writer
                    .write_event(Event::Empty(header()))
                    .map_err(|e| bad(&e))?;
                in_first_row = false;
            }
            Event::Empty(e) if in_first_row && e.name().as_ref() == b"w:trPr" => {
                writer
                    .write_event(Event::Start(e.to_owned()))
                    .map_err(|e| bad(&e))?;
                writer
                    .write_event(Event::Empty(header()))
                    .map_err(|e| bad(&e))?;
                writer
                    .write_event(Event::End(e.to_end().into_owned()))
                    .map_err(|e| bad(&e))?;
                in_first_row = false;
            }
            Event::Empty(e) if e.name().as_ref() == b"wp:docPr" => {
                images += 1;
                let alt = alts.get(images - 1).map(String::as_str).unwrap_or_default();
                let id = images.to_string();
                let name = format!("Chart {images}");
                let pr = BytesStart::new("wp:docPr").with_attributes([
                    ("id", id.as_str()),
                    ("name", name.as_str()),
                    ("descr", alt),
                ]);
                writer.write_event(Event::Empty(pr)).map_err(|e| bad(&e))?;
            }
            other => writer.write_event(other).map_err(|e| bad(&e))?,
        }
    }
    Ok(writer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::annotate;

    #[test]
    fn each_tables_first_row_repeats_and_each_image_gets_its_words() {
        let xml = br#"<w:document><w:body><w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc /></w:tr><w:tr><w:trPr /></w:tr></w:tbl><w:p /><w:tbl><w:tr><w:trPr /></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl><wp:docPr id="1" name="Figure" /><wp:docPr id="1" name="Figure" /></w:body></w:document>"#;
        let alts = ["R&D \"intensity\" 2.4%".to_owned(), "研发经费".to_owned()];
        let out = String::from_utf8(annotate(xml, &alts).unwrap()).unwrap();
        let rows: Vec<&str> = out.split("<w:tr>").skip(1).collect();
        let repeats: Vec<bool> = rows.iter().map(|r| r.contains("w:tblHeader")).collect();
        assert_eq!(repeats, [true, false, true, false], "{out}");
        assert!(
            out.contains("<w:trPr><w:tblHeader/><w:cantSplit /></w:trPr>"),
            "{out}"
        );
        // An empty row property opens to hold it.
        assert!(
            out.contains("<w:tblHeader/></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit"),
            "{out}"
        );
        assert!(
            out.contains(
                r#"<wp:docPr id="1" name="Chart 1" descr="R&amp;D &quot;intensity&quot; 2.4%"/>"#
            ),
            "{out}"
        );
        assert!(
            out.contains(r#"<wp:docPr id="2" name="Chart 2" descr="研发经费"/>"#),
            "{out}"
        );
    }
}
