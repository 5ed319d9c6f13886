//! Who is signed in. Public readers never ask the server: the app checks the session only
//! when this device has signed in before, so the public pages cost no extra request.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use thidua_domain::auth::Me;

use crate::api::ApiError;
use crate::staff::api;

use crate::prefs::SIGNED_IN_KEY;

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
