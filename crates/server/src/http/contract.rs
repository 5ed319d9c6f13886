//! What the OpenAPI document says beyond each handler's own annotations, written once: the
//! answers any operation gives to a request that is malformed rather than wrong (400, 413,
//! 415, 422), the rules that span fields of a schema (an officer's unit), and what utoipa
//! cannot say by itself (a `u32`'s range, a tagged enum's closed variants).

use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::schema::{
    AdditionalProperties, KnownFormat, Object, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Content, OpenApi as OpenApiDoc, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, Number};

use super::error::BODY_LIMIT;

/// The answers to how a request is written, as `components/responses`, each added to every
/// operation it applies to unless the operation describes it itself.
pub struct CommonAnswers;

const BAD_REQUEST: &str = "BadRequest";
const TOO_LARGE: &str = "PayloadTooLarge";
const MEDIA_TYPE: &str = "UnsupportedMediaType";
const INVALID: &str = "InvalidInput";

impl Modify for CommonAnswers {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let too_large = format!("`payload_too_large`: the body is over {} KiB", BODY_LIMIT / 1024);
        for (name, description) in [
            (BAD_REQUEST, "`bad_request`: a path or query parameter is malformed (not a number, out of range), or the body is not JSON"),
            (TOO_LARGE, too_large.as_str()),
            (MEDIA_TYPE, "`unsupported_media_type`: the body is not of the content type the operation reads"),
            (INVALID, "`invalid_input`: `fields` names each field that is `required` (missing), `invalid` (of another type) or an `unknown_field`, then what the rules refuse"),
        ] {
            let response = ResponseBuilder::new()
                .description(description)
                .content("application/json", Content::new(Some(Ref::from_schema_name("ApiErrorBody"))))
                .build();
            components.responses.insert(name.to_owned(), RefOr::T(response));
        }
        for item in openapi.paths.paths.values_mut() {
            let shared_parameters = item.parameters.as_ref().is_some_and(|p| !p.is_empty());
            for operation in operations(item) {
                add_common_answers(operation, shared_parameters);
            }
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch, &mut item.head]
        .into_iter()
        .filter_map(Option::as_mut)
}

fn add_common_answers(operation: &mut Operation, shared_parameters: bool) {
    let parameters = shared_parameters || operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let body = operation.request_body.as_ref();
    let reads_json = body.is_some_and(|b| b.content.contains_key("application/json"));
    let reads_body = body.is_some();
    let responses = &mut operation.responses.responses;
    let mut add = |status: &str, name: &str| {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::Ref(Ref::new(format!("#/components/responses/{name}"))));
    };
    if parameters || reads_body {
        add("400", BAD_REQUEST);
    }
    if reads_body {
        add("413", TOO_LARGE);
        add("415", MEDIA_TYPE);
    }
    if reads_json {
        add("422", INVALID);
    }
}

/// utoipa writes a `u32` as `format: int32, minimum: 0` (or the minimum given), which reads as a signed 32-bit
/// integer (at most 2^31 − 1) while the server takes up to 2^32 − 1: said exactly here.
pub struct UnsignedIntegers;

impl Modify for UnsignedIntegers {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let Some(components) = openapi.components.as_mut() else { return };
        for schema in components.schemas.values_mut() {
            each_object(schema, &mut unsigned);
        }
    }
}

fn unsigned(object: &mut Object) {
    let int32 = matches!(object.format, Some(SchemaFormat::KnownFormat(KnownFormat::Int32)));
    let from_zero = match object.minimum {
        Some(Number::Int(m)) => m >= 0,
        Some(Number::UInt(_)) => true,
        Some(Number::Float(m)) => m >= 0.0,
        None => false,
    };
    if int32 && from_zero && object.maximum.is_none() {
        object.format = Some(SchemaFormat::KnownFormat(KnownFormat::Int64));
        object.maximum = Some(Number::UInt(u32::MAX as usize));
    }
}

/// Calls `visit` on every object schema in `schema` (a property's, an item's, a variant's too),
/// outer ones first.
fn each_object(schema: &mut RefOr<Schema>, visit: &mut impl FnMut(&mut Object)) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(object) => {
            visit(object);
            for property in object.properties.values_mut() {
                each_object(property, visit);
            }
        }
        Schema::Array(array) => {
            if let utoipa::openapi::schema::ArrayItems::RefOrSchema(items) = &mut array.items {
                each_object(items, visit);
            }
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(|item| each_object(item, visit)),
        Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(|item| each_object(item, visit)),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(|item| each_object(item, visit)),
        _ => {}
    }
}

/// Rules a schema's fields keep together: an officer's account names its unit, a staff
/// account none (`unit_id`); a condition of an award type has no other fields than its own.
pub struct CrossFieldRules;

impl Modify for CrossFieldRules {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let Some(components) = openapi.components.as_mut() else { return };
        let officer_needs_a_unit = serde_json::json!({
            "if": {"properties": {"role": {"const": "staff"}}, "required": ["role"]},
            "then": {"properties": {"unit_id": {"type": "null"}}},
            "else": {"properties": {"unit_id": {"type": "integer"}}, "required": ["unit_id"]},
        });
        for name in ["NewUser", "UserUpdate"] {
            if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(name) {
                let extensions = object.extensions.get_or_insert_with(Default::default);
                for (keyword, rule) in officer_needs_a_unit.as_object().into_iter().flatten() {
                    extensions.insert(keyword.clone(), rule.clone());
                }
                let unit = ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .description(Some(
                        "Required for an officer (`unit_officer`, `leader_officer`): the unit it acts for; \
                         `null` or left out for `staff`.",
                    ));
                object.properties.insert("unit_id".to_owned(), unit.into());
            }
        }
        // The conditions refuse unknown fields as the structs do (`error::from_json` makes
        // sure of it for the variant without fields, which serde alone would let take any).
        if let Some(RefOr::T(Schema::OneOf(one_of))) = components.schemas.get_mut("Eligibility") {
            for variant in &mut one_of.items {
                if let RefOr::T(Schema::Object(object)) = variant {
                    object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
                }
            }
        }
    }
}

/// The bounds the domain guarantees of what it answers, on every schema that carries such a
/// field: a year is within `YEAR_MIN..=YEAR_MAX` (no year outside it can be created), a rank
/// starts at 1. A generated client can then rely on them as it relies on the requests' bounds.
pub struct AnswerBounds;

impl Modify for AnswerBounds {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let Some(components) = openapi.components.as_mut() else { return };
        for schema in components.schemas.values_mut() {
            each_object(schema, &mut |object| {
                for (name, field) in object.properties.iter_mut() {
                    bound_field(name, field);
                }
            });
        }
    }
}

/// The field `name`, inline or a reference to the shared `i32` schema (how utoipa writes the
/// `Year` alias), nullable or not.
fn bound_field(name: &str, field: &mut RefOr<Schema>) {
    use thidua_domain::{YEAR_MAX, YEAR_MIN};
    let year = matches!(name, "year" | "from_year" | "to_year" | "copy_from");
    match field {
        RefOr::Ref(reference) if year && reference.ref_location.ends_with("/i32") => {
            let bounded = ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::Integer))
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
                .minimum(Some(Number::Int(YEAR_MIN as isize)))
                .maximum(Some(Number::Int(YEAR_MAX as isize)));
            *field = RefOr::T(Schema::Object(bounded.build()));
        }
        RefOr::T(Schema::OneOf(one_of)) => one_of.items.iter_mut().for_each(|item| bound_field(name, item)),
        RefOr::T(Schema::Object(field)) => {
            let integer = match &field.schema_type {
                SchemaType::Type(t) => *t == Type::Integer,
                SchemaType::Array(types) => types.contains(&Type::Integer),
                SchemaType::AnyValue => false,
            };
            // Only where the schema says no more than "an integer" (a `u32`'s own 0 included).
            let unbounded = match field.minimum {
                None => true,
                Some(Number::Int(m)) => m == 0,
                Some(Number::UInt(m)) => m == 0,
                Some(Number::Float(m)) => m == 0.0,
            };
            if !integer || !unbounded {
                return;
            }
            if year && field.maximum.is_none() {
                field.minimum = Some(Number::Int(YEAR_MIN as isize));
                field.maximum = Some(Number::Int(YEAR_MAX as isize));
            } else if name == "rank" {
                field.minimum = Some(Number::Int(1));
            }
        }
        _ => {}
    }
}
