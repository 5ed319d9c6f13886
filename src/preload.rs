//! The API's answers that came with the page. The server renders a public page with the same
//! components and puts every answer it used into the page (`<script type="application/json"
//! id="thidua-preload">`); the app in the browser reads them for its first render, so it shows
//! the same content at once, without asking the API again. Anything not there is fetched.

use std::any::Any;
#[cfg(not(target_arch = "wasm32"))]
use std::collections::HashMap;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::api::{answer_error, ApiError, ApiResult};

/// The id of the script element that carries the answers.
pub const SCRIPT_ID: &str = "thidua-preload";

/// One answer of the API as it was sent: its status and its JSON body.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Answer {
    pub status: u16,
    pub body: Box<RawValue>,
}

/// An answer as the browser parsed it (`JSON.parse`): decoding it with serde-wasm-bindgen
/// keeps serde_json's parser out of the download.
#[cfg(target_arch = "wasm32")]
struct Carried {
    status: u16,
    body: wasm_bindgen::JsValue,
}
#[cfg(not(target_arch = "wasm32"))]
type Carried = Answer;

/// The answers by request path (`/api/years/2018/blocs/1/results`). Each is used once: a
/// later visit to the same page asks the API again.
#[derive(Clone, Default)]
pub struct Preload {
    /// In the browser, the parsed script as it is: an object keyed by path.
    #[cfg(target_arch = "wasm32")]
    answers: Option<Arc<send_wrapper::SendWrapper<js_sys::Object>>>,
    #[cfg(not(target_arch = "wasm32"))]
    answers: Arc<Mutex<HashMap<String, Answer>>>,
    /// The paths asked for that were not here (the server fetches them and renders again).
    missing: Arc<Mutex<Vec<String>>>,
}

impl Preload {
    #[cfg(not(target_arch = "wasm32"))]
    pub fn new(answers: HashMap<String, Answer>) -> Preload {
        Preload { answers: Arc::new(Mutex::new(answers)), missing: Arc::default() }
    }

    /// What the page carried, if it carried anything readable.
    #[cfg(target_arch = "wasm32")]
    pub fn from_json(text: &str) -> Preload {
        use wasm_bindgen::JsCast;
        let parsed = js_sys::JSON::parse(text).ok().and_then(|v| v.dyn_into::<js_sys::Object>().ok());
        let answers = parsed.map(|answers| Arc::new(send_wrapper::SendWrapper::new(answers)));
        Preload { answers, missing: Arc::default() }
    }

    #[cfg(target_arch = "wasm32")]
    fn remove(&self, path: &str) -> Option<Carried> {
        use js_sys::Reflect;
        let (answers, key) = (&***self.answers.as_ref()?, wasm_bindgen::JsValue::from_str(path));
        let answer = Reflect::get(answers, &key).ok().filter(|a| a.is_object())?;
        let _ = Reflect::delete_property(answers, &key);
        let field = |name: &str| Reflect::get(&answer, &name.into()).unwrap_or_default();
        Some(Carried { status: field("status").as_f64()? as u16, body: field("body") })
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn remove(&self, path: &str) -> Option<Carried> {
        self.answers.lock().ok()?.remove(path)
    }

    fn take(&self, path: &str) -> Option<Carried> {
        let answer = self.remove(path);
        if answer.is_none() {
            if let Ok(mut missing) = self.missing.lock() {
                missing.push(path.to_owned());
            }
        }
        answer
    }

    /// The paths asked for that were not here, each once.
    pub fn missing(&self) -> Vec<String> {
        let mut paths = self.missing.lock().map(|m| m.clone()).unwrap_or_default();
        paths.sort();
        paths.dedup();
        paths
    }
}

/// The answer to GET `path` that came with the page, decoded as the API client would.
pub fn take<T: serde::de::DeserializeOwned>(path: &str) -> Option<ApiResult<T>> {
    let answer = use_context::<Preload>()?.take(path)?;
    #[cfg(target_arch = "wasm32")]
    let body = &answer.body;
    #[cfg(not(target_arch = "wasm32"))]
    let body = answer.body.get();
    if (200..300).contains(&answer.status) {
        return Some(crate::api::from_json(body).map_err(|_| ApiError::Decode));
    }
    let code = crate::api::from_json::<crate::api::ErrorCode>(body).map(|b| b.code).unwrap_or_default();
    // The server renders as the public sees it. Unpublished or withdrawn results are asked
    // again with the session of someone signed in here: staff and the leader's officer see
    // their preview.
    if matches!(code.as_str(), "not_published" | "withdrawn") && crate::prefs::maybe_signed_in() {
        return None;
    }
    Some(Err(answer_error(answer.status, code)))
}

/// The data of an answer being fetched, behind `dyn Any`: always the `T` of its `Source<T>`.
pub(crate) type Erased = Arc<dyn Any + Send + Sync>;

type Fetcher = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = ApiResult<Erased>>>>>;

/// What a component shows: an answer it already has, or one being fetched.
pub enum Source<T: 'static> {
    Ready(StoredValue<ApiResult<T>>),
    /// Being fetched. The resource has one type for every answer, so the reactive system's
    /// fetching code is in the download once, not once per type of data.
    Fetch(LocalResource<ApiResult<Erased>>, PhantomData<fn() -> T>),
    /// A resource the staff's pages made themselves.
    #[cfg(feature = "staff")]
    Resource(LocalResource<ApiResult<T>>),
    /// On the server, an answer the page did not carry yet: the server fetches it and renders
    /// again, so the page it sends never shows this.
    Pending,
}

impl<T: 'static> Clone for Source<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Source<T> {}

/// The `T` behind a fetched answer (never another type: `load_with` put it there).
pub(crate) fn downcast<T: Clone + 'static>(answer: ApiResult<Erased>) -> ApiResult<T> {
    answer.and_then(|data| data.downcast_ref::<T>().cloned().ok_or(ApiError::Decode))
}

impl<T: Clone + Send + Sync + 'static> Source<T> {
    /// The answer, once there is one (reactive while it is being fetched).
    pub fn get(&self) -> Option<ApiResult<T>> {
        match self {
            Source::Ready(value) => Some(value.get_value()),
            Source::Fetch(resource, _) => resource.get().map(downcast),
            #[cfg(feature = "staff")]
            Source::Resource(resource) => resource.get(),
            Source::Pending => None,
        }
    }
}

#[cfg(feature = "staff")]
impl<T: 'static> From<LocalResource<ApiResult<T>>> for Source<T> {
    fn from(resource: LocalResource<ApiResult<T>>) -> Self {
        Source::Resource(resource)
    }
}

/// `ready` if the page carried it, else what `fetch` brings (in the browser).
pub fn load_with<T, Fut>(ready: Option<ApiResult<T>>, fetch: impl Fn() -> Fut + 'static) -> Source<T>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    match ready {
        Some(answer) => Source::Ready(StoredValue::new(answer)),
        None if cfg!(feature = "ssr") => {
            drop(fetch);
            Source::Pending
        }
        None => {
            let fetch: Fetcher = Rc::new(move || {
                let answer = fetch();
                Box::pin(async move { answer.await.map(|data| Arc::new(data) as Erased) })
            });
            Source::Fetch(fetched(fetch), PhantomData)
        }
    }
}

fn fetched(fetch: Fetcher) -> LocalResource<ApiResult<Erased>> {
    LocalResource::new(move || fetch())
}

/// The answer of one GET: from the page if it came with it, else from the API.
pub fn load<T>(query: impl Fn() -> crate::api::Query<T> + Copy + 'static) -> Source<T>
where
    T: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    load_with(take(query().path()), move || query().send())
}

/// The answers this page came with (in the browser; none elsewhere).
pub fn from_page() -> Preload {
    #[cfg(target_arch = "wasm32")]
    if let Some(script) = document().get_element_by_id(SCRIPT_ID) {
        return Preload::from_json(&script.text_content().unwrap_or_default());
    }
    Preload::default()
}
