"""
A small IAM policy evaluator: the part of IAM's evaluation logic the deploy tier needs to check
the shim handler's calls, which moto does not check.

What it models (IAM user guide, "Policy evaluation logic" and "IAM JSON policy elements"):
- statements with Effect Allow or Deny, Action or NotAction, Resource or NotResource, Principal
  (resource-based and trust policies), and Condition;
- `*` and `?` wildcards in actions (case-insensitive) and resources (case-sensitive);
- an explicit Deny in any policy wins; otherwise an Allow is needed; otherwise the call is
  implicitly denied;
- a session policy (the one passed to AssumeRole) intersected with the role's own policies: a call
  is allowed only when both allow it and neither denies it;
- condition operators StringEquals, StringNotEquals, StringLike, StringNotLike,
  StringEqualsIgnoreCase, ArnEquals, ArnLike, Bool, Null, with the ForAnyValue: / ForAllValues:
  qualifiers and the IfExists suffix.

What it does not model, and refuses loudly instead of guessing (UnsupportedPolicy): other
condition operators. Policy variables (`${aws:username}`) are compared literally. Permissions
boundaries, SCPs and RCPs are not evaluated (the emulated organization has no restrictive ones).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

ALLOW = "allow"
EXPLICIT_DENY = "explicit-deny"
IMPLICIT_DENY = "implicit-deny"


class MalformedPolicy(ValueError):
    """The document is not a policy IAM would accept."""


class UnsupportedPolicy(ValueError):
    """The document uses a feature this evaluator does not model."""


@dataclass(frozen=True)
class Caller:
    """Who makes a request, as resource-based and trust policies see it."""

    account: str
    # The principal's ARN: an assumed-role session ARN, a role ARN, or a user ARN.
    arn: str = ""
    # The ARN of the role behind an assumed-role session, matched by a role-ARN principal.
    role_arn: str = ""
    # For a service principal (e.g. lambda.amazonaws.com assuming an execution role).
    service: str = ""


@dataclass
class Decision:
    """The outcome of one evaluation and the statement that decided it, for error messages."""

    effect: str
    statement: dict[str, Any] | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return self.effect == ALLOW


def parse(document: str | dict[str, Any]) -> dict[str, Any]:
    """Parses and checks the outline of a policy document: Statement present, Effect valid."""
    if isinstance(document, str):
        try:
            doc = json.loads(document)
        except json.JSONDecodeError as e:
            raise MalformedPolicy(f"policy is not JSON: {e}") from None
    else:
        doc = document
    if not isinstance(doc, dict) or "Statement" not in doc:
        raise MalformedPolicy("policy has no Statement")
    for st in statements(doc):
        if st.get("Effect") not in ("Allow", "Deny"):
            raise MalformedPolicy(f"statement Effect must be Allow or Deny, got {st.get('Effect')!r}")
        if ("Action" in st) == ("NotAction" in st):
            raise MalformedPolicy("a statement needs exactly one of Action and NotAction")
    return doc


def statements(doc: dict[str, Any]) -> list[dict[str, Any]]:
    st = doc.get("Statement", [])
    items = st if isinstance(st, list) else [st]
    for item in items:
        if not isinstance(item, dict):
            raise MalformedPolicy("every Statement entry must be an object")
    return items


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def wildcard_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """IAM's wildcard matching: `*` is any run of characters, `?` exactly one."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL) is not None


def _action_matches(st: dict[str, Any], action: str) -> bool:
    if "Action" in st:
        return any(wildcard_match(p, action, ignore_case=True) for p in _as_list(st["Action"]))
    return not any(wildcard_match(p, action, ignore_case=True) for p in _as_list(st["NotAction"]))


def _resource_matches(st: dict[str, Any], resource: str) -> bool:
    if "Resource" in st:
        return any(wildcard_match(p, resource) for p in _as_list(st["Resource"]))
    if "NotResource" in st:
        return not any(wildcard_match(p, resource) for p in _as_list(st["NotResource"]))
    # Trust policies and some resource-based policies have no Resource element.
    return True


def principal_matches(principal: Any, caller: Caller) -> bool:
    """Whether a statement's Principal names `caller` (account root, role, session or service)."""
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        raise MalformedPolicy(f"Principal must be \"*\" or an object, got {principal!r}")
    for kind, values in principal.items():
        for value in _as_list(values):
            if kind == "AWS":
                if value == "*":
                    return True
                if re.fullmatch(r"\d{12}", value) and value == caller.account:
                    return True
                m = re.fullmatch(r"arn:aws:iam::(\d{12}):root", value)
                if m and m.group(1) == caller.account:
                    return True
                if value in (caller.arn, caller.role_arn) and value:
                    return True
            elif kind == "Service":
                if caller.service and value == caller.service:
                    return True
            elif kind in ("Federated", "CanonicalUser"):
                continue
            else:
                raise MalformedPolicy(f"unknown principal type {kind!r}")
    return False


def _string_op(op: str) -> tuple[bool, bool, bool] | None:
    """(negated, like, ignore_case) for the string-like operators, None for others."""
    table = {
        "StringEquals": (False, False, False),
        "StringNotEquals": (True, False, False),
        "StringEqualsIgnoreCase": (False, False, True),
        "StringNotEqualsIgnoreCase": (True, False, True),
        "StringLike": (False, True, False),
        "StringNotLike": (True, True, False),
        # ARN operators compare like strings here; ArnLike's wildcards behave like StringLike's.
        "ArnEquals": (False, False, False),
        "ArnNotEquals": (True, False, False),
        "ArnLike": (False, True, False),
        "ArnNotLike": (True, True, False),
    }
    return table.get(op)


def _condition_holds(operator: str, key: str, expected: list[Any], context: dict[str, Any]) -> bool:
    qualifier = ""
    op = operator
    if ":" in op:
        qualifier, op = op.split(":", 1)
        if qualifier not in ("ForAnyValue", "ForAllValues"):
            raise UnsupportedPolicy(f"condition qualifier {qualifier!r}")
    if_exists = op.endswith("IfExists")
    if if_exists:
        op = op[: -len("IfExists")]
    present = key in context and context[key] is not None
    if op == "Null":
        want_null = str(expected[0]).lower() == "true"
        return (not present) == want_null
    if not present:
        # A missing key fails the test unless IfExists; ForAllValues over no values holds.
        return if_exists or qualifier == "ForAllValues"
    values = [str(v) for v in _as_list(context[key])]
    if op == "Bool":
        want = str(expected[0]).lower()
        return any(v.lower() == want for v in values)
    spec = _string_op(op)
    if spec is None:
        raise UnsupportedPolicy(f"condition operator {operator!r}")
    negated, like, ignore_case = spec

    def one(value: str) -> bool:
        if like:
            hit = any(wildcard_match(str(p), value) for p in expected)
        elif ignore_case:
            hit = any(str(p).lower() == value.lower() for p in expected)
        else:
            hit = any(str(p) == value for p in expected)
        return not hit if negated else hit

    if qualifier == "ForAllValues":
        return all(one(v) for v in values)
    # ForAnyValue, and a single-valued key without qualifier, hold when any value matches.
    return any(one(v) for v in values)


def _conditions_hold(st: dict[str, Any], context: dict[str, Any]) -> bool:
    for operator, block in (st.get("Condition") or {}).items():
        if not isinstance(block, dict):
            raise MalformedPolicy(f"condition {operator} must map keys to values")
        for key, expected in block.items():
            if not _condition_holds(operator, key, _as_list(expected), context):
                return False
    return True


def statement_applies(st: dict[str, Any], action: str, resource: str, context: dict[str, Any] | None = None,
                      caller: Caller | None = None) -> bool:
    """Whether one statement covers the request (its Principal is checked only when `caller` is given)."""
    if caller is not None and "Principal" in st and not principal_matches(st["Principal"], caller):
        return False
    if caller is not None and "NotPrincipal" in st:
        raise UnsupportedPolicy("NotPrincipal")
    return _action_matches(st, action) and _resource_matches(st, resource) and _conditions_hold(st, context or {})


def evaluate(policies: Iterable[str | dict[str, Any]], action: str, resource: str,
             context: dict[str, Any] | None = None, caller: Caller | None = None) -> Decision:
    """One set of policies: explicit Deny wins, then any Allow, else implicit deny."""
    allow: dict[str, Any] | None = None
    for document in policies:
        for st in statements(parse(document)):
            if not statement_applies(st, action, resource, context, caller):
                continue
            if st["Effect"] == "Deny":
                return Decision(EXPLICIT_DENY, st)
            allow = allow or st
    return Decision(ALLOW, allow) if allow is not None else Decision(IMPLICIT_DENY)


def evaluate_session(identity_policies: list[str | dict[str, Any]], session_policy: str | dict[str, Any] | None,
                     action: str, resource: str, context: dict[str, Any] | None = None) -> Decision:
    """
    An assumed-role session: the role's identity policies, intersected with the session policy
    passed to AssumeRole when there is one (IAM user guide, "Session policies").
    """
    identity = evaluate(identity_policies, action, resource, context)
    if session_policy is None or identity.effect == EXPLICIT_DENY:
        return identity
    session = evaluate([session_policy], action, resource, context)
    if session.effect == EXPLICIT_DENY:
        return Decision(EXPLICIT_DENY, session.statement, ["explicit deny in the session policy"])
    if not identity.allowed:
        return Decision(IMPLICIT_DENY, None, ["no identity-based policy allows it"])
    if not session.allowed:
        return Decision(IMPLICIT_DENY, None, ["the session policy does not allow it"])
    return identity
