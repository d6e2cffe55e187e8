//! Saving bytes the page holds as a file: a Blob, an object URL and a temporary
//! `<a download>`, the one way a page can hand the browser a file without a server round trip.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Offers `bytes` to the user as a download named `file_name`.
pub fn save(bytes: &[u8], file_name: &str, media_type: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(js_error)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_error)?;
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let body = document.body().ok_or("no body")?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(js_error)?.dyn_into().map_err(|_| "not an anchor".to_string())?;
    link.set_href(&url);
    link.set_download(file_name);
    link.style().set_property("display", "none").map_err(js_error)?;
    body.append_child(&link).map_err(js_error)?;
    link.click();
    link.remove();
    // The browser reads the object URL after the click returns: release it a moment later.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    Ok(())
}

/// A file name from a scenario name and a date: `tco-clinic-2026-11-25.json`.
pub fn file_name(scenario_name: &str, date: &str, extension: &str) -> String {
    let slug: String = scenario_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        format!("tco-{date}.{extension}")
    } else {
        format!("tco-{slug}-{date}.{extension}")
    }
}

fn js_error(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_slugs_with_the_date() {
        assert_eq!(
            file_name("Clinic (sample) account", "2026-11-25", "json"),
            "tco-clinic-sample-account-2026-11-25.json"
        );
        assert_eq!(file_name("", "2026-11-25", "csv"), "tco-2026-11-25.csv");
    }
}
