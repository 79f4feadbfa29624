//! A tiny SVG line-chart writer for precision-recall and reliability curves.

use std::fmt::Write;

const W: f64 = 480.0;
const H: f64 = 360.0;
const M: f64 = 50.0;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A chart of `points` (x, y in `[0, 1]`) joined by a line, with axes,
/// ticks, labels and optionally the diagonal.
pub fn line_chart(
    title: &str,
    x_label: &str,
    y_label: &str,
    points: &[(f64, f64)],
    diagonal: bool,
) -> String {
    let px = |x: f64| M + x.clamp(0.0, 1.0) * (W - 2.0 * M);
    let py = |y: f64| H - M - y.clamp(0.0, 1.0) * (H - 2.0 * M);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="11">"#
    );
    let _ = write!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
    let _ = write!(
        s,
        r#"<text x="{}" y="20" text-anchor="middle" font-size="13">{}</text>"#,
        W / 2.0,
        escape(title)
    );
    for i in 0..=5 {
        let v = i as f64 / 5.0;
        let _ = write!(
            s,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#eee\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{v:.1}</text>",
            py(0.0),
            py(1.0),
            py(0.0) + 15.0,
            x = px(v)
        );
        let _ = write!(
            s,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#eee\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{v:.1}</text>",
            px(0.0),
            px(1.0),
            px(0.0) - 5.0,
            py(v) + 4.0,
            y = py(v)
        );
    }
    let _ = write!(
        s,
        r#"<rect x="{M}" y="{M}" width="{}" height="{}" fill="none" stroke="black"/>"#,
        W - 2.0 * M,
        H - 2.0 * M
    );
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
        W / 2.0,
        H - 12.0,
        escape(x_label)
    );
    let _ = write!(
        s,
        r#"<text x="14" y="{}" text-anchor="middle" transform="rotate(-90 14 {})">{}</text>"#,
        H / 2.0,
        H / 2.0,
        escape(y_label)
    );
    if diagonal {
        let _ = write!(
            s,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>",
            px(0.0),
            py(0.0),
            px(1.0),
            py(1.0)
        );
    }
    if !points.is_empty() {
        let path: Vec<String> = points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
            .collect();
        let _ = write!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>",
            path.join(" ")
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn writes_a_polyline_and_escapes_text() {
        let svg = super::line_chart("a < b", "x", "y", &[(0.0, 1.0), (1.0, 0.5)], true);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert!(svg.contains("a &lt; b"));
        assert!(svg.contains("<polyline points=\"50.0,50.0 430.0,180.0\""));
    }
}
