//! Who is signed in. Public readers never ask the server: the app checks the session only
//! when this device has signed in before, so the public pages cost no extra request.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use thidua_domain::auth::{same_origin_path, Me};

use crate::api::{self, ApiError};

const SIGNED_IN_KEY: &str = "thidua.signed_in";

/// The signed-in user, shared by every page through the context.
#[derive(Clone, Copy)]
pub struct Session {
    /// `None` while unknown or signed out.
    pub me: RwSignal<Option<Me>>,
    /// False until the first check has answered (or was not needed).
    pub checked: RwSignal<bool>,
}

impl Session {
    pub fn signed_in(&self, me: Me) {
        let _ = LocalStorage::set(SIGNED_IN_KEY, true);
        self.me.set(Some(me));
    }

    /// Forgets the user here; the server forgets the session on `api::logout`.
    pub fn signed_out(&self) {
        LocalStorage::delete(SIGNED_IN_KEY);
        self.me.set(None);
    }
}

/// Creates the session context and, if this device was signed in, asks who it is.
pub fn provide_session() -> Session {
    let session = Session { me: RwSignal::new(None), checked: RwSignal::new(false) };
    provide_context(session);
    if LocalStorage::get::<bool>(SIGNED_IN_KEY).unwrap_or(false) {
        spawn_local(async move {
            match api::me().await {
                Ok(me) => session.me.set(Some(me)),
                Err(ApiError::Unauthenticated) => session.signed_out(),
                // Offline: stay "unknown"; a form retries when it needs the session.
                Err(_) => {}
            }
            session.checked.set(true);
        });
    } else {
        session.checked.set(true);
    }
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The sign-in page, coming back to where the reader is now.
pub fn sign_in_href() -> String {
    let here = window().location();
    let path = here.pathname().unwrap_or_default() + &here.search().unwrap_or_default();
    format!("/sign-in?next={}", js_sys::encode_uri_component(&path))
}

/// Where to go after signing in: `next` if it is a path of this app, else the sheets. The
/// domain's rule first, then the browser's own reading of it against this page's origin, so
/// that nothing the browser would take to another site is followed.
pub fn after_sign_in(next: Option<&str>) -> String {
    next.and_then(same_origin_path).and_then(resolve_here).unwrap_or_else(|| "/sheets".to_owned())
}

/// `path` resolved against this page: its path, query and fragment, if it stays on this origin.
fn resolve_here(path: &str) -> Option<String> {
    let origin = window().location().origin().ok()?;
    let url = web_sys::Url::new_with_base(path, &origin).ok()?;
    (url.origin() == origin).then(|| format!("{}{}{}", url.pathname(), url.search(), url.hash()))
}
