"""
AWS Organizations on top of moto: the organization seeded with the IDs the apps declare, the
BEDROCK_POLICY type moto 5.2.1 lacks, the policy-type check on attach that moto skips, and the
stand-in type the offline provider has to use.

The stand-in type. hashicorp/aws 5.100.0, the only provider in this image, validates
`aws_organizations_policy.type` against its SDK's enum, which has no BEDROCK_POLICY; the Terraform
tier's rewrite therefore sends TAG_POLICY. If the emulator stored what it is sent, the tier would
deploy a tag policy, and the checks that matter (the policy type enabled before attaching, the
guardrail in use while attached) would test the wrong thing. So a policy created as TAG_POLICY
whose content is a Bedrock policy (a top-level "bedrock" key) is stored as BEDROCK_POLICY: moto
holds it as one, attaching it needs BEDROCK_POLICY enabled on the root, the state dump shows it as
one. Only responses to the Terraform provider's own credentials name it TAG_POLICY again, because
the provider writes the type it reads into its state and a different one would plan a replacement.

Effective policies. moto 5.2.1 has none of DescribeEffectivePolicy,
ListAccountsWithInvalidEffectivePolicy and ListEffectivePolicyValidationErrors; answer() serves
them from the policies moto stores (see effective_policy() for the merge and
validation_errors() for what makes a Bedrock effective policy invalid).
"""
from __future__ import annotations

import copy
import json
import re
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from moto.organizations import models as org_models
from moto.organizations import utils as org_utils
from moto.organizations.models import organizations_backends

from aws_errors import AwsError

BEDROCK_POLICY = "BEDROCK_POLICY"
STAND_IN_TYPE = "TAG_POLICY"
# The management account's administrator role (see Organization._create_operator_role).
OPERATOR_ROLE = "PlatformAdmin"
BEDROCK_POLICY_ARN_FORMAT = "arn:{0}:organizations::{1}:policy/{2}/bedrock_policy/{3}"
# Authorization policies have no effective policy (DescribeEffectivePolicy: management policies only).
AUTHORIZATION_POLICY_TYPES = ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY")
CHANGES_EFFECTIVE_POLICIES = ("CreatePolicy", "UpdatePolicy", "DeletePolicy", "AttachPolicy", "DetachPolicy", "EnablePolicyType",
                              "DisablePolicyType", "MoveAccount")


def install_bedrock_policy_type() -> None:
    """Lets moto accept BEDROCK_POLICY wherever it accepts the older management policy types."""
    for cls in (org_models.FakeRoot, org_models.FakePolicy):
        if BEDROCK_POLICY not in cls.SUPPORTED_POLICY_TYPES:
            cls.SUPPORTED_POLICY_TYPES.append(BEDROCK_POLICY)
    original_init = org_models.FakePolicy.__init__
    if getattr(original_init, "_bedrock_aware", False):
        return

    def init(self: Any, organization: Any, **kwargs: Any) -> None:
        # moto picks an ARN format per type and raises NotImplementedError for types it does not
        # know; build the policy as another management policy type, then make it a Bedrock one.
        if kwargs.get("Type") == BEDROCK_POLICY:
            original_init(self, organization, **{**kwargs, "Type": "TAG_POLICY"})
            self.type = BEDROCK_POLICY
            self._arn_format = BEDROCK_POLICY_ARN_FORMAT
        else:
            original_init(self, organization, **kwargs)

    init._bedrock_aware = True  # type: ignore[attr-defined]
    org_models.FakePolicy.__init__ = init  # type: ignore[method-assign]


def is_bedrock_policy_content(content: Any) -> bool:
    try:
        doc = json.loads(content) if isinstance(content, str) else None
    except json.JSONDecodeError:
        return False
    return isinstance(doc, dict) and "bedrock" in doc


@contextmanager
def _fixed_ids(**ids: Any) -> Iterator[None]:
    """moto draws organization, root and OU IDs at random; the seed needs the declared ones."""
    saved = {name: getattr(org_utils, name) for name in ids}
    try:
        for name, value in ids.items():
            setattr(org_utils, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(org_utils, name, value)


class Organization:
    """The emulated organization: seeding, the stand-in type, and the views other parts need."""

    def __init__(self, seed: dict[str, Any]):
        self.seed = seed
        self.management = seed["managementAccountId"]
        self.member_role = seed.get("memberRoleName", "OrganizationAccountAccessRole")
        # Policies stored as BEDROCK_POLICY that were sent as the stand-in type.
        self.stand_ins: set[str] = set()
        self.lock = threading.RLock()
        # When a policy, attachment, policy type or account's place last changed (epoch seconds):
        # the LastUpdatedTimestamp of every effective policy, which would be recomputed then.
        self.changed_at = time.time()

    @property
    def backend(self) -> Any:
        return organizations_backends[self.management]["aws"]

    def create(self) -> None:
        """Creates the organization, its OUs and accounts with the seed's IDs, and the member roles."""
        seed = self.seed
        with _fixed_ids(make_random_org_id=lambda: seed["organizationId"], make_random_root_id=lambda: seed["rootId"]):
            self.backend.create_organization(region="us-east-1", FeatureSet="ALL")
        # Parents before children: an OU's parent is the root or an OU declared earlier.
        pending = list(seed.get("organizationalUnits", []))
        created: set[str] = set()
        for _ in range(len(pending) + 1):
            for ou in list(pending):
                parent = ou.get("parentId") or seed["rootId"]
                if parent != seed["rootId"] and parent not in created:
                    continue
                with _fixed_ids(make_random_ou_id=lambda _root, ou_id=ou["id"]: ou_id):
                    self.backend.create_organizational_unit(Name=ou.get("name") or ou["id"], ParentId=parent)
                created.add(ou["id"])
                pending.remove(ou)
        if pending:
            raise ValueError(f"OUs whose parent is never declared: {[ou['id'] for ou in pending]}")
        placements = [(a, seed["rootId"]) for a in seed.get("rootAccounts", [])]
        placements += [(a, ou["id"]) for ou in seed.get("organizationalUnits", []) for a in ou.get("accounts", [])]
        for account, parent in placements:
            if account == self.management:
                continue
            with _fixed_ids(make_random_account_id=lambda account=account: account):
                # moto's CreateAccount also makes OrganizationAccountAccessRole in the new
                # account, trusting the management account's root, as AWS does.
                self.backend.create_account(AccountName=f"account-{account}", Email=f"aws+{account}@example.com",
                                            RoleName=self.member_role)
            self.backend.move_account(AccountId=account, SourceParentId=seed["rootId"], DestinationParentId=parent)
            self._grant_member_role(account)
        self._create_operator_role()

    def _grant_member_role(self, account: str) -> None:
        from moto.iam.models import iam_backends

        # AWS attaches the AdministratorAccess managed policy to the role it creates. moto does
        # not load AWS managed policies unless told to (thousands of them, seconds per account),
        # so the same document is kept inline under the same name.
        iam = iam_backends[account]["aws"]
        iam.put_role_policy(self.member_role, "AdministratorAccess", json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        }))

    def _create_operator_role(self) -> None:
        """
        An administrator's role in the management account, for the people (and tools such as
        verify) who act on the organization outside Terraform: it trusts the management
        account and may do anything, as a role behind an IAM Identity Center permission set with
        AdministratorAccess would. Sessions of it come from the control API (operator-sessions).
        """
        from moto.iam.models import iam_backends

        iam = iam_backends[self.management]["aws"]
        trust = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{self.management}:root"}, "Action": "sts:AssumeRole"}]}
        iam.create_role(OPERATOR_ROLE, json.dumps(trust), "/", None, "an administrator of the management account", [], None)
        iam.put_role_policy(OPERATOR_ROLE, "AdministratorAccess", json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        }))

    @property
    def operator_role_arn(self) -> str:
        return f"arn:aws:iam::{self.management}:role/{OPERATOR_ROLE}"

    # ------------------------------------------------------------------ views

    def organization_id_of(self, account: str) -> str | None:
        if account == self.management or any(a.id == account for a in self.backend.accounts):
            return self.seed["organizationId"]
        return None

    def _parent_of(self, node_id: str) -> str | None:
        for account in self.backend.accounts:
            if account.id == node_id:
                return account.parent_id
        for ou in self.backend.ou:
            if ou.id == node_id:
                return getattr(ou, "parent_id", None)
        return None

    def path_of(self, account: str) -> list[str]:
        """Root and OU IDs from the root down to the account's parent."""
        path: list[str] = []
        node = self._parent_of(account)
        for _ in range(10):  # Organizations nests OUs at most five deep
            if node is None:
                break
            path.insert(0, node)
            if node == self.seed["rootId"]:
                break
            node = self._parent_of(node)
        return path

    def condition_context(self, account: str) -> dict[str, Any]:
        """Condition keys of a principal in `account` (IAM's global condition keys for organizations)."""
        org_id = self.organization_id_of(account)
        context: dict[str, Any] = {"aws:PrincipalAccount": account}
        if org_id:
            context["aws:PrincipalOrgID"] = org_id
            context["aws:PrincipalOrgPaths"] = [f"{org_id}/" + "".join(f"{p}/" for p in self.path_of(account))]
        return context

    def accounts_under(self, target_id: str) -> list[str]:
        accounts = []
        for account in self.backend.accounts:
            if account.id == target_id or target_id in self.path_of(account.id):
                accounts.append(account.id)
        return sorted(accounts)

    def attached_bedrock_identifiers(self) -> list[tuple[str, str, list[str]]]:
        out = []
        for policy in self.backend.policies:
            if policy.type != BEDROCK_POLICY or not policy.attachments:
                continue
            targets = sorted(t.id for t in policy.attachments)
            for identifier in identifiers_in(policy.content):
                out.append((policy.id, identifier, targets))
        return out

    def policy_type_enabled(self, policy_type: str) -> bool:
        root = self.backend._get_root_by_id(self.seed["rootId"])
        return any(t["Type"] == policy_type and t["Status"] == "ENABLED" for t in root.policy_types)

    def policy(self, policy_id: str) -> Any | None:
        return next((p for p in self.backend.policies if p.id == policy_id), None)

    # ------------------------------------------------------------------ effective policies

    def _node(self, node_id: str) -> Any | None:
        """The moto object of a root, OU or account (each keeps its attached policies in attachment order)."""
        return next((n for n in [*self.backend.ou, *self.backend.accounts] if n.id == node_id), None)

    def effective_policy(self, account: str, policy_type: str) -> tuple[dict[str, Any], dict[tuple[str, ...], list[str]]] | None:
        """
        The effective policy of `policy_type` for `account`: the policies attached to the root, to
        each OU down the account's path and to the account itself, merged in that order (see
        merge_policies), with the element paths each policy set; None when no policy of the type
        applies to the account.
        """
        layers = []
        for node_id in [*self.path_of(account), account]:
            node = self._node(node_id)
            attached = getattr(node, "attached_policies", []) if node is not None else []
            layers.append([(p.id, _document(p.content)) for p in attached if p.type == policy_type])
        if not any(layers):
            return None
        return merge_policies(layers)

    def validation_errors(self, account: str, policy_type: str) -> list[dict[str, Any]]:
        """Why the account's effective policy is invalid, in ListEffectivePolicyValidationErrors' shape."""
        effective = self.effective_policy(account, policy_type)
        if effective is None or policy_type != BEDROCK_POLICY:
            return []
        document, sources = effective
        return bedrock_validation_errors(document, self.management, sources)

    def _accounts(self) -> list[Any]:
        return sorted(self.backend.accounts, key=lambda a: a.id)

    def answer(self, operation: str, params: dict[str, Any], caller_account: str) -> dict[str, Any] | None:
        """
        The Organizations operations moto 5.2.1 lacks, answered from moto's state; None for the
        others (moto answers them). Raises AwsError as Organizations would.

        Modelling choices where the API reference is silent: a member account may describe only
        its own effective policy; from the management account, an account no policy of the type
        applies to answers EffectivePolicyNotFoundException (the error the API reference gives for
        a member account without one); NextToken is the index of the next item.
        """
        if operation not in ("DescribeEffectivePolicy", "ListAccountsWithInvalidEffectivePolicy", "ListEffectivePolicyValidationErrors"):
            return None
        policy_type = params.get("PolicyType")
        if policy_type not in org_models.FakePolicy.SUPPORTED_POLICY_TYPES or policy_type in AUTHORIZATION_POLICY_TYPES:
            raise AwsError(400, "InvalidInputException", f"You specified an invalid value: PolicyType {policy_type!r} is not a management policy type.")
        management = caller_account == self.management
        with self.lock:
            enabled = self.policy_type_enabled(policy_type)
            if operation == "DescribeEffectivePolicy":
                target = str(params.get("TargetId") or caller_account)
                if target.startswith(("r-", "ou-")):
                    raise AwsError(400, "InvalidInputException", "You specified an invalid value: specifying an organization root or "
                                   "organizational unit (OU) as the target is not supported; specify an account.")
                if not any(a.id == target for a in self.backend.accounts):
                    raise AwsError(400, "TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.")
                if not management and target != caller_account:
                    raise AwsError(400, "AccessDeniedException", "You don't have permissions to access this resource: "
                                   "a member account can describe only its own effective policy.")
                effective = self.effective_policy(target, policy_type) if enabled else None
                if effective is None:
                    raise AwsError(400, "EffectivePolicyNotFoundException", "We can't find an effective policy of the specified type.")
                return {"EffectivePolicy": {"PolicyContent": json.dumps(effective[0]), "LastUpdatedTimestamp": self.changed_at,
                                            "TargetId": target, "PolicyType": policy_type}}
            if not management:
                raise AwsError(400, "AccessDeniedException", "You don't have permissions to access this resource: "
                               "only the management account or a delegated administrator can call this operation.")
            if not enabled:
                raise AwsError(400, "EffectivePolicyNotFoundException", "We can't find an effective policy of the specified type.")
            if operation == "ListAccountsWithInvalidEffectivePolicy":
                invalid = [a.describe() for a in self._accounts() if self.validation_errors(a.id, policy_type)]
                page, token = _page(invalid, params)
                return {"Accounts": page, "PolicyType": policy_type, **({"NextToken": token} if token else {})}
            account = str(params.get("AccountId", ""))
            if not any(a.id == account for a in self.backend.accounts):
                raise AwsError(400, "AccountNotFoundException", "We can't find an AWS account with the AccountId that you specified.")
            page, token = _page(self.validation_errors(account, policy_type), params)
            path = "/".join([self.seed["organizationId"], *self.path_of(account), account])
            return {"AccountId": account, "PolicyType": policy_type, "Path": path, "EvaluationTimestamp": self.changed_at,
                    "EffectivePolicyValidationErrors": page, **({"NextToken": token} if token else {})}

    # ------------------------------------------------------------------ request hooks

    def before(self, operation: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """
        Checks moto skips, and the stand-in rewrite. Returns replacement request parameters, or
        None to send the request unchanged; raises AwsError to refuse it.
        """
        if operation == "CreatePolicy" and params.get("Type") == STAND_IN_TYPE and is_bedrock_policy_content(params.get("Content")):
            return {**params, "Type": BEDROCK_POLICY}
        if operation == "AttachPolicy":
            policy = self.policy(str(params.get("PolicyId", "")))
            # AWS refuses to attach a policy whose type is not enabled on the root; moto attaches it.
            if policy is not None and policy.type == BEDROCK_POLICY and not self.policy_type_enabled(BEDROCK_POLICY):
                raise AwsError(400, "PolicyTypeNotEnabledException",
                               "This operation can be performed only for enabled policy types.")
        return None

    def after(self, operation: str, params: dict[str, Any], response: Any, rewritten: bool, from_terraform: bool) -> Any:
        """Remembers stand-in policies, and names them with the stand-in type to the Terraform provider."""
        if operation in CHANGES_EFFECTIVE_POLICIES:
            self.changed_at = time.time()
        if operation == "CreatePolicy" and rewritten and isinstance(response, dict):
            policy_id = response.get("Policy", {}).get("PolicySummary", {}).get("Id")
            if policy_id:
                with self.lock:
                    self.stand_ins.add(policy_id)
        if from_terraform and self.stand_ins:
            return self._report_stand_ins(response)
        return response

    def _report_stand_ins(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._report_stand_ins(v) for v in value]
        if isinstance(value, dict):
            out = {k: self._report_stand_ins(v) for k, v in value.items()}
            if out.get("Id") in self.stand_ins and out.get("Type") == BEDROCK_POLICY:
                out["Type"] = STAND_IN_TYPE
            return out
        return value

    def dump(self) -> dict[str, Any]:
        backend = self.backend
        root = backend._get_root_by_id(self.seed["rootId"])
        return {
            "organizationId": backend.org.id if backend.org else None,
            "rootId": root.id,
            "enabledPolicyTypes": sorted(t["Type"] for t in root.policy_types if t["Status"] == "ENABLED"),
            "policies": [
                {"id": p.id, "name": p.name, "type": p.type, "reportedToTerraformAs": STAND_IN_TYPE if p.id in self.stand_ins else p.type,
                 "content": p.content, "targets": sorted(t.id for t in p.attachments)}
                for p in backend.policies if not p.aws_managed
            ],
            "accounts": [{"id": a.id, "parentId": a.parent_id} for a in backend.accounts],
            "organizationalUnits": [{"id": ou.id, "name": ou.name, "parentId": getattr(ou, "parent_id", None)}
                                    for ou in backend.ou if ou.id != root.id],
        }


def identifiers_in(content: Any) -> list[str]:
    """Every guardrail identifier (`arn:version`) a BEDROCK_POLICY document assigns."""
    try:
        doc = json.loads(content) if isinstance(content, str) else content
    except json.JSONDecodeError:
        return []
    found = []
    inference = (doc or {}).get("bedrock", {}).get("guardrail_inference", {}) if isinstance(doc, dict) else {}
    for configs in (inference.values() if isinstance(inference, dict) else []):
        for config in (configs.values() if isinstance(configs, dict) else []):
            identifier = (config or {}).get("identifier", {}) if isinstance(config, dict) else {}
            value = identifier.get("@@assign") if isinstance(identifier, dict) else None
            if isinstance(value, str):
                found.append(value)
    return found


# ---------------------------------------------------------------------- effective policies

VALUE_OPERATORS = ("@@assign", "@@append", "@@remove")
CHILD_CONTROL_OPERATOR = "@@operators_allowed_for_child_policies"


def _document(content: Any) -> dict[str, Any]:
    try:
        doc = json.loads(content) if isinstance(content, str) else content
    except json.JSONDecodeError:
        return {}
    return doc if isinstance(doc, dict) else {}


def merge_policies(layers: list[list[tuple[str, dict[str, Any]]]]) -> tuple[dict[str, Any], dict[tuple[str, ...], list[str]]]:
    """
    Management-policy inheritance (Organizations user guide, "Understanding management policy
    inheritance" and "Inheritance operators"): `layers` are the nodes from the root down to the
    account, each with its policies (id, document) in attachment order. Returns the effective
    document, with the inheritance operators removed as DescribeEffectivePolicy shows it, and for
    each element path the policies that set it.

    - `@@assign` replaces what a higher node set (a whole array for a multi-valued setting);
    - `@@append` adds to an inherited array, `@@remove` takes values out of it;
    - a bare value is taken as `@@assign`.
    Modelling choices where the guide is silent: at one node, the policy attached first wins a
    conflicting `@@assign` (as the shim tier's fake does); child control operators
    (`@@operators_allowed_for_child_policies`) are read past, not enforced.
    """
    effective: dict[str, Any] = {}
    sources: dict[tuple[str, ...], list[str]] = {}
    for node in layers:
        assigned_here: set[tuple[str, ...]] = set()
        for policy_id, document in node:
            _merge_into(effective, document, (), policy_id, assigned_here, sources)
    return effective, sources


def _merge_into(target: dict[str, Any], policy: dict[str, Any], path: tuple[str, ...], policy_id: str,
                assigned_here: set[tuple[str, ...]], sources: dict[tuple[str, ...], list[str]]) -> None:
    for key, value in policy.items():
        if key == CHILD_CONTROL_OPERATOR:
            continue
        here = (*path, key)
        operators = isinstance(value, dict) and any(op in value for op in VALUE_OPERATORS)
        if isinstance(value, dict) and not operators:
            child = target.get(key)
            if not isinstance(child, dict):
                child = target[key] = {}
            _merge_into(child, value, here, policy_id, assigned_here, sources)
            continue
        ops = value if operators else {"@@assign": value}
        if "@@assign" in ops and here not in assigned_here:
            target[key] = copy.deepcopy(ops["@@assign"])
            assigned_here.add(here)
            sources[here] = [policy_id]
        if "@@append" in ops:
            current = target.get(key) if isinstance(target.get(key), list) else []
            target[key] = current + [v for v in _values(ops["@@append"]) if v not in current]
            sources.setdefault(here, []).append(policy_id)
        if "@@remove" in ops and isinstance(target.get(key), list):
            removed = _values(ops["@@remove"])
            target[key] = [v for v in target[key] if v not in removed]
            sources.setdefault(here, []).append(policy_id)


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _contributors(sources: dict[tuple[str, ...], list[str]], prefix: tuple[str, ...]) -> list[str]:
    return sorted({p for path, ids in sources.items() if path[:len(prefix)] == prefix for p in ids})


def bedrock_validation_errors(document: dict[str, Any], management: str, sources: dict[tuple[str, ...], list[str]]) -> list[dict[str, Any]]:
    """
    What makes an effective BEDROCK_POLICY invalid, from the requirements the Organizations user
    guide ("Amazon Bedrock policy syntax and examples") states for each element: `identifier` is
    required and is the ARN of a guardrail of the management account in the region key's region,
    followed by `:<numbered version>`; guarding modes are `selective` or `comprehensive`;
    `included_models` lists at least one model (or `ALL`), `excluded_models` is a list.
    Modelling choices: only what the document itself shows is checked (not whether the guardrail
    exists); the error codes and the dotted PathToError are the emulator's own.
    """
    errors: list[dict[str, Any]] = []

    def error(code: str, path: tuple[str, ...], message: str) -> None:
        errors.append({"ErrorCode": code, "ErrorMessage": message, "PathToError": ".".join(path),
                       "ContributingPolicies": _contributors(sources, path) or _contributors(sources, path[:-1])})

    inference = document.get("bedrock", {}).get("guardrail_inference", {}) if isinstance(document.get("bedrock"), dict) else {}
    for region, configs in sorted(inference.items() if isinstance(inference, dict) else []):
        for name, config in sorted(configs.items() if isinstance(configs, dict) else []):
            base = ("bedrock", "guardrail_inference", region, name)
            if not isinstance(config, dict):
                error("INVALID_TYPE", base, "a configuration must be an object")
                continue
            identifier = config.get("identifier")
            pattern = rf"arn:aws:bedrock:{re.escape(region)}:{management}:guardrail/[a-z0-9]+:[1-9][0-9]{{0,7}}"
            if identifier is None:
                error("MISSING_REQUIRED_ELEMENT", (*base, "identifier"), "identifier is required")
            elif not isinstance(identifier, str) or not re.fullmatch(pattern, identifier):
                error("INVALID_VALUE", (*base, "identifier"),
                      f"identifier must be arn:aws:bedrock:{region}:{management}:guardrail/<id>:<numbered version> "
                      f"(a version of a guardrail of the management account in {region}), got {identifier!r}")
            guarding = config.get("selective_content_guarding", {})
            for mode in ("system", "messages"):
                value = guarding.get(mode) if isinstance(guarding, dict) else None
                if value is not None and value not in ("selective", "comprehensive"):
                    error("INVALID_VALUE", (*base, "selective_content_guarding", mode), f"{mode} must be selective or comprehensive, got {value!r}")
            models = config.get("model_enforcement", {})
            if isinstance(models, dict):
                included = models.get("included_models")
                if included is not None and (not isinstance(included, list) or not included or not all(isinstance(m, str) for m in included)):
                    error("INVALID_VALUE", (*base, "model_enforcement", "included_models"), "included_models must list at least one model ID, or ALL")
                excluded = models.get("excluded_models")
                if excluded is not None and (not isinstance(excluded, list) or not all(isinstance(m, str) for m in excluded)):
                    error("INVALID_VALUE", (*base, "model_enforcement", "excluded_models"), "excluded_models must be a list of model IDs")
    return errors


def _page(items: list[Any], params: dict[str, Any]) -> tuple[list[Any], str | None]:
    """One page of a listing: NextToken is the index of the next item."""
    token = params.get("NextToken")
    start = int(token) if isinstance(token, str) and token.isdigit() else 0
    size = params.get("MaxResults") if isinstance(params.get("MaxResults"), int) and params["MaxResults"] > 0 else 20
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)
