"""Schemas a JSON example can follow, in one form whatever their origin.

A snippet's declarations name its schema (`schema:` in `<name>.yml`):

    config:PutConfigRule.ConfigRule   member ConfigRule of the PutConfigRule input (botocore)
    config:PutConfigRule              the whole PutConfigRule input
    guardduty:Finding                 the shape named Finding in the guardduty model
    guardduty:Finding[]               a JSON array of those (a console export)
    cloudtrail-record-file            a schema from handbook/examples/data/schemas/*.yml

botocore shapes are converted lazily (models are recursive) into `Node`s, keyed by their
wire names: for json and rest-json services that is the member's `locationName`
(`jsonName` where a model gives one), so GuardDuty's `AccountId` is read as `accountId`.
Members sent in headers, the URI or the query string are not part of a JSON body and are
left out. The YAML schemas are described in handbook/examples/data/README.md.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data")
SCHEMA_DIR = DATA / "schemas"

PRIMITIVES = {"string", "integer", "long", "float", "double", "boolean", "timestamp", "blob"}
FREE_FORM = {"object", "any", "document"}  # object: any JSON object; any/document: any JSON value
CONTAINERS = {"structure", "list", "map"}
_NOT_IN_BODY = {"header", "headers", "uri", "querystring", "statusCode"}


class SchemaError(ValueError):
    """A schema declaration or schema data file that cannot be used (a sentence)."""


@dataclass(eq=False)
class Member:
    name: str  # the model's name (AccountId)
    wire: str  # the JSON key (accountId)
    node: "Node"
    required: bool = False
    required_since: str | None = None  # required from this format version on (YAML schemas)


@dataclass(eq=False)
class Node:
    type: str
    name: str  # for messages: "guardduty Finding", "cloudtrail-record UserIdentity"
    members: dict = field(default_factory=dict)  # wire name -> Member
    member: "Node | None" = None  # list element
    key: "Node | None" = None  # map key
    value: "Node | None" = None  # map value
    enum: tuple = ()
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    format: str | None = None  # YAML schemas: account-id, ip-address, iso8601, ...
    union: bool = False
    json_text: bool = False  # a string that must hold JSON (see data/botocore-json-strings.yml)
    version_member: str | None = None  # structure whose required members depend on a version

    def required_for(self, value: dict) -> list:
        """The members that `value` (a JSON object of this structure) must have."""
        version = _version(value.get(self.version_member)) if self.version_member else None
        needed = []
        for member in self.members.values():
            if member.required:
                needed.append(member)
            elif member.required_since and version is not None and version >= _version(member.required_since):
                needed.append(member)
        return needed


@dataclass(frozen=True)
class Schema:
    label: str  # as declared
    root: Node
    many: bool  # declared with [] : the document is an array of root
    source: str  # where the schema comes from, for messages


def _version(text) -> tuple | None:
    match = re.fullmatch(r"(\d+)\.(\d+)", str(text)) if text is not None else None
    return (int(match.group(1)), int(match.group(2))) if match else None


# --------------------------------------------------------------------------- botocore


@functools.lru_cache(maxsize=1)
def _session():
    import awscli  # noqa: F401  (before botocore: use the copy awscli vendors, with its models)
    import botocore.session

    return botocore.session.get_session()


@functools.lru_cache(maxsize=None)
def _service(service: str):
    from botocore.exceptions import UnknownServiceError

    try:
        return _session().get_service_model(service)
    except UnknownServiceError:
        known = _session().get_available_services()
        hint = difflib.get_close_matches(service, known, n=3)
        raise SchemaError(
            f"botocore has no service named {service!r}"
            + (f" (did you mean {', '.join(hint)}?)" if hint else "")
            + "; use the botocore service name, e.g. config for `aws configservice`"
        ) from None


@functools.lru_cache(maxsize=None)
def _json_strings() -> frozenset:
    data = yaml.safe_load((DATA / "botocore-json-strings.yml").read_text(encoding="utf-8")) or {}
    return frozenset(entry["member"] for entry in data.get("members", []))


class _BotocoreConverter:
    def __init__(self, service: str, model):
        self.service = service
        self.model = model
        self.protocol = model.protocol
        self.nodes: dict = {}

    def convert(self, shape) -> Node:
        if shape.name in self.nodes:
            return self.nodes[shape.name]
        meta = shape.metadata
        node = Node(
            type="document" if getattr(shape, "is_document_type", False) else shape.type_name,
            name=f"{self.service} {shape.name}",
            enum=tuple(meta.get("enum", ())),
            min=meta.get("min"),
            max=meta.get("max"),
            pattern=meta.get("pattern"),
            union=bool(meta.get("union")),
        )
        self.nodes[shape.name] = node  # before the members: shapes can be recursive
        if node.type == "structure":
            required = set(shape.required_members)
            for name, member_shape in shape.members.items():
                serialization = member_shape.serialization
                if serialization.get("location") in _NOT_IN_BODY:
                    continue
                wire = serialization.get("jsonName") or serialization.get("name") or name
                child = self.convert(member_shape)
                holds_json = f"{self.service}:{shape.name}.{name}" in _json_strings() or serialization.get("jsonvalue")
                if member_shape.type_name == "string" and holds_json:
                    child = Node(**{**child.__dict__, "json_text": True, "name": f"{self.service} {shape.name}.{name}"})
                node.members[wire] = Member(name, wire, child, required=name in required)
        elif shape.type_name == "list":
            node.member = self.convert(shape.member)
        elif shape.type_name == "map":
            node.key = self.convert(shape.key)
            node.value = self.convert(shape.value)
        return node


@functools.lru_cache(maxsize=None)
def _converter(service: str) -> _BotocoreConverter:
    return _BotocoreConverter(service, _service(service))


def _botocore_schema(label: str, service: str, target: str, many: bool) -> Schema:
    model = _service(service)
    converter = _converter(service)
    operation, _, member = target.partition(".")
    if operation in model.operation_names:
        shape = model.operation_model(operation).input_shape
        if shape is None:
            raise SchemaError(f"{service} {operation} takes no input")
        if member:
            if member not in shape.members:
                raise SchemaError(
                    f"the {service} {operation} input has no member {member!r}; "
                    f"its members are {', '.join(shape.members)}"
                )
            shape = shape.members[member]
        where = f"{service} {operation} input" + (f" member {member}" if member else "")
        return Schema(label, converter.convert(shape), many, where)
    if member:
        raise SchemaError(f"{service} has no operation named {operation!r}; write service:Operation.Member")
    try:
        shape = model.shape_for(operation)
    except Exception:
        names = list(model.operation_names) + list(model.shape_names)
        hint = difflib.get_close_matches(operation, names, n=3)
        raise SchemaError(
            f"{service} has no operation or shape named {operation!r}"
            + (f" (did you mean {', '.join(hint)}?)" if hint else "")
        ) from None
    return Schema(label, converter.convert(shape), many, f"{service} shape {operation}")


# --------------------------------------------------------------------------- YAML schemas


@functools.lru_cache(maxsize=1)
def yaml_schemas() -> dict:
    """schema name -> (file, root shape name, shapes mapping) for every data/schemas/*.yml."""
    found = {}
    for path in sorted(SCHEMA_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, root in (data.get("schemas") or {}).items():
            if name in found:
                raise SchemaError(f"schema {name!r} is defined twice: in {found[name][0]} and {path}")
            if root not in (data.get("shapes") or {}):
                raise SchemaError(f"{path}: schema {name!r} names shape {root!r}, which the file does not define")
            found[name] = (path, root, data["shapes"], data.get("source", ""))
    return found


class _YamlConverter:
    def __init__(self, path: Path, prefix: str, shapes: dict):
        self.path, self.prefix, self.shapes = path, prefix, shapes
        self.nodes: dict = {}

    def named(self, name: str) -> Node:
        if name in self.nodes:
            return self.nodes[name]
        if name not in self.shapes:
            raise SchemaError(f"{self.path}: shape {name!r} is used but not defined under shapes")
        node = Node(type="structure", name=f"{self.prefix} {name}")
        self.nodes[name] = node
        self.fill(node, self.shapes[name], name)
        return node

    def spec(self, spec, where: str) -> Node:
        """A member's spec: a type name, a shape name, or a mapping (type:/shape: and constraints)."""
        if isinstance(spec, str):
            spec = {"type": spec} if spec in PRIMITIVES | FREE_FORM else {"shape": spec}
        if not isinstance(spec, dict):
            raise SchemaError(f"{self.path}: {where} must be a type name, a shape name or a mapping")
        if "shape" in spec:
            return self.named(spec["shape"])
        kind = spec.get("type", "string")
        node = Node(type=kind, name=f"{self.prefix} {where}")
        self.fill(node, spec, where)
        return node

    def fill(self, node: Node, spec: dict, where: str) -> None:
        node.type = spec.get("type", node.type)
        if node.type not in PRIMITIVES | FREE_FORM | CONTAINERS:
            raise SchemaError(f"{self.path}: {where} has unknown type {node.type!r}")
        node.enum = tuple(str(v) for v in spec.get("enum", ()))
        node.min, node.max = spec.get("min"), spec.get("max")
        node.pattern, node.format = spec.get("pattern"), spec.get("format")
        node.json_text = bool(spec.get("json_text"))
        node.version_member = spec.get("version_member")
        if node.type == "structure":
            for wire, member_spec in (spec.get("members") or {}).items():
                required = member_spec.get("required", False) if isinstance(member_spec, dict) else False
                since = None
                if isinstance(required, str):  # required from that format version on
                    required, since = False, required
                child = self.spec(member_spec, f"{where}.{wire}")
                node.members[wire] = Member(wire, wire, child, required=bool(required), required_since=since)
        elif node.type == "list":
            node.member = self.spec(spec.get("member", "any"), f"{where}[]")
        elif node.type == "map":
            node.key = self.spec(spec.get("key", "string"), f"{where} key")
            node.value = self.spec(spec.get("value", "any"), f"{where} value")


@functools.lru_cache(maxsize=None)
def _yaml_schema(name: str) -> Node:
    path, root, shapes, _ = yaml_schemas()[name]
    return _YamlConverter(path, name, shapes).named(root)


# --------------------------------------------------------------------------- resolution


_LABEL = re.compile(r"(?:(?P<service>[a-z0-9-]+):)?(?P<target>[A-Za-z0-9_.-]+?)(?P<many>\[\])?")


@functools.lru_cache(maxsize=None)
def resolve(label: str) -> Schema:
    """The schema a `schema:` declaration names; SchemaError (a sentence) when it names none."""
    if not isinstance(label, str) or not label.strip():
        raise SchemaError("the schema declaration must be a string such as config:PutConfigRule.ConfigRule")
    match = _LABEL.fullmatch(label.strip())
    if not match:
        raise SchemaError(
            f"schema {label!r} is not of the form service:Operation.Member, service:Shape, "
            "service:Shape[] or the name of a schema in handbook/examples/data/schemas"
        )
    service, target, many = match.group("service"), match.group("target"), bool(match.group("many"))
    if service:
        return _botocore_schema(label, service, target, many)
    if target in yaml_schemas():
        path = yaml_schemas()[target][0]
        return Schema(label, _yaml_schema(target), many, f"the {target} fields (handbook/examples/data/schemas/{path.name})")
    known = sorted(yaml_schemas())
    hint = difflib.get_close_matches(target, known, n=2)
    raise SchemaError(
        f"there is no schema named {target!r}"
        + (f" (did you mean {', '.join(hint)}?)" if hint else "")
        + f"; data schemas are {', '.join(known)}, botocore shapes are written service:Shape"
    )
