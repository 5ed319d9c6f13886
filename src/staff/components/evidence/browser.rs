//! What an upload needs from the browser: a file's first and last bytes (to judge it by its
//! content before sending it, `files::sniff`), a photo shrunk on the device, and a pause.

use thidua_domain::files::{sniff, FileKind, HEAD_BYTES, TAIL_BYTES};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// The bytes of `blob` from `start` to `end`, read from disk.
async fn bytes(blob: &Blob, start: f64, end: f64) -> Option<Vec<u8>> {
    let part = blob.slice_with_f64_and_f64(start, end).ok()?;
    let buffer = JsFuture::from(part.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The kind of file `blob` is by its content, as the server will judge it; `None` when it is
/// none of the accepted kinds (or cannot be read).
pub async fn kind(blob: &Blob) -> Option<FileKind> {
    let size = blob.size();
    let head = bytes(blob, 0.0, size.min(HEAD_BYTES as f64)).await?;
    let tail = bytes(blob, (size - TAIL_BYTES as f64).max(0.0), size).await?;
    sniff(&head, &tail)
}

/// The long side of a shrunk photo, in pixels: a page of A4 stays readable.
const LONG_SIDE: f64 = 2000.0;

/// `photo` drawn again at most `LONG_SIDE` pixels on its long side, as JPEG (quality 0.85);
/// `None` when the browser cannot (the photo is then sent as it is).
pub async fn shrink(photo: &Blob) -> Option<Blob> {
    let window = web_sys::window()?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(photo).ok()?).await.ok()?.dyn_into().ok()?;
    let (w, h) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (LONG_SIDE / w.max(h)).min(1.0);
    let (nw, nh) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
    let canvas = web_sys::OffscreenCanvas::new(nw as u32, nh as u32).ok()?;
    let context: web_sys::OffscreenCanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, nw, nh).ok()?;
    bitmap.close();
    let options = web_sys::ImageEncodeOptions::new();
    options.set_type("image/jpeg");
    options.set_quality(0.85);
    JsFuture::from(canvas.convert_to_blob_with_options(&options).ok()?).await.ok()?.dyn_into().ok()
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Milliseconds since the epoch (for the time left).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
