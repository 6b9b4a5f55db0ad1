//! A structural checker for the schemas of `tests/spec/authentication-v3.json` (the extract
//! `tools/extract_spec.py` makes from Authing's OpenAPI spec): required fields present,
//! types and enums right, no field the schema lacks.
//!
//! A schema is the extract's subset of OpenAPI 3.0: `type` (`string`, `number`, `integer`,
//! `boolean`, `object`, `array`), `properties`, `required`, `enum`, `nullable`, `items`,
//! `additionalProperties`, `anyOf`, `oneOf`, and `$id`/`$ref` for a schema that contains
//! itself. The rules:
//! - an object whose schema has `properties` (even `{}`) may hold only those fields, plus
//!   what `additionalProperties` allows; an object schema without `properties` is free-form
//!   (the spec's `customData`, `context`);
//! - `null` is a value like any other: it passes only where the schema says `nullable` or
//!   gives no type (OpenAPI 3.0 has no `null` type);
//! - a schema without `type` accepts any type, but its other keywords still apply;
//! - `number` takes any JSON number, `integer` only whole ones;
//! - `anyOf` needs at least one alternative without violations, `oneOf` exactly one.
//!
//! Each violation is one string, `"<pointer>: <what>"`, where the pointer is JSON-pointer
//! style (`/data/passwordResetToken`, `/items/0`; `/` alone is the whole value).

use serde_json::Value;

/// The violations of `value` against `schema`; empty when it conforms. For example
/// `{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}` against `{}`
/// gives `["/a: missing required field"]` (`tests/conformance/` has the cases).
pub fn check(schema: &Value, value: &Value) -> Vec<String> {
    let mut walker = Walker {
        lexical: false,
        out: Vec::new(),
        ancestors: Vec::new(),
    };
    walker.walk(schema, value, "");
    walker.out
}

/// As [`check`], for values that arrive as text (a query string, a form body): a string
/// passes as a `number`, `integer` or `boolean` when it spells one (`"12"`, `"true"`).
pub fn check_text(schema: &Value, value: &Value) -> Vec<String> {
    let mut walker = Walker {
        lexical: true,
        out: Vec::new(),
        ancestors: Vec::new(),
    };
    walker.walk(schema, value, "");
    walker.out
}

struct Walker<'s> {
    lexical: bool,
    out: Vec<String>,
    /// The enclosing schemas that carry an `$id`, innermost last.
    ancestors: Vec<(&'s str, &'s Value)>,
}

impl<'s> Walker<'s> {
    fn report(&mut self, at: &str, what: impl std::fmt::Display) {
        let at = if at.is_empty() { "/" } else { at };
        self.out.push(format!("{at}: {what}"));
    }

    fn walk(&mut self, schema: &'s Value, value: &Value, at: &str) {
        let Some(rules) = schema.as_object() else {
            self.report(at, format!("the schema is not an object: {schema}"));
            return;
        };
        if let Some(name) = rules.get("$ref").and_then(Value::as_str) {
            match self.ancestors.iter().rev().find(|(id, _)| *id == name) {
                Some(&(_, target)) => self.walk(target, value, at),
                None => self.report(
                    at,
                    format!("the schema's $ref {name:?} has no enclosing $id"),
                ),
            }
            return;
        }
        let id = rules.get("$id").and_then(Value::as_str);
        if let Some(id) = id {
            self.ancestors.push((id, schema));
        }
        self.walk_rules(rules, value, at);
        if id.is_some() {
            self.ancestors.pop();
        }
    }

    fn walk_rules(&mut self, rules: &'s serde_json::Map<String, Value>, value: &Value, at: &str) {
        let ty = rules.get("type").and_then(Value::as_str);
        if value.is_null() {
            let nullable = rules.get("nullable").and_then(Value::as_bool) == Some(true);
            if let (Some(ty), false) = (ty, nullable) {
                self.report(at, format!("expected {ty}, got null"));
            }
            return;
        }
        if let Some(ty) = ty {
            if !self.has_type(ty, value) {
                self.report(at, format!("expected {ty}, got {}", kind(value)));
                return;
            }
        }
        if let Some(allowed) = rules.get("enum").and_then(Value::as_array) {
            if !allowed.iter().any(|a| self.same(a, value)) {
                self.report(
                    at,
                    format!("{value} is not one of {}", Value::from(allowed.clone())),
                );
            }
        }
        for (key, exactly_one) in [("anyOf", false), ("oneOf", true)] {
            if let Some(options) = rules.get(key).and_then(Value::as_array) {
                self.alternatives(key, options, exactly_one, value, at);
            }
        }
        if let Value::Object(fields) = value {
            self.object(rules, fields, at);
        }
        if let (Value::Array(items), Some(item)) = (value, rules.get("items")) {
            for (i, v) in items.iter().enumerate() {
                self.walk(item, v, &format!("{at}/{i}"));
            }
        }
    }

    fn object(
        &mut self,
        rules: &'s serde_json::Map<String, Value>,
        fields: &serde_json::Map<String, Value>,
        at: &str,
    ) {
        for name in rules
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !fields.contains_key(name) {
                self.report(&child(at, name), "missing required field");
            }
        }
        let properties = rules.get("properties").and_then(Value::as_object);
        let extra = rules.get("additionalProperties");
        for (name, v) in fields {
            let here = child(at, name);
            match (properties.and_then(|p| p.get(name)), extra) {
                (Some(sub), _) => self.walk(sub, v, &here),
                (None, Some(Value::Bool(true))) => {}
                (None, Some(Value::Bool(false))) => self.report(&here, "unknown field"),
                (None, Some(sub)) => self.walk(sub, v, &here),
                (None, None) if properties.is_some() => self.report(&here, "unknown field"),
                // No `properties`: a free-form object.
                (None, None) => {}
            }
        }
    }

    fn alternatives(
        &mut self,
        key: &str,
        options: &'s [Value],
        exactly_one: bool,
        value: &Value,
        at: &str,
    ) {
        let matching = options
            .iter()
            .filter(|option| {
                let mut trial = Walker {
                    lexical: self.lexical,
                    out: Vec::new(),
                    ancestors: self.ancestors.clone(),
                };
                trial.walk(option, value, at);
                trial.out.is_empty()
            })
            .count();
        let ok = if exactly_one {
            matching == 1
        } else {
            matching >= 1
        };
        if !ok {
            self.report(
                at,
                format!(
                    "matches {matching} of the {} {key} alternatives",
                    options.len()
                ),
            );
        }
    }

    fn has_type(&self, ty: &str, value: &Value) -> bool {
        let text = value.as_str().filter(|_| self.lexical);
        match ty {
            "string" => value.is_string(),
            "number" => {
                value.is_number()
                    || text.is_some_and(|t| t.parse::<f64>().is_ok_and(f64::is_finite))
            }
            "integer" => {
                value.is_i64()
                    || value.is_u64()
                    || value.as_f64().is_some_and(|f| f.fract() == 0.0)
                    || text.is_some_and(|t| t.parse::<i64>().is_ok())
            }
            "boolean" => value.is_boolean() || text.is_some_and(|t| t == "true" || t == "false"),
            "object" => value.is_object(),
            "array" => value.is_array(),
            // An unknown type name is the extract's fault; say so rather than pass.
            _ => false,
        }
    }

    /// Enum membership: JSON equality, and in lexical mode a string whose text reads as
    /// the (non-string) allowed value, `"2"` for `2`.
    fn same(&self, allowed: &Value, value: &Value) -> bool {
        let read = |t: &str| serde_json::from_str::<Value>(t).ok();
        allowed == value
            || (self.lexical
                && !allowed.is_string()
                && value.as_str().and_then(read).as_ref() == Some(allowed))
    }
}

/// The pointer of field `name` under `at` (`~` and `/` escaped as in RFC 6901).
fn child(at: &str, name: &str) -> String {
    format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
