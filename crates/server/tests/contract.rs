//! The OpenAPI document says what the server enforces: its numbers come from the domain's
//! own constants, every operation lists the answers to a malformed request, the server's
//! answers keep to what the document allows (a whole number written `2.0` is an integer),
//! and no administration read is open to an officer, whatever endpoints are added.

mod common;

use common::{TestServer, Who};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use thidua_domain::error::ApiErrorBody;
use thidua_domain::model::BlocSummary;

async fn document(s: &TestServer) -> Value {
    s.ok(&Who::anonymous(), Method::GET, "/api/openapi.json", None).await
}

fn property<'a>(doc: &'a Value, schema: &str, field: &str) -> &'a Value {
    let found = &doc["components"]["schemas"][schema]["properties"][field];
    assert!(found.is_object(), "{schema}.{field} is in the document");
    found
}

#[tokio::test]
async fn the_document_states_the_domains_numbers() {
    use thidua_domain::{award_types, publication, sheet_edit, tally, Points, YEAR_MAX, YEAR_MIN};
    let s = TestServer::start().await;
    let doc = document(&s).await;

    // Points: exact hundredths everywhere (sums may pass the limit); what is typed in within it.
    let points = &doc["components"]["schemas"]["Points"];
    let (hundredth, limit) = (Points::from_hundredths(1).to_f64(), Points::LIMIT.to_f64());
    assert_eq!(points["multipleOf"].as_f64(), Some(hundredth));
    assert!(points.get("maximum").is_none(), "a total of many criteria may pass the limit");
    for (schema, field) in [("SelfScoreInput", "self_score"), ("VerifiedScoreInput", "verified_score")] {
        let score = property(&doc, schema, field);
        assert_eq!(score["type"], json!(["number", "null"]), "{schema}.{field}: null is not scored");
        assert_eq!(
            (score["minimum"].as_f64(), score["maximum"].as_f64(), score["multipleOf"].as_f64()),
            (Some(0.0), Some(limit), Some(hundredth)),
            "{field}"
        );
    }
    let adjustment = property(&doc, "Adjustment", "points");
    assert_eq!((adjustment["exclusiveMinimum"].as_f64(), adjustment["maximum"].as_f64()), (Some(0.0), Some(limit)));
    assert!(adjustment.get("minimum").is_none(), "above zero, not at least");

    // The years a new year, a unit's first year and its end may name.
    for (schema, field) in
        [("NewYear", "year"), ("NewYear", "copy_from"), ("NewUnit", "from_year"), ("UnitEnd", "from_year")]
    {
        let year = property(&doc, schema, field);
        assert_eq!(
            (year["minimum"].as_i64(), year["maximum"].as_i64()),
            (Some(i64::from(YEAR_MIN)), Some(i64::from(YEAR_MAX))),
            "{schema}.{field}"
        );
    }
    let voters = property(&doc, "Tally", "voters_present");
    assert_eq!((voters["minimum"].as_u64(), voters["maximum"].as_u64()), (Some(1), Some(u64::from(tally::VOTERS_MAX))));
    assert_eq!(property(&doc, "TallyEntry", "votes")["maximum"].as_u64(), Some(u64::from(tally::VOTERS_MAX)));
    assert_eq!(property(&doc, "AwardTypeInput", "precedence")["minimum"], 1);
    assert_eq!(property(&doc, "VoteThreshold", "denominator")["minimum"], 1);
    // A u32 takes up to 2^32 − 1, not int32's 2^31 − 1.
    for (schema, field) in
        [("AwardTypeInput", "quota_per_bloc"), ("AwardTypeInput", "precedence"), ("VoteThreshold", "numerator")]
    {
        let number = property(&doc, schema, field);
        assert_eq!(
            (number["format"].as_str(), number["maximum"].as_u64()),
            (Some("int64"), Some(u64::from(u32::MAX))),
            "{schema}.{field}"
        );
    }

    // Lengths and counts.
    let max_length = |schema: &str, field: &str| property(&doc, schema, field)["maxLength"].as_u64();
    let max_items = |schema: &str, field: &str| property(&doc, schema, field)["maxItems"].as_u64();
    assert_eq!(max_length("SelfScoreInput", "note"), Some(sheet_edit::NOTE_MAX as u64));
    assert_eq!(max_items("SelfScoreInput", "evidence"), Some(sheet_edit::LINKS_MAX as u64));
    assert_eq!(max_length("VerifiedScoreInput", "comment"), Some(sheet_edit::COMMENT_MAX as u64));
    assert_eq!(max_length("TransitionInput", "comment"), Some(sheet_edit::COMMENT_MAX as u64));
    assert_eq!(max_length("Adjustment", "reason"), Some(sheet_edit::REASON_MAX as u64));
    for list in ["bonuses", "deductions"] {
        assert_eq!(max_items("SelfAssessmentInput", list), Some(sheet_edit::ADJUSTMENTS_MAX as u64));
    }
    assert_eq!(max_length("AwardTypeInput", "name"), Some(u64::from(award_types::MAX_NAME)));
    assert_eq!(max_length("AwardTypeInput", "legal_basis"), Some(u64::from(award_types::MAX_LEGAL_BASIS)));
    assert_eq!(max_length("Decision", "issuer"), Some(u64::from(award_types::MAX_NAME)));
    assert_eq!(max_length("PublishRequest", "reason"), Some(u64::from(publication::REASON_MAX)));
    assert_eq!(max_length("NewBloc", "name"), Some(u64::from(thidua_domain::admin::criteria::MAX_TITLE)));
    // Text that must say something: not only spaces.
    for (schema, field) in [("Adjustment", "reason"), ("Override", "reason"), ("NewBloc", "name"), ("NewUnit", "name")]
    {
        assert_eq!(property(&doc, schema, field)["pattern"], "\\S", "{schema}.{field}");
    }

    // An officer's account names its unit; a staff account none.
    for schema in ["NewUser", "UserUpdate"] {
        let rule = &doc["components"]["schemas"][schema];
        assert_eq!(rule["if"]["properties"]["role"]["const"], "staff", "{schema}");
        assert_eq!(rule["then"]["properties"]["unit_id"]["type"], "null", "{schema}");
        assert_eq!(rule["else"]["required"], json!(["unit_id"]), "{schema}");
    }
    // A condition of an award type has only its own fields.
    for variant in doc["components"]["schemas"]["Eligibility"]["oneOf"].as_array().unwrap() {
        assert_eq!(variant["additionalProperties"], false, "{variant}");
    }
}

/// Just outside each stated bound is refused, on the field the document names; just inside
/// is not refused for that field.
#[tokio::test]
async fn the_server_refuses_what_the_document_refuses() {
    use thidua_domain::{YEAR_MAX, YEAR_MIN};
    let s = TestServer::start().await;
    let staff = s.login("staff").await;
    let fields = |body: &ApiErrorBody| body.fields.keys().cloned().collect::<Vec<_>>();
    for year in [YEAR_MIN - 1, YEAR_MAX + 1] {
        let body = s
            .refused(
                &staff,
                Method::POST,
                "/api/admin/years",
                Some(&json!({"year": year})),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
            )
            .await;
        assert_eq!(fields(&body), ["year"], "{year}");
    }
    for year in [YEAR_MIN, YEAR_MAX] {
        let response = s.send(&staff, Method::POST, "/api/admin/years", Some(&json!({"year": year}))).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{year}");
    }
    let blocs: Vec<BlocSummary> = s.ok(&staff, Method::GET, "/api/years/2019/blocs", None).await;
    let tally = format!("/api/years/2019/blocs/{}/tally", blocs[0].id);
    let body = json!({"tally": {"voters_present": 0, "votes": []}, "version": 0});
    let refused =
        s.refused(&staff, Method::PUT, &tally, Some(&body), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    assert_eq!(fields(&refused), ["tally.voters_present"]);
    // More voters than any conference: refused, with a maximum an answer can carry (a
    // client reads it as points), and votes above it are measured against it.
    let unit = blocs[0].leader.as_ref().map(|u| u.id).unwrap();
    let award: Vec<Value> = s.ok(&staff, Method::GET, "/api/years/2019/award-types", None).await;
    let votes = json!([{"unit_id": unit, "award_type_id": award[0]["id"], "votes": 4_000_000_001u32}]);
    let body = json!({"tally": {"voters_present": 4_000_000_000u32, "votes": votes}, "version": 0});
    let refused =
        s.refused(&staff, Method::PUT, &tally, Some(&body), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    let most = thidua_domain::Points::whole(i64::from(thidua_domain::tally::VOTERS_MAX));
    for field in ["tally.voters_present", "tally.votes.0.votes"] {
        assert_eq!(refused.fields[field], [thidua_domain::error::FieldError::AboveMax { max: most }], "{field}");
    }
    let body = json!({"tally": {"voters_present": 1, "votes": []}, "version": 0});
    assert_eq!(s.send(&staff, Method::PUT, &tally, Some(&body)).await.status(), StatusCode::OK);

    // An officer without a unit, staff with one.
    let user = |role: &str, unit: Value| json!({"username": format!("new-{role}"), "display_name": "Người mới", "role": role, "unit_id": unit, "password": "mười ký tự!!"});
    for (body, field) in [(user("unit_officer", Value::Null), "unit_id"), (user("staff", json!(1)), "unit_id")] {
        let refused = s
            .refused(
                &staff,
                Method::POST,
                "/api/admin/users",
                Some(&body),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
            )
            .await;
        assert_eq!(fields(&refused), [field], "{body}");
    }
    assert_eq!(
        s.send(&staff, Method::POST, "/api/admin/users", Some(&user("unit_officer", json!(1)))).await.status(),
        StatusCode::CREATED
    );
    // An object is never read from an array of its fields (serde's derive would).
    let refused = s
        .refused(
            &staff,
            Method::PUT,
            "/api/admin/years/2019",
            Some(&json!([null, null])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(fields(&refused), ["body"]);
    let body = json!({"tally": [1, []], "version": 0});
    let refused =
        s.refused(&staff, Method::PUT, &tally, Some(&body), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    assert_eq!(fields(&refused), ["tally"]);
    // An unknown field of a condition.
    let award = json!({"code": "moi", "name": "Mới", "precedence": 9, "quota_per_bloc": 1,
        "threshold": {"numerator": 1, "denominator": 2, "strict": true}, "exclusive": false, "legal_basis": "",
        "eligibility": [{"kind": "max_rank", "rank": 1, "extra": 1}]});
    let refused = s
        .refused(
            &staff,
            Method::POST,
            "/api/years/2019/award-types",
            Some(&award),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(fields(&refused), ["eligibility.0.extra"]);
    // The condition without fields of its own takes none either.
    let mut award = award;
    award["eligibility"] = json!([{"kind": "approved_sheet", "extra": 1}]);
    let path = "/api/years/2019/award-types";
    let refused =
        s.refused(&staff, Method::POST, path, Some(&award), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    assert_eq!(fields(&refused), ["eligibility.0.extra"]);
}

/// JSON Schema's `integer` is any number without a fraction: `2030.0` is 2030, in a body, a
/// path and a query alike.
#[tokio::test]
async fn whole_numbers_written_as_decimals_are_integers() {
    let s = TestServer::start().await;
    let staff = s.login("staff").await;
    let created =
        s.send(&staff, Method::POST, "/api/admin/years", Some(&json!({"year": 2030.0, "copy_from": 2.019e3}))).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let blocs: Vec<BlocSummary> = s.ok(&staff, Method::GET, "/api/years/2030.0/blocs", None).await;
    assert_eq!(blocs.len(), 1, "copied from 2019");
    let sheets = s.send(&staff, Method::GET, "/api/sheets?year=2019.0", None).await;
    assert_eq!(sheets.status(), StatusCode::OK);
    let csv = s
        .send(&staff, Method::GET, &format!("/api/years/2030.0/blocs/{}.0/results.csv?lang=en", blocs[0].id), None)
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    // A fraction is still no integer.
    let refused = s
        .refused(
            &staff,
            Method::POST,
            "/api/admin/years",
            Some(&json!({"year": 2031.5})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert!(refused.fields.contains_key("year"));
    s.refused(&staff, Method::GET, "/api/years/2030.5/blocs", None, StatusCode::BAD_REQUEST, "bad_request").await;
}

/// Every operation lists, from one place, the answers a malformed request gets; and the
/// server gives them.
#[tokio::test]
async fn every_operation_lists_the_answers_to_a_malformed_request() {
    let s = TestServer::start().await;
    let doc = document(&s).await;
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let answers = operation["responses"].as_object().unwrap();
            let has_parameters = operation["parameters"].as_array().is_some_and(|p| !p.is_empty());
            let body = &operation["requestBody"]["content"];
            let what = format!("{method} {path}");
            if has_parameters || body.is_object() {
                assert!(answers.contains_key("400"), "{what}: 400");
            }
            if body.is_object() {
                assert!(answers.contains_key("413") && answers.contains_key("415"), "{what}: 413, 415");
            }
            if body.get("application/json").is_some() {
                assert!(answers.contains_key("422"), "{what}: 422");
            }
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked} operations");
    let generic = &doc["components"]["responses"];
    for name in ["BadRequest", "PayloadTooLarge", "UnsupportedMediaType", "InvalidInput"] {
        assert_eq!(generic[name]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ApiErrorBody");
    }

    let staff = s.login("staff").await;
    let post = |body: &'static str, content_type: &'static str| {
        s.request(&staff, Method::PUT, "/api/admin/years/2019").header("Content-Type", content_type).body(body).send()
    };
    let code = |r: reqwest::Response| async move { (r.status(), r.json::<ApiErrorBody>().await.unwrap().code) };
    assert_eq!(
        code(post("{", "application/json").await.unwrap()).await,
        (StatusCode::BAD_REQUEST, "bad_request".into())
    );
    assert_eq!(
        code(post("{}", "text/plain").await.unwrap()).await,
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type".into())
    );
    assert_eq!(
        code(post("{\"open\": 1}", "application/json").await.unwrap()).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input".into())
    );
    let bad_path = s.send(&staff, Method::PUT, "/api/admin/years/abc", Some(&json!({}))).await;
    assert_eq!(code(bad_path).await, (StatusCode::BAD_REQUEST, "bad_request".into()));
}

/// Every administration read in the document, with the demo's ids: 401 to the public, 403 to
/// both kinds of officer, 200 to staff. Taken from the document, so a new one is covered.
#[tokio::test]
async fn no_administration_read_is_open_to_an_officer() {
    let s = TestServer::start().await;
    let doc = document(&s).await;
    let staff = s.login("staff").await;
    let officers = [s.login("yte").await, s.login("ldtbxh").await];
    let blocs: Vec<BlocSummary> = s.ok(&staff, Method::GET, "/api/years/2019/blocs", None).await;
    let bloc = blocs[0].id.to_string();
    let reads: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, item)| path.starts_with("/api/admin/") && item.get("get").is_some())
        .map(|(path, _)| path.replace("{year}", "2019").replace("{bloc_id}", &bloc).replace("{id}", "1"))
        .collect();
    assert!(reads.len() >= 5, "{reads:?}");
    for path in &reads {
        assert!(!path.contains('{'), "a parameter this test does not fill: {path}");
        s.refused(&Who::anonymous(), Method::GET, path, None, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        for officer in &officers {
            s.refused(officer, Method::GET, path, None, StatusCode::FORBIDDEN, "forbidden").await;
        }
        assert_eq!(s.send(&staff, Method::GET, path, None).await.status(), StatusCode::OK, "{path}");
    }
}

/// The document passes a standard validator (`openapi-spec-validator`, from PyPI, which
/// `scripts/setup.sh --tests` installs into `target/py`): every `$ref` resolves, operation ids
/// are unique, every schema is one OpenAPI 3.1 allows. Tools that generate clients or mock
/// servers from the document refuse it otherwise.
#[tokio::test]
async fn the_document_passes_a_standard_validator() {
    let s = TestServer::start().await;
    let doc = document(&s).await;
    let validator = std::env::var_os("THIDUA_OPENAPI_VALIDATOR").map(std::path::PathBuf::from).unwrap_or_else(|| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/py/bin/openapi-spec-validator")
    });
    assert!(
        validator.exists(),
        "{} is missing: run scripts/setup.sh --tests (or set THIDUA_OPENAPI_VALIDATOR)",
        validator.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let run = |file: &std::path::Path| {
        let out = std::process::Command::new(&validator)
            .args(["--validation-errors", "all"])
            .arg(file)
            .output()
            .expect("the validator runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, said) = run(&file);
    assert!(ok, "the validator refused the document:\n{said}");

    // The validator can refuse: the two faults an audit found, put back by hand.
    let mut broken = doc.clone();
    let first = broken["paths"].as_object_mut().unwrap().values_mut().find_map(|item| item.get_mut("get")).unwrap();
    first["parameters"] =
        json!([{"name": "lang", "in": "query", "schema": {"$ref": "#/components/schemas/NoSuchSchema"}}]);
    let broken_file = dir.path().join("broken.json");
    std::fs::write(&broken_file, serde_json::to_vec(&broken).unwrap()).unwrap();
    let (ok, said) = run(&broken_file);
    assert!(!ok, "a dangling $ref passed: {said}");

    let mut duplicate = doc.clone();
    for item in duplicate["paths"].as_object_mut().unwrap().values_mut().take(2) {
        item.as_object_mut().unwrap().values_mut().next().unwrap()["operationId"] = json!("same_id");
    }
    std::fs::write(&broken_file, serde_json::to_vec(&duplicate).unwrap()).unwrap();
    let (ok, said) = run(&broken_file);
    assert!(!ok, "a repeated operation id passed: {said}");
}

/// What the server answers keeps within what the document says of answers: the bounds the
/// domain guarantees (a year, a rank, a quota), and an audit entry's values as they are sent.
#[tokio::test]
async fn the_answers_keep_to_the_documents_bounds() {
    use thidua_domain::{YEAR_MAX, YEAR_MIN};
    let s = TestServer::start().await;
    let doc = document(&s).await;
    for (schema, field) in
        [("YearSummary", "year"), ("BlocResults", "year"), ("YearAdmin", "year"), ("UnitName", "from_year")]
    {
        let year = property(&doc, schema, field);
        assert_eq!(
            (year["minimum"].as_i64(), year["maximum"].as_i64()),
            (Some(i64::from(YEAR_MIN)), Some(i64::from(YEAR_MAX))),
            "{schema}.{field}"
        );
    }
    for (schema, field) in [
        ("RankingRow", "rank"),
        ("Eligibility", "rank"),
        ("AwardType", "quota_per_bloc"),
        ("AwardTypeInput", "quota_per_bloc"),
    ] {
        let found = if schema == "Eligibility" {
            &doc["components"]["schemas"][schema]["oneOf"][0]["properties"][field]
        } else {
            property(&doc, schema, field)
        };
        assert_eq!(found["minimum"], 1, "{schema}.{field}");
    }

    // A sheet's state change is audited with its states as text: the document allows any value.
    let (staff, yte) = (s.login("staff").await, s.login("yte").await);
    let sheet = s.sheet_of(&staff, 2019, "Sở Y tế").await;
    let version = s.view(&yte, sheet).await.version;
    let submit = json!({"base_version": version});
    s.expect(&yte, Method::POST, &format!("/api/sheets/{sheet}/submit"), Some(&submit), StatusCode::OK).await;
    let page: Value = s.ok(&yte, Method::GET, "/api/audit", None).await;
    let state_change = page["entries"].as_array().unwrap().iter().find(|e| e["action"] == "submit").unwrap();
    assert!(state_change["new"].is_string(), "{state_change}");
    for field in ["old", "new"] {
        let schema = property(&doc, "AuditRecord", field);
        assert!(schema.get("type").is_none() && schema.get("$ref").is_none(), "AuditRecord.{field}: {schema}");
    }
}

/// The audit filters say in the document what the server refuses (0, blank days, unknown
/// trails), and `publish` takes the `null` body the document allows.
#[tokio::test]
async fn the_audit_filters_and_publish_say_what_the_server_takes() {
    let s = TestServer::start().await;
    let doc = document(&s).await;
    let parameters = doc["paths"]["/api/audit"]["get"]["parameters"].as_array().unwrap().clone();
    let param = |name: &str| parameters.iter().find(|p| p["name"] == name).unwrap()["schema"].clone();
    assert_eq!(param("page")["minimum"], 1);
    assert_eq!((param("per_page")["minimum"].as_u64(), param("per_page")["maximum"].as_u64()), (Some(1), Some(200)));
    assert_eq!(param("source")["enum"], json!(["sheet", "award", "admin"]), "{}", param("source"));
    for day in ["from", "to"] {
        assert_eq!(param(day)["pattern"], "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "{day}");
    }
    let staff = s.login("staff").await;
    for (query, field) in [
        ("page=0", "page"),
        ("per_page=0", "per_page"),
        ("per_page=201", "per_page"),
        ("from=", "from"),
        ("to=", "to"),
        ("source=", "source"),
        ("source=sheets", "source"),
    ] {
        let refused = s
            .refused(
                &staff,
                Method::GET,
                &format!("/api/audit?{query}"),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
            )
            .await;
        assert!(refused.fields.contains_key(field), "{query}: {refused:?}");
    }
    for query in ["page=1", "per_page=1", "per_page=200", "from=2018-01-01", "to=2030-12-31", "source=admin"] {
        assert_eq!(s.send(&staff, Method::GET, &format!("/api/audit?{query}"), None).await.status(), StatusCode::OK);
    }

    let publish = &doc["paths"]["/api/years/{year}/blocs/{bloc_id}/publish"]["post"]["requestBody"];
    assert!(publish["content"]["application/json"]["schema"].to_string().contains("null"), "{publish}");
    // 2019's drafts are problems to acknowledge: `null` acknowledges none, so the answer is
    // the list of problems, not a refusal of the body.
    let blocs: Vec<BlocSummary> = s.ok(&staff, Method::GET, "/api/years/2019/blocs", None).await;
    let path = format!("/api/years/2019/blocs/{}/publish", blocs[0].id);
    let answer = s
        .request(&staff, Method::POST, &path)
        .header("Content-Type", "application/json")
        .body("null")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::CONFLICT);
    assert_eq!(answer.json::<ApiErrorBody>().await.unwrap().code, "publication_problems");
}
