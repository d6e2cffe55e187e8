//! What the browser surface promises: a Content-Security-Policy the page satisfies (its inline
//! scripts allowed by their SHA-256, nothing from elsewhere), no sniffing, no framing, no
//! referrer (a share link's token is in its path), nothing cached where scenarios or share links
//! are read; state-changing requests from another site refused; and, when configured, only the
//! listed `Host` names served.

use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// The headers every response carries, prepared once at start-up.
#[derive(Debug, Clone)]
pub struct Hardening {
    csp: HeaderValue,
    /// `Host` names served, when restricted (lower case, with or without a port).
    allowed_hosts: Option<Arc<[String]>>,
}

impl Hardening {
    /// The policy for the built front end in `dist` (its inline scripts hashed) and the API's
    /// documentation page, serving only `allowed_hosts` when given.
    pub fn new(dist: Option<&Path>, allowed_hosts: Option<Vec<String>>) -> Self {
        let index = dist.and_then(|d| std::fs::read_to_string(d.join("index.html")).ok()).unwrap_or_default();
        let mut hashes: Vec<String> = inline_scripts(&index)
            .into_iter()
            .chain(inline_scripts(crate::routes::openapi::DOCS_PAGE))
            .map(|script| {
                format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script)))
            })
            .collect();
        hashes.sort();
        hashes.dedup();
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'",
            hashes.join(" ")
        );
        Hardening {
            csp: HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            allowed_hosts: allowed_hosts
                .map(|h| h.into_iter().map(|x| x.trim().to_ascii_lowercase()).filter(|x| !x.is_empty()).collect()),
        }
    }
}

/// The text of every inline `<script>` (one without `src`), exactly as the browser hashes it.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let Some(open_end) = rest[start..].find('>').map(|i| start + i + 1) else { break };
        let Some(close) = rest[open_end..].find("</script>").map(|i| open_end + i) else { break };
        if !rest[start..open_end].contains("src=") {
            out.push(&rest[open_end..close]);
        }
        rest = &rest[close + "</script>".len()..];
    }
    out
}

/// Adds the hardening headers; refuses a `Host` not on the list, and a state-changing request
/// sent by another site.
pub async fn harden(State(h): State<Arc<Hardening>>, request: Request, next: Next) -> Response {
    if let Some(allowed) = &h.allowed_hosts {
        let host = request.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
        let bare = host.rsplit_once(':').map_or(host.as_str(), |(name, _)| name);
        if !allowed.iter().any(|a| a == &host || a == bare) {
            return ApiError::MisdirectedHost(host).into_response();
        }
    }
    if is_state_changing(request.method()) {
        if let Some(origin) = foreign_origin(request.headers()) {
            return ApiError::ForeignOrigin(origin).into_response();
        }
    }
    let no_store = {
        let path = request.uri().path();
        path.starts_with("/api/v1/scenarios") || path.starts_with("/api/v1/shared") || path.starts_with("/shared/")
    };
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, h.csp.clone());
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if no_store {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The site a request came from, when it is not this one: an `Origin` whose host differs from
/// the request's `Host`, or a browser's `Sec-Fetch-Site: cross-site`. Clients that are not
/// browsers send neither and pass.
fn foreign_origin(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let authority =
            origin.split_once("://").map_or(origin, |(_, rest)| rest).trim_end_matches('/').to_ascii_lowercase();
        if origin == "null" || authority != host {
            return Some(origin.to_string());
        }
        return None;
    }
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())?;
    (site == "cross-site").then(|| "another site (Sec-Fetch-Site: cross-site)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_linked_ones_are_not() {
        let html = r#"<script>a()</script><script type="module">
import x from '/y.js';
</script><script src="/z.js"></script>"#;
        assert_eq!(inline_scripts(html), vec!["a()", "\nimport x from '/y.js';\n"]);
    }

    #[test]
    fn another_site_is_told_apart_from_this_one() {
        let with = |pairs: &[(&str, &str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
            }
            foreign_origin(&h)
        };
        assert_eq!(with(&[("host", "tco.internal:8080"), ("origin", "http://tco.internal:8080")]), None);
        assert_eq!(
            with(&[("host", "tco.internal:8080"), ("origin", "https://evil.example")]),
            Some("https://evil.example".into())
        );
        assert_eq!(with(&[("host", "tco.internal"), ("origin", "null")]), Some("null".into()));
        assert!(with(&[("host", "tco.internal"), ("sec-fetch-site", "cross-site")]).is_some());
        assert_eq!(with(&[("host", "tco.internal"), ("sec-fetch-site", "same-origin")]), None);
        assert_eq!(with(&[("host", "tco.internal")]), None, "curl and the CLI send no Origin");
    }
}
