"""
What one HTTP request is, in AWS terms: the signer's access key and the SigV4 credential scope
(region and service), the operation, its parameters, the identifiers worth recording, and the IAM
action and resource it is authorized against.

Every service is reached through one URL: the service comes from the credential scope of the
Authorization header (`Credential=<key>/<date>/<region>/<service>/aws4_request`), which is what
lets one endpoint serve every entry of the provider's `endpoints {}` block and the handler's
AWS_ENDPOINT_URL.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

from aws_errors import AwsError

SCOPE = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")

# IAM action prefixes per signing name.
ACTION_PREFIX = {"iam": "iam", "sts": "sts", "lambda": "lambda", "logs": "logs", "organizations": "organizations", "bedrock": "bedrock"}

# The identifiers recorded per call, by request parameter name.
KEY_PARAMETERS = (
    "RoleName", "PolicyName", "RoleArn", "RoleSessionName", "FunctionName", "logGroupName", "PolicyId", "TargetId",
    "RootId", "PolicyType", "Name", "Type", "guardrailIdentifier", "guardrailVersion", "resourceArn", "resourceARN",
    "configId", "PolicyArn", "AccountId", "ChildId", "ParentId",
)

LAMBDA_ROUTES = [
    ("POST", r"/2015-03-31/functions/?", "CreateFunction"),
    ("GET", r"/2015-03-31/functions/?", "ListFunctions"),
    ("GET", r"/2015-03-31/functions/(?P<FunctionName>[^/]+)", "GetFunction"),
    ("DELETE", r"/2015-03-31/functions/(?P<FunctionName>[^/]+)", "DeleteFunction"),
    ("GET", r"/2015-03-31/functions/(?P<FunctionName>[^/]+)/configuration", "GetFunctionConfiguration"),
    ("PUT", r"/2015-03-31/functions/(?P<FunctionName>[^/]+)/configuration", "UpdateFunctionConfiguration"),
    ("PUT", r"/2015-03-31/functions/(?P<FunctionName>[^/]+)/code", "UpdateFunctionCode"),
    ("POST", r"/2015-03-31/functions/(?P<FunctionName>[^/]+)/invocations", "Invoke"),
    ("GET", r"/2015-03-31/functions/(?P<FunctionName>[^/]+)/versions", "ListVersionsByFunction"),
    ("POST", r"/2015-03-31/functions/(?P<FunctionName>[^/]+)/versions", "PublishVersion"),
    ("GET", r"/2015-03-31/functions/(?P<FunctionName>[^/]+)/policy", "GetPolicy"),
    ("GET", r"/2019-09-30/functions/(?P<FunctionName>[^/]+)/concurrency", "GetFunctionConcurrency"),
    ("GET", r"/2019-09-25/functions/(?P<FunctionName>[^/]+)/event-invoke-config", "GetFunctionEventInvokeConfig"),
    ("GET", r"/2020-06-30/functions/(?P<FunctionName>[^/]+)/code-signing-config", "GetFunctionCodeSigningConfig"),
    ("GET", r"/2021-10-31/functions/(?P<FunctionName>[^/]+)/url", "GetFunctionUrlConfig"),
    ("GET", r"/2017-03-31/tags/(?P<Resource>.+)", "ListTags"),
    ("POST", r"/2017-03-31/tags/(?P<Resource>.+)", "TagResource"),
    ("DELETE", r"/2017-03-31/tags/(?P<Resource>.+)", "UntagResource"),
]


@dataclass
class AwsRequest:
    method: str
    raw_path: str
    query: str
    headers: dict[str, str]
    body: bytes
    access_key: str = ""
    region: str = ""
    service: str = ""
    operation: str = "Unknown"
    params: dict[str, Any] = field(default_factory=dict)

    def keys(self) -> dict[str, Any]:
        """The identifiers a call log entry carries."""
        out = {}
        for name in KEY_PARAMETERS:
            value = self.params.get(name)
            if isinstance(value, (str, int)) and value != "":
                out[name] = value
        if self.operation == "PutEnforcedGuardrailConfiguration":
            cfg = self.params.get("guardrailInferenceConfig") or {}
            for name in ("guardrailIdentifier", "guardrailVersion"):
                if name in cfg:
                    out[name] = cfg[name]
        return out


def parse_request(method: str, raw_uri: str, headers: dict[str, str], body: bytes) -> AwsRequest:
    path, _, query = raw_uri.partition("?")
    req = AwsRequest(method, path, query, headers, body)
    scope = SCOPE.search(headers.get("authorization", ""))
    if not scope:
        raise AwsError(403, "MissingAuthenticationToken", "Request is missing a SigV4 Authorization header")
    req.access_key, _, req.region, req.service = scope.groups()
    req.service = req.service.lower()
    req.operation, req.params = _operation(req)
    return req


def _json(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    try:
        value = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def _operation(req: AwsRequest) -> tuple[str, dict[str, Any]]:
    if req.service in ("iam", "sts"):
        # Query protocol: the action and its parameters are form fields (or, for GET, the query).
        form = parse_qs(req.body.decode("utf-8", "replace") if req.method == "POST" else req.query, keep_blank_values=True)
        params = {k: v[-1] for k, v in form.items()}
        return params.get("Action", "Unknown"), params
    if req.service in ("organizations", "logs"):
        target = req.headers.get("x-amz-target", "")
        return (target.split(".", 1)[1] if "." in target else "Unknown"), _json(req.body)
    if req.service == "lambda":
        query = {k: v[-1] for k, v in parse_qs(req.query).items()}
        for method, pattern, name in LAMBDA_ROUTES:
            m = re.fullmatch(pattern, req.raw_path)
            if m and method == req.method:
                params = {**query, **{k: unquote(v) for k, v in m.groupdict().items()}}
                if name == "Invoke":
                    return name, params
                return name, {**params, **_json(req.body)}
        return f"{req.method} {req.raw_path}", query
    if req.service == "bedrock":
        from bedrock_fake import BedrockFake

        name, path_params = BedrockFake.route(req.method, req.raw_path)
        query = {k: v[-1] for k, v in parse_qs(req.query).items()}
        return name, {**query, **_json(req.body), **path_params}
    return "Unknown", {}


def iam_action(req: AwsRequest) -> str:
    return f"{ACTION_PREFIX.get(req.service, req.service)}:{req.operation}"


def iam_resource(req: AwsRequest, account: str, organization: Any) -> str:
    """
    The resource ARN a request is authorized on, for the operations the shim handler makes (per the
    Service Authorization Reference's resource types); `*` where the action has no resource type.
    """
    p = req.params
    if req.service == "sts" and req.operation == "AssumeRole":
        return str(p.get("RoleArn", "*"))
    if req.service == "bedrock":
        if req.operation in ("GetResourcePolicy", "PutResourcePolicy", "DeleteResourcePolicy"):
            return str(p.get("resourceArn", "*"))
        if "guardrailIdentifier" in p and (req.operation.endswith("Guardrail") or req.operation == "CreateGuardrailVersion"):
            ident = str(p.get("guardrailIdentifier", ""))
            return ident if ident.startswith("arn:") else f"arn:aws:bedrock:{req.region}:{account}:guardrail/{ident}"
        if req.operation in ("TagResource", "UntagResource", "ListTagsForResource"):
            return str(p.get("resourceARN", "*"))
        return "*"
    if req.service == "organizations" and req.operation in ("EnablePolicyType", "DisablePolicyType"):
        seed = organization.seed
        return f"arn:aws:organizations::{organization.management}:root/{seed['organizationId']}/{p.get('RootId', seed['rootId'])}"
    if req.service == "logs" and "logGroupName" in p:
        arn = f"arn:aws:logs:{req.region}:{account}:log-group:{p['logGroupName']}"
        return f"{arn}:log-stream:{p['logStreamName']}" if "logStreamName" in p else arn
    return "*"
