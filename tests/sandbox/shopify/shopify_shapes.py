"""Recursive JSON shape comparison for the parity tests (keys and JSON types of a fixture)."""

from __future__ import annotations

from typing import Any


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def shape_mismatches(
    fixture: Any, actual: Any, path: str, *, omitted: set[str], nullable: set[str]
) -> list[str]:
    """Every place where ``actual`` lacks a fixture key or holds another JSON type.

    ``null`` in the fixture says nothing about the type, so any value matches it; ``nullable``
    lists paths where the emulator may answer null for a value the fixture happens to show.
    """
    if fixture is None:
        return []
    if actual is None:
        return [] if path in nullable else [f"{path}: null, fixture has {json_type(fixture)}"]
    if json_type(fixture) != json_type(actual):
        return [f"{path}: {json_type(actual)}, fixture has {json_type(fixture)}"]
    if isinstance(fixture, dict):
        problems = []
        for key, value in fixture.items():
            child = f"{path}.{key}"
            if child in omitted:
                continue
            if key not in actual:
                problems.append(f"{child}: missing")
                continue
            problems += shape_mismatches(value, actual[key], child, omitted=omitted, nullable=nullable)
        return problems
    if isinstance(fixture, list) and fixture:
        problems = []
        for item in actual:
            problems += shape_mismatches(fixture[0], item, f"{path}[]", omitted=omitted, nullable=nullable)
        return problems
    return []
