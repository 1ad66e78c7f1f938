"""WordPress/WooCommerce REST error envelopes and the request-argument validation WP core does.

Error body: ``{"code", "message", "data": {"status"}}`` (../shared/spec/stores/woocommerce.md §1,
W-INTRO). Argument validation follows WP core's ``rest_validate_value_from_schema``: a wrong type
answers 400 ``rest_invalid_param`` naming the top-level parameter, with the nested path in
``data.params`` / ``data.details`` (message texts UNCONFIRMED per the spec table).
"""

from __future__ import annotations

from typing import Any

# A schema node: "string" | "boolean" | "integer" | "number" | "any"
#   | ("enum", [values]) | ("object", {field: node}) | ("array", node)
Schema = Any


class WooError(Exception):
    """Raised by handlers; the app turns it into WooCommerce's JSON error envelope."""

    def __init__(self, code: str, message: str, status: int, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": {"status": self.status, **self.extra}}


def invalid_id(post_type: str, status: int = 404) -> WooError:
    # WC-CRUD: GET/DELETE of a missing id is 404, PUT is 400, same code (spec §1 table).
    return WooError(f"woocommerce_rest_{post_type}_invalid_id", "Invalid ID.", status)


def invalid_param(param: str, problem: str, code: str = "rest_invalid_type") -> WooError:
    top = param.split("[", 1)[0]
    return WooError(
        "rest_invalid_param",
        f"Invalid parameter(s): {top}",
        400,
        {
            "params": {top: problem},
            "details": {top: {"code": code, "message": problem, "data": {"param": param}}},
        },
    )


def _is_int(value: Any) -> bool:
    # WP's rest_is_integer accepts integers and integral numeric strings.
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, str) and value.strip().lstrip("-").isdigit()


def _is_bool(value: Any) -> bool:
    # rest_is_boolean: true/false, "true"/"false", "1"/"0", 1/0.
    return isinstance(value, bool) or value in (0, 1, "0", "1", "true", "false", "")


def _to_bool(value: Any) -> bool:
    return value in (True, 1, "1", "true")


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def validate(value: Any, schema: Schema, param: str) -> Any:
    """Validate and sanitise ``value`` like WP core; returns the sanitised value."""
    if schema == "any":
        return value
    if isinstance(schema, tuple):
        kind, spec = schema
        if kind == "enum":
            if value not in spec:
                raise invalid_param(param, f"{param} is not one of {', '.join(spec)}.", "rest_not_in_enum")
            return value
        if kind == "object":
            if not isinstance(value, dict):
                raise invalid_param(param, f"{param} is not of type object.")
            return {
                key: validate(item, spec[key], f"{param}[{key}]") if key in spec else item
                for key, item in value.items()
            }
        if kind == "array":
            if not isinstance(value, list):
                raise invalid_param(param, f"{param} is not of type array.")
            return [validate(item, spec, f"{param}[{i}]") for i, item in enumerate(value)]
    if schema == "string":
        if not isinstance(value, str):
            raise invalid_param(param, f"{param} is not of type string.")
        return value
    if schema == "integer":
        if not _is_int(value):
            raise invalid_param(param, f"{param} is not of type integer.")
        return int(float(value))
    if schema == "boolean":
        if not _is_bool(value):
            raise invalid_param(param, f"{param} is not of type boolean.")
        return _to_bool(value)
    if schema == "number":
        if not _is_number(value):
            raise invalid_param(param, f"{param} is not of type number.")
        return float(value)
    raise AssertionError(f"unknown schema node {schema!r}")


def validate_body(body: Any, fields: dict[str, Schema]) -> dict[str, Any]:
    """Validate the known top-level fields of a JSON body; unknown fields pass through (as WP does)."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise WooError("rest_invalid_json", "Invalid JSON body passed.", 400)
    return {key: validate(value, fields[key], key) if key in fields else value for key, value in body.items()}
