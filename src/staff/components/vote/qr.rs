//! A QR code as SVG, drawn from the `qrcode` crate's module matrix (no image crate): one
//! path of unit squares, crisp at any print size.

use leptos::prelude::*;
use qrcode::{Color, QrCode as Matrix};

use crate::i18n::*;
use crate::text::tr;

/// The QR code of `text`, with the quiet zone the standard asks for (4 modules).
#[component]
pub fn QrCode(text: String) -> impl IntoView {
    let Ok(matrix) = Matrix::new(text.as_bytes()) else { return ().into_any() };
    let width = matrix.width();
    let mut path = String::new();
    for (i, color) in matrix.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (i % width + 4, i / width + 4);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    let size = width + 8;
    view! {
        <svg class="qr" viewBox=format!("0 0 {size} {size}") role="img" aria-label=tr(|l| td_string!(l, vote.qr_label))
            shape-rendering="crispEdges">
            <rect width=size height=size fill="#fff" />
            <path d=path fill="#000" />
        </svg>
    }
    .into_any()
}
