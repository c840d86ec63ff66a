"""
A Bedrock control-plane fake, enough for the hashicorp/aws provider's `aws_bedrock_guardrail` and
`aws_bedrock_guardrail_version` and for the shim handler (resource policies, account-level
enforced guardrail configurations). moto 5.2.1 has none of these.

Routes and shapes follow @aws-sdk/client-bedrock's schemas (REST-JSON, timestamps as date-time):
  POST   /guardrails                          CreateGuardrail (202)
  GET    /guardrails                          ListGuardrails
  GET    /guardrails/{id}?guardrailVersion=   GetGuardrail
  PUT    /guardrails/{id}                     UpdateGuardrail (202)
  POST   /guardrails/{id}                     CreateGuardrailVersion (202)
  DELETE /guardrails/{id}?guardrailVersion=   DeleteGuardrail (202)
  POST   /tagResource, /untagResource, /listTagsForResource
  POST   /resource-policy (201), GET/DELETE /resource-policy/{resourceArn}
  GET/PUT /enforcedGuardrailsConfiguration, DELETE /enforcedGuardrailsConfiguration/{configId}
and of the runtime (@aws-sdk/client-bedrock-runtime signs as `bedrock` too):
  POST   /guardrail/{id}/version/{v}/apply    ApplyGuardrail

The provider reads a guardrail with GetGuardrail and writes the state from the answer, so every
field a request sets comes back under the response's name (`contentPolicyConfig.filtersConfig`
is read back as `contentPolicy.filters`, `kmsKeyId` as `kmsKeyArn`, ...): anything lost or
renamed shows up as a change on the next plan.

What AWS documents and the fake enforces: numbered versions only for enforcement
(^[1-9][0-9]{0,7}$), one enforced configuration per account and region, the three resource-policy
statement patterns, and DeleteGuardrail refused while an account-level configuration or an
attached organization policy uses the guardrail. Modelling choices where AWS does not document the
behaviour are marked "Modelling choice" below.
"""
from __future__ import annotations

import json
import re
import secrets
import string
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Protocol
from urllib.parse import parse_qs, unquote

import iam_policy
from aws_errors import AwsError

GUARDRAIL_NAME = re.compile(r"^[0-9a-zA-Z_-]{1,50}$")
NUMBERED_VERSION = re.compile(r"^[1-9][0-9]{0,7}$")
GUARDRAIL_ARN = re.compile(r"^arn:aws:bedrock:([a-z0-9-]+):(\d{12}):guardrail/([a-z0-9]+)$")
PROFILE_ARN = re.compile(r"^arn:aws:bedrock:([a-z0-9-]+):(\d{12}):guardrail-profile/((us|eu|apac|us-gov)\.guardrail\.v\d+:\d+)$")
GUARDING_MODES = ("SELECTIVE", "COMPREHENSIVE")

# Request member -> response member of the guardrail definition (CreateGuardrailRequest vs
# GetGuardrailResponse in the SDK's models).
POLICY_FIELDS = {
    "topicPolicyConfig": ("topicPolicy", {"topicsConfig": "topics", "tierConfig": "tier"}),
    "contentPolicyConfig": ("contentPolicy", {"filtersConfig": "filters", "tierConfig": "tier"}),
    "wordPolicyConfig": ("wordPolicy", {"wordsConfig": "words", "managedWordListsConfig": "managedWordLists"}),
    "sensitiveInformationPolicyConfig": ("sensitiveInformationPolicy", {"piiEntitiesConfig": "piiEntities", "regexesConfig": "regexes"}),
    "contextualGroundingPolicyConfig": ("contextualGroundingPolicy", {"filtersConfig": "filters"}),
    "automatedReasoningPolicyConfig": ("automatedReasoningPolicy", {}),
}


class OrganizationView(Protocol):
    """What the fake needs to know about the organization (kept in moto's Organizations backend)."""

    def condition_context(self, account: str) -> dict[str, Any]: ...

    def organization_id_of(self, account: str) -> str | None: ...

    def attached_bedrock_identifiers(self) -> list[tuple[str, str, list[str]]]:
        """(policy id, guardrail identifier `arn:version`, target ids) of every attached BEDROCK_POLICY."""
        ...

    def accounts_under(self, target_id: str) -> list[str]: ...


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id(n: int = 12) -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(n))


def validation(message: str) -> AwsError:
    return AwsError(400, "ValidationException", message)


def not_found(message: str) -> AwsError:
    return AwsError(404, "ResourceNotFoundException", message)


def conflict(message: str) -> AwsError:
    return AwsError(400, "ConflictException", message)


def in_use(message: str) -> AwsError:
    return AwsError(400, "ResourceInUseException", message)


@dataclass
class Guardrail:
    id: str
    arn: str
    account: str
    region: str
    definition: dict[str, Any]
    created_at: str
    updated_at: str
    tags: dict[str, str] = field(default_factory=dict)
    # Published versions: number -> (definition snapshot, version description, created at).
    versions: dict[str, tuple[dict[str, Any], str | None, str]] = field(default_factory=dict)
    next_version: int = 1
    # Idempotency tokens already used (CreateGuardrailVersion) -> version number.
    version_tokens: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    """One Bedrock request as the fake sees it."""

    method: str
    raw_path: str
    query: str
    body: bytes
    account: str
    region: str
    caller_arn: str


class BedrockFake:
    """Bedrock state for every account and region, and the operations on it."""

    def __init__(self, org: OrganizationView, record_hazard: Callable[[str, dict[str, Any]], None]):
        self.org = org
        self.record_hazard = record_hazard
        self.lock = threading.RLock()
        self.guardrails: dict[str, Guardrail] = {}  # by ARN
        self.create_tokens: dict[tuple[str, str, str], str] = {}  # (account, region, token) -> ARN
        self.resource_policies: dict[str, str] = {}  # by resource ARN
        self.configs: dict[tuple[str, str], list[dict[str, Any]]] = {}  # (account, region) -> configurations

    # ------------------------------------------------------------------ routing

    @staticmethod
    def route(method: str, raw_path: str) -> tuple[str, dict[str, str]]:
        """The operation and path parameters of a request; ('Unknown', {}) when no route matches."""
        # werkzeug decodes %2F in the path, and guardrail ARNs hold slashes: split the raw URI.
        segments = raw_path.split("/")[1:]
        first = segments[0] if segments else ""
        rest = [unquote(s) for s in segments[1:]]
        if first == "guardrails":
            if not rest or rest == [""]:
                return {"POST": "CreateGuardrail", "GET": "ListGuardrails"}.get(method, "Unknown"), {}
            if len(rest) == 1:
                op = {"GET": "GetGuardrail", "PUT": "UpdateGuardrail", "POST": "CreateGuardrailVersion",
                      "DELETE": "DeleteGuardrail"}.get(method, "Unknown")
                return op, {"guardrailIdentifier": rest[0]}
        if first == "guardrail" and len(rest) == 4 and rest[1] == "version" and rest[3] == "apply" and method == "POST":
            return "ApplyGuardrail", {"guardrailIdentifier": rest[0], "guardrailVersion": rest[2]}
        if first == "resource-policy":
            if not rest and method == "POST":
                return "PutResourcePolicy", {}
            if len(rest) == 1:
                op = {"GET": "GetResourcePolicy", "DELETE": "DeleteResourcePolicy"}.get(method, "Unknown")
                return op, {"resourceArn": rest[0]}
        if first == "enforcedGuardrailsConfiguration":
            if not rest:
                return {"GET": "ListEnforcedGuardrailsConfiguration", "PUT": "PutEnforcedGuardrailConfiguration"}.get(method, "Unknown"), {}
            if len(rest) == 1 and method == "DELETE":
                return "DeleteEnforcedGuardrailConfiguration", {"configId": rest[0]}
        if method == "POST" and not rest and first in ("tagResource", "untagResource", "listTagsForResource"):
            return first[0].upper() + first[1:], {}
        return "Unknown", {}

    def handle(self, req: Request) -> tuple[int, dict[str, Any]]:
        """(status, JSON body) of a request; raises AwsError for error answers."""
        path = req.raw_path.split("?", 1)[0]
        operation, params = self.route(req.method, path)
        if operation == "Unknown":
            raise AwsError(404, "UnknownOperationException", f"The Bedrock fake has no operation for {req.method} {path}")
        try:
            body = json.loads(req.body) if req.body else {}
        except json.JSONDecodeError:
            raise AwsError(400, "SerializationException", "The request body is not JSON") from None
        query = {k: v[-1] for k, v in parse_qs(req.query, keep_blank_values=True).items()}
        with self.lock:
            return getattr(self, "op_" + operation)(req, params, query, body)

    # ------------------------------------------------------------------ guardrails

    def _arn_of(self, identifier: str, account: str, region: str) -> str:
        """The guardrail ARN for an ID or ARN given by a caller in `account` and `region`."""
        m = GUARDRAIL_ARN.match(identifier)
        if m:
            return identifier
        if re.fullmatch(r"[a-z0-9]+", identifier):
            return f"arn:aws:bedrock:{region}:{account}:guardrail/{identifier}"
        raise validation(f"guardrailIdentifier {identifier!r} is neither a guardrail ID nor a guardrail ARN")

    def _guardrail(self, identifier: str, req: Request) -> Guardrail:
        arn = self._arn_of(identifier, req.account, req.region)
        g = self.guardrails.get(arn)
        m = GUARDRAIL_ARN.match(arn)
        # A guardrail is read in its own account and region only (no resource-policy access to
        # the control plane is modelled).
        if g is None or (m and (m.group(1) != req.region or m.group(2) != req.account)):
            raise not_found(f"Guardrail {identifier} was not found in account {req.account}, {req.region}")
        return g

    @staticmethod
    def _check_definition(body: dict[str, Any]) -> dict[str, Any]:
        name = body.get("name")
        if not isinstance(name, str) or not GUARDRAIL_NAME.match(name):
            raise validation(f"name must match ^[0-9a-zA-Z-_]+$ with 1-50 characters, got {name!r}")
        for key in ("blockedInputMessaging", "blockedOutputsMessaging"):
            value = body.get(key)
            if not isinstance(value, str) or not 1 <= len(value) <= 500:
                raise validation(f"{key} must be 1-500 characters")
        if len(body.get("description") or "") > 200:
            raise validation("description must be at most 200 characters")
        keep = ["name", "description", "blockedInputMessaging", "blockedOutputsMessaging", "kmsKeyId", "crossRegionConfig",
                *POLICY_FIELDS]
        return {k: body[k] for k in keep if body.get(k) is not None}

    def _read_shape(self, g: Guardrail, definition: dict[str, Any], version: str, description: str | None,
                    created_at: str, updated_at: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": definition["name"],
            "guardrailId": g.id,
            "guardrailArn": g.arn,
            "version": version,
            "status": "READY",
            "createdAt": created_at,
            "updatedAt": updated_at,
            "blockedInputMessaging": definition["blockedInputMessaging"],
            "blockedOutputsMessaging": definition["blockedOutputsMessaging"],
        }
        if description is not None:
            out["description"] = description
        for request_name, (response_name, members) in POLICY_FIELDS.items():
            if request_name in definition:
                out[response_name] = {members.get(k, k): v for k, v in definition[request_name].items()}
        if "kmsKeyId" in definition:
            key = definition["kmsKeyId"]
            out["kmsKeyArn"] = key if key.startswith("arn:") else f"arn:aws:kms:{g.region}:{g.account}:key/{key}"
        if "crossRegionConfig" in definition:
            profile = definition["crossRegionConfig"].get("guardrailProfileIdentifier", "")
            profile_id = profile.rsplit("/", 1)[-1]
            out["crossRegionDetails"] = {
                "guardrailProfileId": profile_id,
                "guardrailProfileArn": profile if profile.startswith("arn:") else f"arn:aws:bedrock:{g.region}:{g.account}:guardrail-profile/{profile_id}",
            }
        return out

    def op_CreateGuardrail(self, req: Request, _p: dict[str, str], _q: dict[str, str], body: dict[str, Any]):
        token = body.get("clientRequestToken")
        if token and (req.account, req.region, token) in self.create_tokens:
            g = self.guardrails.get(self.create_tokens[(req.account, req.region, token)])
            if g:
                return 202, {"guardrailId": g.id, "guardrailArn": g.arn, "version": "DRAFT", "createdAt": g.created_at}
        definition = self._check_definition(body)
        for other in self.guardrails.values():
            if (other.account, other.region, other.definition["name"]) == (req.account, req.region, definition["name"]):
                raise conflict(f"A guardrail named {definition['name']} already exists in this account and Region")
        gid = new_id()
        arn = f"arn:aws:bedrock:{req.region}:{req.account}:guardrail/{gid}"
        stamp = now()
        g = Guardrail(gid, arn, req.account, req.region, definition, stamp, stamp,
                      tags={t["key"]: t["value"] for t in body.get("tags") or []})
        self.guardrails[arn] = g
        if token:
            self.create_tokens[(req.account, req.region, token)] = arn
        return 202, {"guardrailId": gid, "guardrailArn": arn, "version": "DRAFT", "createdAt": stamp}

    def op_GetGuardrail(self, req: Request, p: dict[str, str], q: dict[str, str], _b: dict[str, Any]):
        g = self._guardrail(p["guardrailIdentifier"], req)
        version = q.get("guardrailVersion") or "DRAFT"
        if version == "DRAFT":
            return 200, self._read_shape(g, g.definition, "DRAFT", g.definition.get("description"), g.created_at, g.updated_at)
        if not NUMBERED_VERSION.match(version):
            raise validation(f"guardrailVersion must be DRAFT or a number, got {version!r}")
        if version not in g.versions:
            raise not_found(f"Guardrail {g.id} has no version {version}")
        snapshot, description, created = g.versions[version]
        return 200, self._read_shape(g, snapshot, version, description, created, created)

    def op_ListGuardrails(self, req: Request, _p: dict[str, str], q: dict[str, str], _b: dict[str, Any]):
        items = []
        for g in self.guardrails.values():
            if (g.account, g.region) != (req.account, req.region):
                continue
            if q.get("guardrailIdentifier") and self._arn_of(q["guardrailIdentifier"], req.account, req.region) != g.arn:
                continue
            entries = [("DRAFT", g.definition, g.definition.get("description"), g.created_at, g.updated_at)]
            if q.get("guardrailIdentifier"):
                entries += [(v, snap, d, c, c) for v, (snap, d, c) in g.versions.items()]
            for version, definition, description, created, updated in entries:
                item = {"id": g.id, "arn": g.arn, "status": "READY", "name": definition["name"], "version": version,
                        "createdAt": created, "updatedAt": updated}
                if description is not None:
                    item["description"] = description
                items.append(item)
        return 200, {"guardrails": items}

    def op_UpdateGuardrail(self, req: Request, p: dict[str, str], _q: dict[str, str], body: dict[str, Any]):
        g = self._guardrail(p["guardrailIdentifier"], req)
        definition = self._check_definition(body)
        for other in self.guardrails.values():
            if other is not g and (other.account, other.region, other.definition["name"]) == (req.account, req.region, definition["name"]):
                raise conflict(f"A guardrail named {definition['name']} already exists in this account and Region")
        # UpdateGuardrail replaces the working draft: a policy the request leaves out is removed.
        g.definition = definition
        g.updated_at = now()
        return 202, {"guardrailId": g.id, "guardrailArn": g.arn, "version": "DRAFT", "updatedAt": g.updated_at}

    def op_CreateGuardrailVersion(self, req: Request, p: dict[str, str], _q: dict[str, str], body: dict[str, Any]):
        g = self._guardrail(p["guardrailIdentifier"], req)
        token = body.get("clientRequestToken")
        if token and token in g.version_tokens and g.version_tokens[token] in g.versions:
            return 202, {"guardrailId": g.id, "version": g.version_tokens[token]}
        description = body.get("description")
        if description is not None and len(description) > 200:
            raise validation("description must be at most 200 characters")
        version = str(g.next_version)
        g.next_version += 1
        g.versions[version] = (json.loads(json.dumps(g.definition)), description, now())
        if token:
            g.version_tokens[token] = version
        return 202, {"guardrailId": g.id, "version": version}

    def op_DeleteGuardrail(self, req: Request, p: dict[str, str], q: dict[str, str], _b: dict[str, Any]):
        g = self._guardrail(p["guardrailIdentifier"], req)
        version = q.get("guardrailVersion")
        if version:
            if not NUMBERED_VERSION.match(version):
                raise validation(f"guardrailVersion must be a number to delete a version, got {version!r}")
            if version not in g.versions:
                raise not_found(f"Guardrail {g.id} has no version {version}")
        users = self._enforcement_users(g.arn, version)
        if users:
            # The user guide says the deletion is refused; DeleteGuardrail's documented error for a
            # resource "currently being used by other resources" is ResourceInUseException.
            raise in_use(
                f"Guardrail {g.arn}{':' + version if version else ''} is used by enforcement and cannot be deleted: "
                + "; ".join(users) + ". Remove the enforcement first."
            )
        if version:
            del g.versions[version]
        else:
            del self.guardrails[g.arn]
            self.resource_policies.pop(g.arn, None)
        return 202, {"guardrailId": g.id, "version": version or "DRAFT"}

    def _enforcement_users(self, arn: str, version: str | None) -> list[str]:
        users = []
        for (account, region), configs in self.configs.items():
            for c in configs:
                if c["guardrailArn"] == arn and (version is None or c["guardrailVersion"] == version):
                    users.append(f"account-level configuration {c['configId']} in {account} {region}")
        for policy_id, identifier, targets in self.org.attached_bedrock_identifiers():
            base, _, used_version = identifier.rpartition(":")
            if base == arn and (version is None or used_version == version):
                users.append(f"organization policy {policy_id} attached to {', '.join(targets)}")
        return users

    # ------------------------------------------------------------------ runtime

    def op_ApplyGuardrail(self, req: Request, p: dict[str, str], _q: dict[str, str], body: dict[str, Any]):
        """
        ApplyGuardrail (bedrock-runtime). A caller in another account than the guardrail's needs the
        guardrail's resource policy to allow it (Bedrock user guide, "Using resource-based policies
        for guardrails"); its own identity policies and session policy are checked by the
        emulator's IAM checks before the request gets here.

        Assessed: the guardrail version's custom words (wordPolicy.words), matched whole and
        case-insensitively, honouring each word's inputAction/outputAction and
        inputEnabled/outputEnabled. Not assessed: content filters, denied topics, sensitive
        information, contextual grounding and managed word lists, which need models; they count in
        `usage` (text units of up to 1,000 characters, per configured policy) and never intervene.
        """
        identifier, version = p["guardrailIdentifier"], p["guardrailVersion"]
        arn = self._arn_of(identifier, req.account, req.region)
        m = GUARDRAIL_ARN.match(arn)
        g = self.guardrails.get(arn)
        if g is None or not m or m.group(1) != req.region:
            raise not_found(f"The guardrail {identifier} was not found in {req.region}")
        if m.group(2) != req.account:
            document = self.resource_policies.get(arn)
            caller = iam_policy.Caller(account=req.account, arn=req.caller_arn)
            allowed = document is not None and iam_policy.evaluate(
                [document], "bedrock:ApplyGuardrail", arn, self.org.condition_context(req.account), caller).allowed
            if not allowed:
                raise AwsError(403, "AccessDeniedException", f"User: {req.caller_arn} is not authorized to perform: bedrock:ApplyGuardrail "
                               f"on resource: {arn} because no resource-based policy allows the bedrock:ApplyGuardrail action")
        if version == "DRAFT":
            definition = g.definition
        elif NUMBERED_VERSION.match(version) and version in g.versions:
            definition = g.versions[version][0]
        elif NUMBERED_VERSION.match(version):
            raise not_found(f"Guardrail {g.id} has no version {version}")
        else:
            raise validation(f"guardrailVersion must be DRAFT or a number, got {version!r}")
        source = body.get("source")
        if source not in ("INPUT", "OUTPUT"):
            raise validation(f"source must be INPUT or OUTPUT, got {source!r}")
        if body.get("outputScope", "INTERVENTIONS") not in ("INTERVENTIONS", "FULL"):
            raise validation(f"outputScope must be INTERVENTIONS or FULL, got {body.get('outputScope')!r}")
        blocks = body.get("content")
        if not isinstance(blocks, list) or not blocks:
            raise validation("content must list at least one content block")
        texts = []
        for i, block in enumerate(blocks):
            if not isinstance(block, dict) or len(block) != 1 or not set(block) <= {"text", "image"}:
                raise validation(f"content[{i}] must hold exactly one of text and image")
            if "text" in block:
                text = block["text"].get("text") if isinstance(block["text"], dict) else None
                if not isinstance(text, str):
                    raise validation(f"content[{i}].text.text is required")
                texts.append(text)
        units = sum(-(-len(t) // 1000) for t in texts)
        usage = {"topicPolicyUnits": 0, "contentPolicyUnits": 0, "wordPolicyUnits": 0, "sensitiveInformationPolicyUnits": 0,
                 "sensitiveInformationPolicyFreeUnits": 0, "contextualGroundingPolicyUnits": 0}
        for request_name, usage_name in (("topicPolicyConfig", "topicPolicyUnits"), ("contentPolicyConfig", "contentPolicyUnits"),
                                         ("wordPolicyConfig", "wordPolicyUnits"), ("sensitiveInformationPolicyConfig", "sensitiveInformationPolicyUnits"),
                                         ("contextualGroundingPolicyConfig", "contextualGroundingPolicyUnits")):
            if request_name in definition:
                usage[usage_name] = units
        side = "input" if source == "INPUT" else "output"
        words = []
        for word in (definition.get("wordPolicyConfig") or {}).get("wordsConfig") or []:
            text = word.get("text") if isinstance(word, dict) else None
            if not isinstance(text, str) or word.get(f"{side}Enabled") is False:
                continue
            if any(re.search(rf"(?<!\w){re.escape(text)}(?!\w)", t, re.IGNORECASE) for t in texts):
                action = "NONE" if word.get(f"{side}Action") == "NONE" else "BLOCKED"
                words.append({"match": text, "action": action, "detected": True})
        intervened = any(w["action"] == "BLOCKED" for w in words)
        message = definition["blockedInputMessaging"] if source == "INPUT" else definition["blockedOutputsMessaging"]
        return 200, {
            "usage": usage,
            "action": "GUARDRAIL_INTERVENED" if intervened else "NONE",
            "outputs": [{"text": message}] if intervened else [],
            "assessments": [{"wordPolicy": {"customWords": words, "managedWordLists": []}} if words else {}],
        }

    # ------------------------------------------------------------------ tags

    def _tagged(self, arn: str, req: Request) -> Guardrail:
        g = self.guardrails.get(arn)
        if g is None or (g.account, g.region) != (req.account, req.region):
            raise not_found(f"Resource {arn} was not found")
        return g

    def op_TagResource(self, req: Request, _p, _q, body: dict[str, Any]):
        g = self._tagged(str(body.get("resourceARN", "")), req)
        g.tags.update({t["key"]: t["value"] for t in body.get("tags") or []})
        return 200, {}

    def op_UntagResource(self, req: Request, _p, _q, body: dict[str, Any]):
        g = self._tagged(str(body.get("resourceARN", "")), req)
        for key in body.get("tagKeys") or []:
            g.tags.pop(key, None)
        return 200, {}

    def op_ListTagsForResource(self, req: Request, _p, _q, body: dict[str, Any]):
        g = self._tagged(str(body.get("resourceARN", "")), req)
        return 200, {"tags": [{"key": k, "value": v} for k, v in sorted(g.tags.items())]}

    # ------------------------------------------------------------------ resource policies

    def _policy_resource(self, arn: str, req: Request) -> tuple[str, str]:
        """(kind, owner account) of a resource a policy can be attached to, in the caller's account and region."""
        m = GUARDRAIL_ARN.match(arn) or PROFILE_ARN.match(arn)
        if not m:
            raise validation(f"resourceArn {arn!r} is neither a guardrail ARN (without version) nor a guardrail profile ARN")
        if m.group(1) != req.region or m.group(2) != req.account:
            raise validation(f"resourceArn {arn} is not in the caller's account {req.account} and Region {req.region}")
        kind = "guardrail" if GUARDRAIL_ARN.match(arn) else "guardrail-profile"
        if kind == "guardrail" and arn not in self.guardrails:
            raise not_found(f"Guardrail {arn} was not found")
        return kind, m.group(2)

    def check_resource_policy(self, document: str, resource_arn: str, kind: str, owner: str) -> None:
        """
        The statement patterns Bedrock accepts for guardrails and guardrail profiles (Bedrock user
        guide, "Using resource-based policies for guardrails", supported policy statement
        patterns): the owning account, the organization, or OUs of it; ApplyGuardrail (and
        GetGuardrail on a guardrail); the resource itself.
        """
        try:
            doc = iam_policy.parse(document)
        except iam_policy.MalformedPolicy as e:
            raise validation(f"The resource policy is malformed: {e}") from None
        org_id = self.org.organization_id_of(owner)
        allowed_actions = {"bedrock:ApplyGuardrail", "bedrock:GetGuardrail"} if kind == "guardrail" else {"bedrock:ApplyGuardrail"}
        for i, st in enumerate(iam_policy.statements(doc)):
            where = f"statement {st.get('Sid', i)}"
            if st.get("Effect") != "Allow" or "Action" not in st or "Principal" not in st:
                raise validation(f"{where}: only Allow statements with Principal and Action are supported")
            actions = set(st["Action"] if isinstance(st["Action"], list) else [st["Action"]])
            if not actions or not actions <= allowed_actions:
                raise validation(f"{where}: actions {sorted(actions)} are not supported on a {kind}; allowed: {sorted(allowed_actions)}")
            resources = st.get("Resource")
            resources = resources if isinstance(resources, list) else [resources]
            if resources != [resource_arn]:
                raise validation(f"{where}: Resource must be {resource_arn}, got {st.get('Resource')!r}")
            principal = st["Principal"]
            condition = st.get("Condition")
            if principal == {"AWS": f"arn:aws:iam::{owner}:root"}:
                if condition:
                    raise validation(f"{where}: a statement for the owning account takes no Condition")
                continue
            if principal not in ("*", {"AWS": "*"}):
                raise validation(
                    f"{where}: Principal {principal!r} is not supported: use arn:aws:iam::{owner}:root (the owning account) "
                    "or \"*\" with an aws:PrincipalOrgID condition; specific member accounts are not supported"
                )
            if not isinstance(condition, dict) or set(condition) - {"StringEquals", "ForAnyValue:StringLike"}:
                raise validation(f"{where}: a \"*\" principal needs StringEquals aws:PrincipalOrgID, optionally with ForAnyValue:StringLike aws:PrincipalOrgPaths")
            equals = condition.get("StringEquals")
            if not isinstance(equals, dict) or set(equals) != {"aws:PrincipalOrgID"}:
                raise validation(f"{where}: StringEquals must hold exactly aws:PrincipalOrgID")
            if equals["aws:PrincipalOrgID"] != org_id:
                raise validation(f"{where}: aws:PrincipalOrgID {equals['aws:PrincipalOrgID']!r} is not the organization of account {owner} ({org_id}); sharing outside the organization is not supported")
            like = condition.get("ForAnyValue:StringLike")
            if like is not None:
                paths = like.get("aws:PrincipalOrgPaths") if isinstance(like, dict) and set(like) == {"aws:PrincipalOrgPaths"} else None
                paths = paths if isinstance(paths, list) else [paths] if isinstance(paths, str) else None
                if not paths or not all(re.fullmatch(rf"{re.escape(org_id or '')}/\*/ou-[a-z0-9]+-[a-z0-9]+/\*", p) for p in paths):
                    raise validation(f"{where}: aws:PrincipalOrgPaths entries must look like {org_id}/*/<ou id>/*")

    def op_PutResourcePolicy(self, req: Request, _p, _q, body: dict[str, Any]):
        arn = str(body.get("resourceArn", ""))
        document = body.get("resourcePolicy")
        if not isinstance(document, str):
            raise validation("resourcePolicy is required")
        kind, owner = self._policy_resource(arn, req)
        self.check_resource_policy(document, arn, kind, owner)
        # Kept re-serialized (other white space than sent): readers must compare documents by meaning.
        self.resource_policies[arn] = json.dumps(json.loads(document))
        self.check_reach(f"PutResourcePolicy {arn}")
        return 201, {"resourceArn": arn}

    def op_GetResourcePolicy(self, req: Request, p: dict[str, str], _q, _b):
        arn = p["resourceArn"]
        self._policy_resource(arn, req)
        if arn not in self.resource_policies:
            raise not_found(f"No resource policy is attached to {arn}")
        return 200, {"resourcePolicy": self.resource_policies[arn]}

    def op_DeleteResourcePolicy(self, req: Request, p: dict[str, str], _q, _b):
        arn = p["resourceArn"]
        self._policy_resource(arn, req)
        if self.resource_policies.pop(arn, None) is None:
            raise not_found(f"No resource policy is attached to {arn}")
        self.check_reach(f"DeleteResourcePolicy {arn}")
        return 200, {}

    def can_apply(self, account: str, guardrail_arn: str) -> bool:
        """Whether principals of `account` may call ApplyGuardrail on the guardrail (its resource policy)."""
        m = GUARDRAIL_ARN.match(guardrail_arn)
        if not m or guardrail_arn not in self.guardrails:
            return False
        if m.group(2) == account:
            return True  # same account: identity policies decide, the resource policy is not needed
        document = self.resource_policies.get(guardrail_arn)
        if document is None:
            return False
        caller = iam_policy.Caller(account=account, arn=f"arn:aws:iam::{account}:root")
        decision = iam_policy.evaluate([document], "bedrock:ApplyGuardrail", guardrail_arn, self.org.condition_context(account), caller)
        return decision.allowed

    def check_reach(self, after: str) -> None:
        """
        Records a hazard for every account an attached BEDROCK_POLICY enforces a guardrail on while
        that account may not apply it: AWS accepts such a state, and then every Bedrock call there
        fails with AccessDenied (issue 9, item 1).
        """
        for policy_id, identifier, targets in self.org.attached_bedrock_identifiers():
            base, _, version = identifier.rpartition(":")
            g = self.guardrails.get(base)
            for target in targets:
                for account in self.org.accounts_under(target):
                    problem = None
                    if g is None:
                        problem = "the guardrail does not exist"
                    elif version not in g.versions:
                        problem = f"version {version} does not exist"
                    elif not self.can_apply(account, base):
                        problem = "no resource policy lets the account apply it"
                    if problem:
                        self.record_hazard("enforced-but-not-applicable", {
                            "after": after, "policyId": policy_id, "target": target, "account": account,
                            "identifier": identifier, "problem": problem,
                        })

    # ------------------------------------------------------------------ enforced configurations

    def op_ListEnforcedGuardrailsConfiguration(self, req: Request, _p, q: dict[str, str], _b):
        items = self.configs.get((req.account, req.region), [])
        start = int(q.get("nextToken") or 0) if (q.get("nextToken") or "0").isdigit() else 0
        size = int(q.get("maxResults") or 100)
        page = items[start:start + size]
        out: dict[str, Any] = {"guardrailsConfig": [dict(c) for c in page]}
        if start + size < len(items):
            out["nextToken"] = str(start + size)
        return 200, out

    def op_PutEnforcedGuardrailConfiguration(self, req: Request, _p, _q, body: dict[str, Any]):
        cfg = body.get("guardrailInferenceConfig")
        if not isinstance(cfg, dict) or not isinstance(cfg.get("guardrailIdentifier"), str) or not isinstance(cfg.get("guardrailVersion"), str):
            raise validation("guardrailInferenceConfig with guardrailIdentifier and guardrailVersion is required")
        version = cfg["guardrailVersion"]
        if not NUMBERED_VERSION.match(version):
            raise validation(f"guardrailVersion must match ^[1-9][0-9]{{0,7}}$ (a numbered version; DRAFT is not accepted), got {version!r}")
        arn = self._arn_of(cfg["guardrailIdentifier"], req.account, req.region)
        m = GUARDRAIL_ARN.match(arn)
        assert m
        if m.group(1) != req.region:
            raise validation(f"guardrail {arn} is in {m.group(1)}; a configuration in {req.region} needs a guardrail in {req.region}")
        g = self.guardrails.get(arn)
        # Modelling choice: the guardrail and version must exist (the API reference does not say
        # which error AWS answers otherwise).
        if g is None:
            raise not_found(f"Guardrail {arn} was not found")
        if version not in g.versions:
            raise not_found(f"Guardrail {arn} has no version {version}")
        selective = cfg.get("selectiveContentGuarding") or {}
        for key, value in selective.items():
            if key not in ("system", "messages") or value not in GUARDING_MODES:
                raise validation(f"selectiveContentGuarding.{key} must be SELECTIVE or COMPREHENSIVE, got {value!r}")
        models = cfg.get("modelEnforcement")
        if models is not None and (not isinstance(models.get("includedModels"), list) or not isinstance(models.get("excludedModels"), list)):
            raise validation("modelEnforcement needs both includedModels and excludedModels")
        if m.group(2) != req.account and not self.can_apply(req.account, arn):
            # AWS recommends, but does not require, a resource policy for account-level enforcement.
            self.record_hazard("account-enforced-but-not-applicable", {
                "account": req.account, "region": req.region, "identifier": f"{arn}:{version}",
                "problem": "no resource policy lets the account apply it",
            })
        fields: dict[str, Any] = {
            "guardrailArn": arn,
            "guardrailId": m.group(3),
            "guardrailVersion": version,
            # Modelling choice: a mode the request leaves out reads back as COMPREHENSIVE, AWS's
            # documented default, as the shim tier's fake does.
            "selectiveContentGuarding": {"system": "COMPREHENSIVE", "messages": "COMPREHENSIVE", **selective},
        }
        if models is not None:
            fields["modelEnforcement"] = {"includedModels": list(models["includedModels"]), "excludedModels": list(models["excludedModels"])}
        key = (req.account, req.region)
        items = self.configs.setdefault(key, [])
        stamp = now()
        config_id = body.get("configId")
        if config_id is None:
            if items:
                # One configuration per account and Region ("fixed number of 1 item").
                raise conflict("An enforced guardrail configuration already exists for this account in this Region: "
                               f"{items[0]['configId']}. Update it by configId instead.")
            config = {"configId": new_id(), **fields, "owner": "ACCOUNT", "createdAt": stamp, "createdBy": req.caller_arn,
                      "updatedAt": stamp, "updatedBy": req.caller_arn}
            items.append(config)
        else:
            config = next((c for c in items if c["configId"] == config_id), None)
            if config is None:
                raise not_found(f"Enforced guardrail configuration {config_id} was not found")
            config.pop("modelEnforcement", None)
            config.update(fields, updatedAt=stamp, updatedBy=req.caller_arn)
        return 200, {"configId": config["configId"], "updatedAt": stamp, "updatedBy": req.caller_arn}

    def op_DeleteEnforcedGuardrailConfiguration(self, req: Request, p: dict[str, str], _q, _b):
        items = self.configs.get((req.account, req.region), [])
        rest = [c for c in items if c["configId"] != p["configId"]]
        if len(rest) == len(items):
            raise not_found(f"Enforced guardrail configuration {p['configId']} was not found")
        self.configs[(req.account, req.region)] = rest
        return 200, {}

    def inject_configuration(self, account: str, region: str, created_by: str, guardrail_arn: str, version: str,
                             selective: dict[str, str] | None = None) -> dict[str, Any]:
        """A configuration made by someone else, outside the API's checks (its guardrail may live anywhere)."""
        with self.lock:
            items = self.configs.setdefault((account, region), [])
            if items:
                raise ValueError(f"account {account} already has a configuration in {region}")
            stamp = now()
            config = {
                "configId": new_id(), "guardrailArn": guardrail_arn, "guardrailId": guardrail_arn.rsplit("/", 1)[-1],
                "guardrailVersion": version,
                "selectiveContentGuarding": {"system": "COMPREHENSIVE", "messages": "COMPREHENSIVE", **(selective or {})},
                "owner": "ACCOUNT", "createdAt": stamp, "createdBy": created_by, "updatedAt": stamp, "updatedBy": created_by,
            }
            items.append(config)
            return dict(config)

    # ------------------------------------------------------------------ state

    def dump(self) -> dict[str, Any]:
        with self.lock:
            return {
                "guardrails": [
                    {"arn": g.arn, "id": g.id, "account": g.account, "region": g.region, "name": g.definition["name"],
                     "definition": g.definition, "tags": g.tags,
                     "versions": {v: {"description": d, "definition": snap} for v, (snap, d, _c) in g.versions.items()}}
                    for g in self.guardrails.values()
                ],
                "resourcePolicies": dict(self.resource_policies),
                "enforcedConfigurations": [
                    {"account": a, "region": r, **c} for (a, r), items in self.configs.items() for c in items
                ],
            }
