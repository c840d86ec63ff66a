"""
IAM checks moto does not do, for the calls the shim handler makes.

moto has an IAM enforcement mode, but it breaks the signatures of Lambda GET requests, and it
checks nothing about session policies; so the emulator evaluates the handler's calls itself
(iam_policy.py), against the policies moto stores:

- a Lambda execution session (credentials the emulated Lambda got from a real moto AssumeRole of
  the function's role): the role's inline and attached policies;
- an operator session (the management account's administrator role, from the control API): the
  role's policies, like any role's;
- a member session (credentials a handler or an operator got from AssumeRole into a member
  account): the member role's policies intersected with the session policy passed to AssumeRole;
- AssumeRole itself: the caller's policies must allow sts:AssumeRole on the role, and the role's
  trust policy must trust the caller (IAM user guide, "Granting a user permissions to switch
  roles": cross-account, both are needed).

Calls signed with other keys (the Terraform provider's, standing for an administrator of the
management account) are not evaluated.

The IAM delay models IAM's eventual consistency (IAM user guide, "Changes that I make are not
always immediately visible"): for `delay_seconds` after PutRolePolicy, the new or changed inline
policy is not in effect and the calls it would allow are denied.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from moto.iam.models import iam_backends

import iam_policy


@dataclass(frozen=True)
class Session:
    """Credentials the emulator handed out or saw handed out, and whose calls it evaluates."""

    # "lambda" (an execution role session), "operator" (the management account's administrator) or
    # "member" (AssumeRole by either into another role)
    kind: str
    access_key: str
    account: str
    role_arn: str
    arn: str  # arn:aws:sts::<account>:assumed-role/<role>/<session name>
    session_policy: str | None = None
    function_arn: str = ""
    assumed_by: str = ""


@dataclass
class Verdict:
    allowed: bool
    reason: str = ""  # why a call was denied, in IAM's words
    delayed: bool = False  # denied only because a policy change is still propagating


def role_name_of(role_arn: str) -> str:
    return role_arn.rsplit("/", 1)[-1]


def account_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 4 else ""


class Authorizer:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.sessions: dict[str, Session] = {}
        self.delay_seconds = 0.0
        # (account, role name, policy name) -> monotonic time of its last PutRolePolicy.
        self.changed_at: dict[tuple[str, str, str], float] = {}

    def register(self, session: Session) -> None:
        with self.lock:
            self.sessions[session.access_key] = session

    def session(self, access_key: str) -> Session | None:
        with self.lock:
            return self.sessions.get(access_key)

    def policy_changed(self, account: str, role_name: str, policy_name: str) -> None:
        with self.lock:
            self.changed_at[(account, role_name, policy_name)] = time.monotonic()

    def _role(self, role_arn: str) -> Any | None:
        try:
            return iam_backends[account_of(role_arn)]["aws"].get_role_by_arn(role_arn)
        except Exception:  # moto raises its own NotFound types
            return None

    def identity_policies(self, role_arn: str) -> tuple[list[str], list[str]]:
        """(policies in effect, inline policies written too recently to be in effect) of a role."""
        role = self._role(role_arn)
        if role is None:
            return [], []
        now = time.monotonic()
        effective, propagating = [], []
        with self.lock:
            for name, document in role.policies.items():
                changed = self.changed_at.get((role.account_id, role.name, name))
                if changed is not None and now - changed < self.delay_seconds:
                    propagating.append(document)
                    continue
                effective.append(document)
        for managed in role.managed_policies.values():
            default = next((v for v in managed.versions if v.is_default), None)
            if default is not None:
                effective.append(default.document)
        return effective, propagating

    def check(self, session: Session, action: str, resource: str) -> Verdict:
        policies, propagating = self.identity_policies(session.role_arn)
        decision = iam_policy.evaluate_session(policies, session.session_policy, action, resource)
        if decision.allowed:
            return Verdict(True)
        if decision.effect == iam_policy.EXPLICIT_DENY:
            return Verdict(False, "an explicit deny in a policy applies")
        reason = decision.reasons[0] if decision.reasons else "no identity-based policy allows it"
        if reason == "the session policy does not allow it":
            reason = f"no session policy allows the {action} action"
        else:
            reason = f"no identity-based policy allows the {action} action"
        # Denied now, but the same check with the propagating policies in effect would allow it.
        delayed = False
        if propagating:
            later = iam_policy.evaluate_session(policies + propagating, session.session_policy, action, resource)
            delayed = later.allowed
        return Verdict(False, reason, delayed)

    def check_assume_role(self, caller: Session, target_role_arn: str) -> Verdict:
        """sts:AssumeRole by a handler: its own permission, then the target role's trust policy."""
        own = self.check(caller, "sts:AssumeRole", target_role_arn)
        if not own.allowed:
            return own
        role = self._role(target_role_arn)
        if role is None:
            # STS answers AccessDenied, not NotFound, for a role that does not exist.
            return Verdict(False, "the role does not exist or does not trust the caller")
        who = iam_policy.Caller(account=caller.account, arn=caller.arn, role_arn=caller.role_arn)
        trust = iam_policy.evaluate([role.assume_role_policy_document], "sts:AssumeRole", target_role_arn, {}, who)
        if not trust.allowed:
            return Verdict(False, "the role's trust policy does not allow the caller to assume it")
        return Verdict(True)

    def lambda_may_assume(self, role_arn: str) -> bool:
        """Whether the role's trust policy lets the Lambda service assume it."""
        role = self._role(role_arn)
        if role is None:
            return False
        who = iam_policy.Caller(account="", service="lambda.amazonaws.com")
        return iam_policy.evaluate([role.assume_role_policy_document], "sts:AssumeRole", role_arn, {}, who).allowed
