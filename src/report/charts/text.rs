//! PNG text set as the SVG is: plotters' bitmap text puts each glyph's ink at the pen and
//! drops its side bearing ("11 60", a gap inside "（"), at a smaller size than its SVG;
//! [`Bearing`] wraps the bitmap backend and draws text with every glyph where the SVG has it,
//! everything else passed through.

use ab_glyph::{Font, ScaleFont, point};
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use super::super::font;

/// A backend whose text is measured as the SVG sets it, and, on a bitmap (`draw` true), drawn
/// so too: each glyph with its side bearing.
pub(super) struct Bearing<B> {
    /// The backend wrapped.
    pub(super) inner: B,
    /// Whether text is drawn here (PNG) or by the backend wrapped (SVG, turned into paths).
    pub(super) draw: bool,
}

/// The em (pixels) of a plotters text size, and the font scaled to it.
fn scaled(
    size: f64,
) -> (
    f32,
    ab_glyph::PxScaleFont<&'static ab_glyph::FontRef<'static>>,
) {
    let f = font::font();
    let em = size as f32 / 1.24;
    (
        em,
        f.as_scaled(em * f.height_unscaled() / f.units_per_em().unwrap_or(1000.0)),
    )
}

/// The advance width of `text` in the scaled font.
fn advance(f: &ab_glyph::PxScaleFont<&'static ab_glyph::FontRef<'static>>, text: &str) -> f32 {
    text.chars().map(|c| f.h_advance(f.glyph_id(c))).sum()
}

impl<B: DrawingBackend> DrawingBackend for Bearing<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    /// The box plotters lays text out with: its advance width and an em high, as set.
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let (em, f) = scaled(style.size());
        Ok((advance(&f, text).ceil() as u32, em.ceil() as u32))
    }

    /// Text as the SVG sets it (see `font::svg_text_to_paths`), so that PNG and SVG agree:
    /// an em of the size plotters writes as the SVG's `font-size` (its size ÷ 1.24), the
    /// anchor on the glyphs' advances, the baseline where the SVG's `dy` puts it, and each
    /// glyph outlined at its pen position with its side bearing.
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        if !self.draw {
            return self.inner.draw_text(text, style, pos);
        }
        let (em, f) = scaled(style.size());
        let width = advance(&f, text);
        let x0 = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Right => -width,
            HPos::Center => -width / 2.0,
        };
        let baseline = match style.anchor().v_pos {
            VPos::Top => 0.76 * em,
            VPos::Center => 0.25 * em,
            VPos::Bottom => -0.25 * em,
        };
        let trans = style.transform();
        let (w, h) = self.get_size();
        let mut pen = x0;
        let mut pixels: Vec<(i32, i32, f32)> = Vec::new();
        for c in text.chars() {
            let id = f.glyph_id(c);
            let glyph = id.with_scale_and_position(f.scale(), point(pen, baseline));
            if let Some(q) = f.outline_glyph(glyph) {
                let r = q.px_bounds();
                q.draw(|x, y, cover| {
                    pixels.push((r.min.x as i32 + x as i32, r.min.y as i32 + y as i32, cover));
                });
            }
            pen += f.h_advance(id);
        }
        for (x, y, cover) in pixels {
            let (x, y) = trans.transform(x, y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 && cover > 0.0 {
                let c = BackendColor {
                    alpha: color.alpha * f64::from(cover.min(1.0)),
                    rgb: color.rgb,
                };
                self.inner.draw_pixel((x, y), c)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    use super::Bearing;
    use crate::report::font::{self, FAMILY};

    /// The runs of inked columns of `text` drawn at 60 px on a white bitmap, left to right.
    fn ink_runs(text: &str, bearing: bool) -> Vec<(u32, u32)> {
        font::register();
        let (w, h) = (400u32, 100u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        {
            let style =
                TextStyle::from((FAMILY, 60).into_font()).pos(Pos::new(HPos::Left, VPos::Top));
            let text = Text::new(text.to_string(), (20, 10), style);
            if bearing {
                let root = Bearing {
                    inner: BitMapBackend::with_buffer(&mut buf, (w, h)),
                    draw: true,
                }
                .into_drawing_area();
                root.draw(&text).unwrap();
                root.present().unwrap();
            } else {
                let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
                root.draw(&text).unwrap();
                root.present().unwrap();
            }
        }
        let inked = |x: u32| (0..h).any(|y| buf[((y * w + x) * 3) as usize] < 128);
        let mut runs = Vec::new();
        let mut start = None;
        for x in 0..w {
            match (inked(x), start) {
                (true, None) => start = Some(x),
                (false, Some(s)) => {
                    runs.push((s, x));
                    start = None;
                }
                _ => {}
            }
        }
        runs
    }

    /// Issue 26: "接待走访选民(  人次)". A full-width opening bracket's ink is on the right of
    /// its em, next to the text it opens: with the side bearing kept, the gap between it and
    /// 人 is narrow; plotters' own bitmap text put the ink at the pen and left the gap inside.
    #[test]
    fn a_full_width_bracket_stays_next_to_the_text_it_opens() {
        let gap = |runs: &[(u32, u32)]| runs[1].0 - runs[0].1;
        let ours = ink_runs("（人", true);
        let plain = ink_runs("（人", false);
        assert!(ours.len() >= 2 && plain.len() >= 2, "{ours:?} {plain:?}");
        let em = 60.0 / 1.24;
        assert!(
            (gap(&ours) as f64) < 0.25 * em,
            "gap {} px: {ours:?}",
            gap(&ours)
        );
        assert!(gap(&plain) > gap(&ours) * 2, "{plain:?} vs {ours:?}");
    }
}
