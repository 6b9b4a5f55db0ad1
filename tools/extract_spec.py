#!/usr/bin/env python3
"""Extract the request and answer schemas of Authing's v3 authentication OpenAPI spec.

Usage (from the repository root; python3, standard library only):

    python3 tools/extract_spec.py ../shared/reference/authentication-openapi.json \
        tests/spec/authentication-v3.json

The output is the compact extract `tests/conformance/` checks the SDK and the emulator
against, so `cargo test` needs nothing outside the repository. For every path and method of
the spec it keeps:

- `request`: the request body (`contentType`, `required`, `schema`), when the spec has one;
- `query`: the query parameters as one object schema (parameter name -> schema, `required`),
  when the spec has any (path parameters are matched by the path template instead);
- `response`: the first 2xx answer that has a JSON schema (`status`, `schema`): "200", or
  "201" where the spec has no 200.

Top level: `source` (the spec's title, version and path count), `failure` (the spec's
`CommonResponseDto`: the envelope `{statusCode, message, apiCode?, requestId?}` that a
business failure answers instead of a path's success schema), and `paths`.

A schema keeps only what a structural check needs: `type`, `properties` (present, possibly
empty, on objects whose fields the spec lists: any other field is unknown; absent on
free-form objects such as `customData`), `required` (sorted), `enum` (the spec's order),
`nullable`, `items`, `additionalProperties`, `anyOf`/`oneOf`. Descriptions, examples,
formats, lengths and defaults are dropped.

`$ref`s are resolved inline; `allOf` members are merged into one schema (union of
properties and of required). A `$ref` back to a schema that is being resolved (a cycle:
the spec's `TreeStructs.children`) becomes `{"$ref": NAME}`, and the enclosing schema of
that name carries `"$id": NAME`; the checker resolves it to the nearest such ancestor.

The output is deterministic: keys sorted, one-space indent, a trailing newline, so a
regenerated extract differs from the checked-in one only when the spec does.
"""

import json
import sys

# Keys copied as they are (after their values are simplified).
SCALAR_KEYS = ("type", "nullable")


class Extractor:
    def __init__(self, spec):
        self.spec = spec
        self.schemas = spec.get("components", {}).get("schemas", {})

    def ref_name(self, ref):
        prefix = "#/components/schemas/"
        if not ref.startswith(prefix):
            raise ValueError("unsupported $ref: " + ref)
        return ref[len(prefix):]

    def resolve(self, node, stack):
        """The simplified form of a schema node; `stack` holds the names being resolved."""
        if not isinstance(node, dict):
            raise ValueError("a schema must be an object, got: %r" % (node,))
        if "$ref" in node:
            name = self.ref_name(node["$ref"])
            if name in stack:
                stack[name] = True  # referenced from inside itself
                return {"$ref": name}
            if name not in self.schemas:
                raise ValueError("unknown schema: " + name)
            stack[name] = False
            out = self.resolve(self.schemas[name], stack)
            if stack.pop(name):
                out = dict(out)
                out["$id"] = name
            return out

        out = {}
        if "allOf" in node:
            for member in node["allOf"]:
                merge(out, self.resolve(member, stack))
        for key in ("anyOf", "oneOf"):
            if key in node:
                out[key] = [self.resolve(m, stack) for m in node[key]]
        for key in SCALAR_KEYS:
            if key in node:
                out[key] = node[key]
        if "enum" in node:
            out["enum"] = list(node["enum"])
        if "properties" in node:
            props = out.setdefault("properties", {})
            for name, sub in node["properties"].items():
                props[name] = self.resolve(sub, stack)
        if "required" in node:
            out["required"] = sorted(set(out.get("required", [])) | set(node["required"]))
        if "items" in node:
            out["items"] = self.resolve(node["items"], stack)
        if "additionalProperties" in node:
            extra = node["additionalProperties"]
            out["additionalProperties"] = (
                extra if isinstance(extra, bool) else self.resolve(extra, stack)
            )
        return out

    def schema(self, node):
        return self.resolve(node, {})

    def operation(self, op):
        out = {}
        body = op.get("requestBody")
        if body:
            content = body.get("content", {})
            if len(content) != 1:
                raise ValueError("expected one request content type, got %s" % sorted(content))
            (content_type, media), = content.items()
            out["request"] = {
                "contentType": content_type,
                "required": bool(body.get("required", False)),
                "schema": self.schema(media.get("schema", {})),
            }
        query = [p for p in op.get("parameters", []) if p.get("in") == "query"]
        if query:
            props = {}
            required = []
            for p in query:
                props[p["name"]] = self.schema(p.get("schema", {}))
                if p.get("required"):
                    required.append(p["name"])
            q = {"type": "object", "properties": props}
            if required:
                q["required"] = sorted(required)
            out["query"] = q
        for status in sorted(op.get("responses", {})):
            if not status.startswith("2"):
                continue
            media = op["responses"][status].get("content", {}).get("application/json")
            if media and "schema" in media:
                out["response"] = {"status": status, "schema": self.schema(media["schema"])}
                break
        return out

    def extract(self):
        paths = {}
        for path, item in self.spec["paths"].items():
            methods = {}
            for method, op in item.items():
                if method in ("get", "put", "post", "delete", "patch", "head", "options"):
                    methods[method] = self.operation(op)
            paths[path] = methods
        info = self.spec.get("info", {})
        return {
            "source": {
                "file": "authentication-openapi.json",
                "openapi": self.spec.get("openapi"),
                "title": info.get("title"),
                "version": info.get("version"),
                "paths": len(paths),
            },
            "failure": self.schema({"$ref": "#/components/schemas/CommonResponseDto"}),
            "paths": paths,
        }


def merge(into, schema):
    """Merges one `allOf` member into `into`: properties and required are united."""
    for key, value in schema.items():
        if key == "properties":
            into.setdefault("properties", {}).update(value)
        elif key == "required":
            into["required"] = sorted(set(into.get("required", [])) | set(value))
        elif key in into and into[key] != value:
            raise ValueError("allOf members disagree on %r" % key)
        else:
            into[key] = value


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: extract_spec.py SPEC OUT\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    extract = Extractor(spec).extract()
    text = json.dumps(extract, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    with open(argv[2], "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
