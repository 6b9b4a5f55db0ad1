//! The schema checker (`tests/common/schema.rs`), on hand-written cases.

use crate::common::schema::{check, check_text};
use crate::operation;
use serde_json::{json, Value};

fn person() -> Value {
    json!({
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "age": {"type": "number"},
            "kind": {"type": "string", "enum": ["staff", "guest"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "extra": {"type": "object"},
            "nick": {"type": "string", "nullable": true},
            "address": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"]
            }
        },
        "required": ["kind", "name"]
    })
}

#[test]
fn the_checker_passes_a_value_that_conforms() {
    let value = json!({
        "name": "Ann", "age": 41.5, "kind": "staff", "tags": ["a", "b"],
        "extra": {"anything": [1, null]}, "nick": null, "address": {"city": "Paris"}
    });
    assert_eq!(check(&person(), &value), Vec::<String>::new());
}

#[test]
fn the_checker_reports_a_missing_required_field_with_its_pointer() {
    let value = json!({"kind": "guest", "address": {}});
    assert_eq!(
        check(&person(), &value),
        [
            "/name: missing required field",
            "/address/city: missing required field"
        ]
    );
}

#[test]
fn the_checker_reports_a_wrong_type_and_does_not_look_inside_it() {
    let value = json!({"name": 7, "kind": "guest", "address": "Paris", "age": "41"});
    assert_eq!(
        check(&person(), &value),
        [
            "/address: expected object, got string",
            "/age: expected number, got string",
            "/name: expected string, got number",
        ]
    );
    assert_eq!(
        check(&person(), &json!([])),
        ["/: expected object, got array"]
    );
}

#[test]
fn the_checker_reports_a_value_outside_the_enum() {
    assert_eq!(
        check(&person(), &json!({"name": "Ann", "kind": "boss"})),
        [r#"/kind: "boss" is not one of ["staff","guest"]"#]
    );
}

#[test]
fn the_checker_reports_an_unknown_field_but_lets_a_free_form_object_hold_anything() {
    let value = json!({"name": "Ann", "kind": "staff", "retryAfter": 3, "a/b~c": 1,
                       "extra": {"retryAfter": 3}});
    assert_eq!(
        check(&person(), &value),
        ["/a~1b~0c: unknown field", "/retryAfter: unknown field"]
    );
    let empty = json!({"type": "object", "properties": {}});
    assert_eq!(check(&empty, &json!({"x": 1})), ["/x: unknown field"]);
}

#[test]
fn the_checker_reports_null_unless_the_schema_is_nullable() {
    let value = json!({"name": null, "kind": "staff", "nick": null});
    assert_eq!(
        check(&person(), &value),
        ["/name: expected string, got null"]
    );
    assert_eq!(check(&json!({}), &Value::Null), Vec::<String>::new());
}

#[test]
fn the_checker_walks_arrays_with_the_index_in_the_pointer() {
    let value = json!({"name": "Ann", "kind": "staff", "tags": ["a", 2, "c", false]});
    assert_eq!(
        check(&person(), &value),
        [
            "/tags/1: expected string, got number",
            "/tags/3: expected string, got boolean"
        ]
    );
}

#[test]
fn the_checker_tells_an_integer_from_a_number() {
    let schema = json!({"type": "integer"});
    assert!(check(&schema, &json!(3)).is_empty());
    assert_eq!(
        check(&schema, &json!(3.5)),
        ["/: expected integer, got number"]
    );
    assert!(check(&json!({"type": "number"}), &json!(3.5)).is_empty());
}

#[test]
fn the_checker_follows_a_ref_to_the_enclosing_schema_of_that_id() {
    // The spec's one cycle, TreeStructs.children, as the extract writes it.
    let tree = json!({
        "$id": "TreeStructs",
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "TreeStructs"}}
        },
        "required": ["code"]
    });
    let value = json!({"code": "a", "children": [{"code": "b", "children": [{"children": []}]}]});
    assert_eq!(
        check(&tree, &value),
        ["/children/0/children/0/code: missing required field"]
    );
    assert_eq!(
        check(&json!({"$ref": "Nowhere"}), &json!(1)),
        [r#"/: the schema's $ref "Nowhere" has no enclosing $id"#]
    );
}

#[test]
fn the_checker_needs_one_any_of_alternative_and_exactly_one_one_of() {
    let alternatives = json!([{"type": "string"}, {"type": "number"}, {"enum": [1]}]);
    let any = json!({"anyOf": alternatives});
    let one = json!({"oneOf": alternatives});
    assert!(check(&any, &json!("x")).is_empty());
    assert_eq!(
        check(&any, &json!(true)),
        ["/: matches 0 of the 3 anyOf alternatives"]
    );
    assert!(check(&one, &json!(2)).is_empty());
    assert_eq!(
        check(&one, &json!(1)),
        ["/: matches 2 of the 3 oneOf alternatives"]
    );
}

#[test]
fn the_checker_applies_additional_properties() {
    let map = json!({"type": "object", "additionalProperties": {"type": "number"}});
    assert_eq!(
        check(&map, &json!({"a": 1, "b": "x"})),
        ["/b: expected number, got string"]
    );
    let closed = json!({"type": "object", "additionalProperties": false});
    assert_eq!(check(&closed, &json!({"a": 1})), ["/a: unknown field"]);
}

#[test]
fn the_text_checker_reads_numbers_and_booleans_spelled_as_text() {
    let query = json!({
        "type": "object",
        "properties": {
            "page": {"type": "number"},
            "success": {"type": "boolean"},
            "limit": {"type": "integer"}
        },
        "required": ["page"]
    });
    assert!(check_text(
        &query,
        &json!({"page": "2", "success": "true", "limit": "10"})
    )
    .is_empty());
    assert_eq!(
        check_text(
            &query,
            &json!({"page": "two", "success": "yes", "limit": "1.5"})
        ),
        [
            "/limit: expected integer, got string",
            "/page: expected number, got string",
            "/success: expected boolean, got string",
        ]
    );
    let levels = json!({"type": "number", "enum": [1, 2]});
    assert!(check_text(&levels, &json!("2")).is_empty());
    assert_eq!(
        check_text(&levels, &json!("3")),
        [r#"/: "3" is not one of [1,2]"#]
    );
    // The plain checker does not accept text for numbers.
    assert_eq!(
        check(&query, &json!({"page": "2"})),
        ["/page: expected number, got string"]
    );
}

#[test]
fn the_checker_flags_what_the_spec_says_about_a_real_answer() {
    // SystemInfoResp, from the extract, against an answer that lacks what it requires.
    let (_, op) = operation("GET", "/api/v3/system").expect("the system path");
    let answer = json!({"rsa": {"publicKey": "k"}, "sm2": {"publicKey": 5},
                        "version": {"server": "1", "console": "1", "login": "1"}});
    assert_eq!(
        check(&op["response"]["schema"], &answer),
        [
            "/publicIps: missing required field",
            "/sm2/publicKey: expected string, got number"
        ]
    );
}
