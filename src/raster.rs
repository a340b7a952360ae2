//! Charts as PNG images: the chart's own SVG, drawn by resvg with a font found on this machine,
//! within a budget of pixels and of renders at once.
//!
//! Text needs a font with the Chinese glyphs a Chinese chart carries. The font directory
//! (`--font-dir`, `/usr/share/fonts` by default) is searched once, on the first image; of its
//! fonts the first of [`PREFERRED`] found is kept in memory (one file, about 20 MB for Noto Sans
//! CJK), else any sans-serif font. Without any font the image is still drawn, without its text,
//! and the log says why once.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};

/// Pixels per unit of the SVG: a 640 × 300 chart becomes 1280 × 600, sharp on a dense screen,
/// on a slide and in print.
pub const SCALE: f32 = 2.0;

/// The most pixels one image may have, whatever its SVG says (16 MB of pixmap at most).
const MAX_PIXELS: u64 = 4_000_000;

/// The families a chart's text is drawn with, best first: each has Chinese and Latin glyphs.
const PREFERRED: &[&str] = &[
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
];

/// Why an image could not be drawn. None of these comes from a reader's input: the SVG is the
/// site's own.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("the chart's SVG cannot be read: {0}")]
    Svg(#[from] usvg::Error),
    #[error("the chart is larger than an image may be")]
    TooLarge,
    #[error("the PNG cannot be written: {0}")]
    Png(String),
}

/// The font the images are drawn with.
pub struct Fonts {
    db: Arc<fontdb::Database>,
    family: Option<String>,
}

impl Fonts {
    /// Finds the font under `dir` (see the module's documentation) and loads that one file.
    pub fn load(dir: &Path) -> Fonts {
        let mut index = fontdb::Database::new();
        index.load_fonts_dir(dir);
        let chosen = PREFERRED
            .iter()
            .find_map(|name| {
                index.faces().find(|f| {
                    f.families.iter().any(|(family, _)| family == name)
                        && f.weight == fontdb::Weight::NORMAL
                })
            })
            .or_else(|| {
                index
                    .query(&fontdb::Query {
                        families: &[fontdb::Family::SansSerif],
                        ..fontdb::Query::default()
                    })
                    .and_then(|id| index.face(id))
            })
            .or_else(|| index.faces().next());
        let mut db = fontdb::Database::new();
        let mut family = None;
        if let Some(face) = chosen {
            let name = face.families.first().map(|(f, _)| f.clone());
            let loaded = match &face.source {
                fontdb::Source::File(path) => std::fs::read(path)
                    .map(|data| db.load_font_data(data))
                    .map_err(|e| tracing::warn!(path = %path.display(), error = %e, "a font cannot be read")),
                fontdb::Source::Binary(_) => Err(()),
            };
            if loaded.is_ok() {
                family = name;
            }
        }
        match &family {
            Some(name) => {
                db.set_sans_serif_family(name.clone());
                tracing::info!(font = %name, dir = %dir.display(), "chart images use this font");
            }
            None => tracing::warn!(
                dir = %dir.display(),
                "no font found: chart images are drawn without their text (set --font-dir)"
            ),
        }
        Fonts {
            db: Arc::new(db),
            family,
        }
    }

    /// The family text is drawn with, if a font was found.
    pub fn family(&self) -> Option<&str> {
        self.family.as_deref()
    }

    /// The fonts of the first call's directory, loaded once for the process.
    pub fn shared(dir: &Path) -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts::load(dir))
    }
}

/// `svg` drawn at [`SCALE`] on white, as PNG bytes.
pub fn png(svg: &str, fonts: &Fonts) -> Result<Vec<u8>, RasterError> {
    let mut options = usvg::Options {
        fontdb: fonts.db.clone(),
        ..usvg::Options::default()
    };
    if let Some(family) = &fonts.family {
        options.font_family = family.clone();
    }
    let tree = usvg::Tree::from_str(svg, &options)?;
    let size = tree
        .size()
        .scale_by(SCALE)
        .ok_or(RasterError::TooLarge)?
        .to_int_size();
    if u64::from(size.width()) * u64::from(size.height()) > MAX_PIXELS {
        return Err(RasterError::TooLarge);
    }
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or(RasterError::TooLarge)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| RasterError::Png(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The share of pixels that are not white in a rectangle of the image.
    fn inked(png_bytes: &[u8], x0: u32, y0: u32, x1: u32, y1: u32) -> f64 {
        let pixmap = tiny_skia::Pixmap::decode_png(png_bytes).unwrap();
        let mut inked = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                let p = pixmap.pixel(x, y).unwrap();
                if p.red() < 200 || p.green() < 200 || p.blue() < 200 {
                    inked += 1;
                }
            }
        }
        f64::from(inked) / f64::from((x1 - x0) * (y1 - y0))
    }

    #[test]
    fn chinese_and_latin_text_is_drawn_with_the_font_found() {
        let fonts = Fonts::shared(Path::new("/usr/share/fonts"));
        assert!(
            fonts.family().is_some(),
            "a font with Chinese glyphs is installed (fonts-noto-cjk)"
        );
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 40" width="100%"
            font-family="system-ui, 'Noto Sans CJK SC', sans-serif" font-size="20">
            <text x="4" y="28">研发经费</text><text x="104" y="28">R&amp;D</text></svg>"#;
        let png = png(svg, fonts).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let pixmap = tiny_skia::Pixmap::decode_png(&png).unwrap();
        assert_eq!(
            (pixmap.width(), pixmap.height()),
            (400, 80),
            "twice the viewBox"
        );
        assert!(
            inked(&png, 8, 10, 180, 70) > 0.05,
            "the Chinese words are drawn"
        );
        assert!(
            inked(&png, 208, 10, 300, 70) > 0.05,
            "the Latin letters are drawn"
        );
        assert_eq!(inked(&png, 320, 0, 400, 80), 0.0, "the rest is white");
    }

    #[test]
    fn an_image_larger_than_the_budget_is_refused() {
        let fonts = Fonts::shared(Path::new("/usr/share/fonts"));
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="5000" height="5000"></svg>"#;
        assert!(matches!(png(svg, fonts), Err(RasterError::TooLarge)));
    }
}
