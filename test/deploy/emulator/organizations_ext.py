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
"""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from typing import Any, Iterator

from moto.organizations import models as org_models
from moto.organizations import utils as org_utils
from moto.organizations.models import organizations_backends

from aws_errors import AwsError

BEDROCK_POLICY = "BEDROCK_POLICY"
STAND_IN_TYPE = "TAG_POLICY"
BEDROCK_POLICY_ARN_FORMAT = "arn:{0}:organizations::{1}:policy/{2}/bedrock_policy/{3}"


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
