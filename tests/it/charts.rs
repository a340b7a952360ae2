//! The indicator chart: it fits the width it has, leaves a gap where a year has no figure,
//! draws the projection where the method gives one, names its unit and can be downloaded.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use scraper::{ElementRef, Html, Selector};

use crate::harness::{DEFAULT_PLAN, Download, Page, TestDb, download, get, get_with, send};

fn indicator_uri(code: &str) -> String {
    format!("/plans/{DEFAULT_PLAN}/indicators/{code}")
}

async fn page_in(app: &axum::Router, uri: &str, lang: &str) -> Page {
    get_with(app, uri, header::ACCEPT_LANGUAGE, lang).await
}

async fn download_in(app: &axum::Router, uri: &str, lang: &str) -> Download {
    download(
        app,
        Request::get(uri)
            .header(header::ACCEPT_LANGUAGE, lang)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// The indicator's own chart (not the one across plans).
fn chart(html: &Html) -> ElementRef<'_> {
    let sel = Selector::parse("section[aria-labelledby=\"chart-h\"] figure.chart svg").unwrap();
    html.select(&sel).next().expect("the indicator's chart")
}

fn count(svg: ElementRef<'_>, selector: &str) -> usize {
    svg.select(&Selector::parse(selector).unwrap()).count()
}

fn all_attrs(svg: ElementRef<'_>, selector: &str, attr: &str) -> Vec<String> {
    svg.select(&Selector::parse(selector).unwrap())
        .map(|e| e.value().attr(attr).unwrap_or_default().to_owned())
        .collect()
}

/// The `<svg>…</svg>` of the indicator's own chart, as sent.
fn svg_source(body: &str) -> &str {
    let section = body
        .find("<section aria-labelledby=\"chart-h\">")
        .expect("the chart's section");
    let start = section + body[section..].find("<svg").expect("an svg");
    let end = start + body[start..].find("</svg>").expect("a closed svg") + "</svg>".len();
    &body[start..end]
}

#[tokio::test]
async fn the_chart_scales_to_the_width_it_has_without_a_minimum_width() {
    let db = TestDb::seeded().await;
    let app = db.app();
    let page = get(&app, &indicator_uri("rd-intensity")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let svg = chart(&html);
    let viewbox = svg.value().attr("viewBox").expect("a viewBox");
    let numbers: Vec<f64> = viewbox
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(numbers.len(), 4, "{viewbox}");
    assert!(numbers[2] > 0.0 && numbers[3] > 0.0, "{viewbox}");
    assert_eq!(svg.value().attr("width"), Some("100%"));
    assert_eq!(
        svg.value().attr("style"),
        None,
        "no fixed size in the markup"
    );
    // Every mark, the target included, lies inside the drawing.
    let xs = all_attrs(svg, "circle", "cx");
    assert!(
        xs.iter()
            .all(|x| x.parse::<f64>().unwrap() <= numbers[0] + numbers[2])
    );

    // The stylesheet gives the chart no minimum width that would clip it on a phone.
    let css = get(&app, "/static/style.css").await.body;
    let mut chart_rules = css
        .split('}')
        .filter_map(|rule| rule.rsplit_once('{'))
        .filter(|(selector, _)| selector.contains("figure.chart"))
        .peekable();
    assert!(chart_rules.peek().is_some(), "the chart has rules");
    for (selector, declarations) in chart_rules {
        assert!(
            !declarations.contains("min-width"),
            "a minimum width: {selector} {{{declarations}}}"
        );
    }
}

#[tokio::test]
async fn a_year_without_a_figure_leaves_a_gap_in_the_line() {
    let db = TestDb::seeded().await;
    let app = db.app();
    let page = get(&app, &indicator_uri("rd-intensity")).await;
    let html = page.html();
    assert_eq!(
        count(chart(&html), "polyline.actual"),
        1,
        "2021 to 2023 in one line"
    );

    sqlx::query(
        "delete from observation where year = 2022 and kind = 'actual'
           and indicator_id = (select indicator_id from indicator join plan using (plan_id)
                               where slug = $1 and code = 'rd-intensity')",
    )
    .bind(DEFAULT_PLAN)
    .execute(&db.pool)
    .await
    .unwrap();

    let page = get(&app, &indicator_uri("rd-intensity")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let svg = chart(&html);
    assert_eq!(count(svg, "circle.actual-point"), 2, "2021 and 2023");
    let lines = all_attrs(svg, "polyline.actual", "points");
    assert_eq!(lines.len(), 2, "no line across 2022: {lines:?}");
    let xs = all_attrs(svg, "circle.actual-point", "cx");
    for line in &lines {
        let has = |x: &str| {
            line.split_whitespace()
                .any(|p| p.starts_with(&format!("{x},")))
        };
        assert!(
            !(has(&xs[0]) && has(&xs[1])),
            "2021 and 2023 joined: {line}"
        );
    }
}

#[tokio::test]
async fn the_projection_is_drawn_exactly_where_the_method_gives_one() {
    let db = TestDb::seeded().await;
    let app = db.app();
    let api = get(&app, &format!("/api/v1/plans/{DEFAULT_PLAN}/indicators")).await;
    let indicators = api.json();
    let indicators = indicators.as_array().unwrap();
    let (mut with, mut without) = (0, 0);
    for ind in indicators {
        let code = ind["code"].as_str().unwrap();
        let page = get(&app, &indicator_uri(code)).await;
        assert_eq!(page.status, StatusCode::OK, "{code}");
        let html = page.html();
        let Some(svg) = html
            .select(
                &Selector::parse("section[aria-labelledby=\"chart-h\"] figure.chart svg").unwrap(),
            )
            .next()
        else {
            continue;
        };
        let legend = page.texts("section[aria-labelledby=\"chart-h\"] .legend li");
        // Where the latest actual is already in the target year, there is no way left to draw.
        let latest = ind["observations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["kind"] == "actual")
            .filter_map(|o| o["year"].as_i64())
            .max();
        let target_year = ind["target_year"].as_i64();
        let projected = ind["progress"]["projected_value"].as_f64();
        if projected.is_some() && latest < target_year {
            with += 1;
            let lines = all_attrs(svg, "polyline.projection", "points");
            assert_eq!(lines.len(), 1, "{code}: one dashed projection");
            let dashed = svg
                .select(&Selector::parse("polyline.projection").unwrap())
                .next()
                .unwrap();
            assert!(
                dashed.value().attr("stroke-dasharray").is_some(),
                "{code}: dashed"
            );
            // From the latest actual to the target year.
            let points: Vec<&str> = lines[0].split_whitespace().collect();
            assert_eq!(points.len(), 2, "{code}: {points:?}");
            let last_actual = all_attrs(svg, "circle.actual-point", "cx").pop().unwrap();
            assert!(
                points[0].starts_with(&format!("{last_actual},")),
                "{code}: {points:?}"
            );
            let target = svg
                .select(&Selector::parse("path.target-point").unwrap())
                .next()
                .unwrap()
                .value()
                .attr("d")
                .unwrap()
                .to_owned();
            let target_x = target[1..].split(',').next().unwrap();
            assert!(
                points[1].starts_with(&format!("{target_x},")),
                "{code}: {points:?} vs {target}"
            );
            assert!(
                legend.iter().any(|l| l == "Projected at the current pace"),
                "{code}: {legend:?}"
            );
        } else {
            without += 1;
            assert_eq!(
                count(svg, ".projection"),
                0,
                "{code}: no projection to draw"
            );
            assert!(
                !legend.iter().any(|l| l.contains("Projected")),
                "{code}: {legend:?}"
            );
        }
    }
    assert!(
        with > 0 && without > 0,
        "both kinds seen: {with} with, {without} without"
    );

    // The projected value of rd-intensity, 2.71% for 2025, is told in the chart's description.
    let page = get(&app, &indicator_uri("rd-intensity")).await;
    let desc = page.text("section[aria-labelledby=\"chart-h\"] svg desc");
    assert!(desc.contains("2025: 2.71%"), "{desc}");
}

#[tokio::test]
async fn the_y_axis_names_the_unit_in_the_readers_language() {
    let db = TestDb::seeded().await;
    let app = db.app();
    let unit = |page: &Page| {
        let html = page.html();
        let texts: Vec<String> = chart(&html)
            .select(&Selector::parse("text.unit").unwrap())
            .map(|t| t.text().collect::<String>())
            .collect();
        texts
    };
    let uri = indicator_uri("tech-contract-turnover");
    assert_eq!(unit(&page_in(&app, &uri, "en").await), ["100 million yuan"]);
    assert_eq!(unit(&page_in(&app, &uri, "zh-CN,zh").await), ["亿元"]);
    let uri = indicator_uri("rd-intensity");
    assert_eq!(unit(&page_in(&app, &uri, "en").await), ["%"]);
    assert_eq!(unit(&page_in(&app, &uri, "zh-CN,zh").await), ["%"]);
}

#[tokio::test]
async fn the_chart_downloads_as_the_same_svg_in_the_readers_language() {
    let db = TestDb::seeded().await;
    let (state, listener) = db
        .with_live_cache(plantrack::config::Config::default())
        .await;
    let app = plantrack::web::app(state);
    for (lang, key, title) in [("en", "en", "Actual"), ("zh-CN,zh", "zh", "实际值")] {
        let page = page_in(&app, &indicator_uri("rd-intensity"), lang).await;
        let html = page.html();
        let link = html
            .select(
                &Selector::parse("section[aria-labelledby=\"chart-h\"] .chart-download a").unwrap(),
            )
            .next()
            .expect("a download link");
        let href = link.value().attr("href").unwrap().to_owned();
        assert_eq!(href, format!("{}/chart.svg", indicator_uri("rd-intensity")));
        assert!(link.value().attr("download").is_some());

        let file = download_in(&app, &href, lang).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(
            file.header(header::CONTENT_TYPE),
            "image/svg+xml; charset=utf-8"
        );
        assert_eq!(
            file.header(header::CONTENT_DISPOSITION),
            format!("attachment; filename=\"{DEFAULT_PLAN}-rd-intensity-chart-{key}.svg\"")
        );
        let text = file.text();
        assert!(text.starts_with("<?xml"), "{}", &text[..40]);
        assert!(
            text.contains(svg_source(&page.body)),
            "the file holds the page's chart"
        );
        assert!(text.contains(title), "{lang}: in the reader's language");
        // Styled without the site's stylesheet.
        let svg = Html::parse_fragment(&text);
        let line = svg
            .select(&Selector::parse("polyline.actual").unwrap())
            .next()
            .unwrap();
        assert_eq!(line.value().attr("fill"), Some("none"));
        assert!(line.value().attr("stroke").is_some());

        // Kept like the page: asked again with its ETag, unchanged.
        let etag = file.header(header::ETAG);
        assert!(!etag.is_empty(), "kept by the page cache");
        let again = send(
            &app,
            Request::get(&href)
                .header(header::ACCEPT_LANGUAGE, lang)
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    }

    let unknown = get(&app, &format!("{}/chart.svg", indicator_uri("no-such"))).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    listener.abort();
}

#[tokio::test]
async fn the_chart_downloads_as_a_png_image_drawn_in_the_readers_language() {
    use resvg::tiny_skia::Pixmap;
    let db = TestDb::seeded().await;
    let (state, listener) = db
        .with_live_cache(plantrack::config::Config::default())
        .await;
    let app = plantrack::web::app(state);
    let mut images = Vec::new();
    for (lang, key) in [("en", "en"), ("zh-CN,zh", "zh")] {
        let page = page_in(&app, &indicator_uri("tech-contract-turnover"), lang).await;
        let html = page.html();
        let hrefs: Vec<String> = html
            .select(
                &Selector::parse("section[aria-labelledby=\"chart-h\"] .chart-download a").unwrap(),
            )
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect();
        let png_href = format!("{}/chart.png", indicator_uri("tech-contract-turnover"));
        assert!(
            hrefs.contains(&png_href),
            "{lang}: a PNG link beside the SVG: {hrefs:?}"
        );

        let file = download_in(&app, &png_href, lang).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.header(header::CONTENT_TYPE), "image/png");
        assert_eq!(
            file.header(header::CONTENT_DISPOSITION),
            format!(
                "attachment; filename=\"{DEFAULT_PLAN}-tech-contract-turnover-chart-{key}.png\""
            )
        );
        let pixmap = Pixmap::decode_png(&file.bytes).expect("a PNG image");
        // Twice the chart's 640 × 300 viewBox: sharp on a dense screen and in print.
        assert_eq!((pixmap.width(), pixmap.height()), (1280, 600));
        let inked = pixmap
            .pixels()
            .iter()
            .filter(|p| p.red() < 200 || p.green() < 200 || p.blue() < 200)
            .count();
        assert!(
            inked > 4_000,
            "{lang}: lines, axes and labels are drawn ({inked} pixels)"
        );
        // For a person to look at, beside the browser checks' screenshots.
        std::fs::write(
            crate::browser::screenshot_dir().join(format!("chart-{key}.png")),
            &file.bytes,
        )
        .unwrap();
        // The unit heads the y axis in the top left corner: "100 million yuan" or "亿元",
        // drawn with a font that has the Chinese glyphs.
        let mut unit_ink = 0;
        for y in 0..60 {
            for x in 0..240 {
                let p = pixmap.pixel(x, y).unwrap();
                if p.red() < 200 {
                    unit_ink += 1;
                }
            }
        }
        assert!(
            unit_ink > 100,
            "{lang}: the unit is drawn ({unit_ink} pixels)"
        );
        // Kept like the page: asked again with its ETag, unchanged.
        let etag = file.header(header::ETAG);
        assert!(!etag.is_empty(), "kept by the page cache");
        images.push(file.bytes);
    }
    assert_ne!(
        images[0], images[1],
        "the unit is drawn in each reader's language"
    );
    let unknown = get(&app, &format!("{}/chart.png", indicator_uri("no-such"))).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    listener.abort();
}
