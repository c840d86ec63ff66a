"""
The emulator's WSGI application: one endpoint for every emulated service.

Each request is parsed (aws_requests.py), recorded, authorized when a session the emulator handed
out or saw assumed made it (authz.py), held when a latency rule matches, checked, rewritten or
answered where moto falls short (organizations_ext.py), else answered by the Bedrock fake
(bedrock_fake.py) or by moto's own WSGI application, built the way `moto_server` builds it. Paths under /_emulator/ are the control API the
tier uses (see control()).
"""
from __future__ import annotations

import io
import json
import re
import threading
import time
from typing import Any, Callable, Iterable
from xml.etree import ElementTree

from moto.awslambda.models import lambda_backends
from moto.iam.models import get_account_id_from, iam_backends
from moto.logs.models import logs_backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.sts.models import sts_backends

import aws_errors
from authz import Authorizer, Session
from aws_errors import AwsError
from aws_requests import AwsRequest, iam_action, iam_resource, parse_request
from bedrock_fake import BedrockFake, Request as BedrockRequest
from organizations_ext import Organization

StartResponse = Callable[..., Any]


class CallLog:
    """The ordered record of every service call, and of the hazards seen along the way."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: list[dict[str, Any]] = []
        self.hazards: list[dict[str, Any]] = []
        self.invocations: list[dict[str, Any]] = []
        self.clock = 0
        self.started = time.monotonic()

    def tick(self) -> tuple[int, int]:
        """A sequence number (shared by arrivals and completions, so they interleave) and elapsed ms."""
        with self.lock:
            self.clock += 1
            return self.clock, round((time.monotonic() - self.started) * 1000)

    def begin(self, entry: dict[str, Any]) -> dict[str, Any]:
        seq, ms = self.tick()
        entry.update(seq=seq, startMs=ms)
        with self.lock:
            self.calls.append(entry)
        return entry

    def end(self, entry: dict[str, Any], status: int, error: tuple[str, str] | None) -> None:
        seq, ms = self.tick()
        entry.update(endSeq=seq, endMs=ms, status=status)
        if error:
            entry["error"] = {"code": error[0], "message": error[1][:2000]}

    def hazard(self, kind: str, detail: dict[str, Any]) -> None:
        seq, ms = self.tick()
        with self.lock:
            self.hazards.append({"kind": kind, "seq": seq, "ms": ms, **detail})

    def invocation(self, record: dict[str, Any]) -> None:
        with self.lock:
            self.invocations.append(record)


class Emulator:
    def __init__(self, seed: dict[str, Any], runtime_factory: Callable[["Emulator"], Any]):
        self.url = ""
        self.log = CallLog()
        self.authorizer = Authorizer()
        self.organization = Organization(seed)
        self.bedrock = BedrockFake(self.organization, self.log.hazard)
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.latency: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.runtime = runtime_factory(self)

    # ------------------------------------------------------------------ WSGI

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        # werkzeug percent-decodes PATH_INFO; guardrail ARNs in paths hold "/" (%2F), so keep the raw URI.
        raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        if raw_uri.startswith("/_emulator/"):
            status, payload = self.control(method, raw_uri, body)
            return self._send(start_response, status, {"Content-Type": "application/json"}, json.dumps(payload).encode())
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if "CONTENT_TYPE" in environ:
            headers["content-type"] = environ["CONTENT_TYPE"]
        try:
            req = parse_request(method, raw_uri, headers, body)
        except AwsError as e:
            status, hdrs, out = aws_errors.error_response("sts", e)
            return self._send(start_response, status, hdrs, out)
        session = self.authorizer.session(req.access_key)
        account = session.account if session else get_account_id_from(req.access_key)
        caller_arn = session.arn if session else self._moto_identity(req.access_key, account)
        entry = self.log.begin({
            "service": req.service, "operation": req.operation, "account": account, "region": req.region,
            "caller": {"kind": session.kind if session else "terraform", "arn": caller_arn}, "keys": req.keys(),
        })
        try:
            status, hdrs, out = self._handle(req, environ, session, account, caller_arn, entry)
        except AwsError as e:
            status, hdrs, out = aws_errors.error_response(req.service, e)
        except Exception as e:  # a bug in the emulator: answer it as the service's internal error
            status, hdrs, out = aws_errors.error_response(req.service, AwsError(500, "InternalFailure", f"emulator error: {type(e).__name__}: {e}"))
            entry["emulatorError"] = repr(e)
        self.log.end(entry, status, _error_of(req.service, status, hdrs, out) if status >= 400 else None)
        return self._send(start_response, status, hdrs, out)

    @staticmethod
    def _send(start_response: StartResponse, status: int, headers: dict[str, str], body: bytes) -> list[bytes]:
        headers = {k: v for k, v in headers.items() if k.lower() not in ("content-length", "transfer-encoding")}
        start_response(f"{status} {_reason(status)}", [*headers.items(), ("Content-Length", str(len(body)))])
        return [body]

    @staticmethod
    def _moto_identity(access_key: str, account: str) -> str:
        try:
            _user_id, arn, _account = sts_backends[account]["aws"].get_caller_identity(access_key, "us-east-1")
            return arn
        except Exception:
            return f"arn:aws:iam::{account}:user/unknown"

    def _handle(self, req: AwsRequest, environ: dict[str, Any], session: Session | None, account: str,
                caller_arn: str, entry: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        if session is not None:
            self._authorize(req, session, account, entry)
        self._hold(req)
        if req.service == "bedrock":
            status, payload = self.bedrock.handle(BedrockRequest(req.method, req.raw_path, req.query, req.body, account,
                                                                 req.region, caller_arn))
            return status, {"Content-Type": "application/json", "x-amzn-RequestId": aws_errors.request_id()}, json.dumps(payload).encode()

        if req.service == "organizations":
            answered = self.organization.answer(req.operation, req.params, account)
            if answered is not None:
                return 200, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": aws_errors.request_id()}, json.dumps(answered).encode()

        body = req.body
        rewritten = False
        if req.service == "organizations":
            replacement = self.organization.before(req.operation, req.params)
            if replacement is not None:
                body = json.dumps(replacement).encode()
                rewritten = True
        status, hdrs, out = self._moto(environ, body)
        if status >= 400:
            return status, hdrs, out
        if req.service == "organizations":
            response = json.loads(out) if out else {}
            response = self.organization.after(req.operation, req.params, response, rewritten, session is None)
            out = json.dumps(response).encode()
            if req.operation in ("AttachPolicy", "UpdatePolicy"):
                with self.bedrock.lock:
                    self.bedrock.check_reach(f"{req.operation} {req.params.get('PolicyId')}")
        elif req.service == "iam" and req.operation == "PutRolePolicy":
            self.authorizer.policy_changed(account, str(req.params.get("RoleName")), str(req.params.get("PolicyName")))
        elif req.service == "sts" and req.operation == "AssumeRole" and session is not None:
            self._register_member_session(req, session, out)
        return status, hdrs, out

    def _authorize(self, req: AwsRequest, session: Session, account: str, entry: dict[str, Any]) -> None:
        action = iam_action(req)
        if action == "sts:GetCallerIdentity":
            return  # needs no permission, even when explicitly denied (STS API reference)
        resource = iam_resource(req, account, self.organization)
        if action == "sts:AssumeRole":
            verdict = self.authorizer.check_assume_role(session, resource)
        else:
            verdict = self.authorizer.check(session, action, resource)
        entry["authorization"] = {"action": action, "resource": resource, "allowed": verdict.allowed}
        if not verdict.allowed:
            entry["authorization"].update(reason=verdict.reason, propagating=verdict.delayed)
            raise aws_errors.access_denied(req.service, session.arn, action, resource, verdict.reason)

    def _hold(self, req: AwsRequest) -> None:
        """Latency rules: widen a race so the order of calls must come from dependencies, not luck."""
        delay = 0.0
        with self.lock:
            for rule in self.latency:
                if rule["service"] == req.service and rule["operation"] == req.operation and rule.get("times", 1) != 0:
                    delay = max(delay, rule["ms"] / 1000)
                    if rule.get("times", -1) > 0:
                        rule["times"] -= 1
        if delay:
            time.sleep(delay)

    def _moto(self, environ: dict[str, Any], body: bytes) -> tuple[int, dict[str, str], bytes]:
        inner = dict(environ)
        inner["wsgi.input"] = io.BytesIO(body)
        inner["CONTENT_LENGTH"] = str(len(body))
        captured: dict[str, Any] = {}
        chunks: list[bytes] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = dict(headers)
            return chunks.append

        result = self.moto(inner, start_response)
        try:
            chunks.extend(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return captured.get("status", 500), captured.get("headers", {}), b"".join(chunks)

    def _register_member_session(self, req: AwsRequest, caller: Session, out: bytes) -> None:
        ns = {"s": "https://sts.amazonaws.com/doc/2011-06-15/"}
        root = ElementTree.fromstring(out)
        key = root.findtext(".//s:Credentials/s:AccessKeyId", namespaces=ns)
        arn = root.findtext(".//s:AssumedRoleUser/s:Arn", namespaces=ns)
        role_arn = str(req.params.get("RoleArn"))
        if key and arn:
            self.authorizer.register(Session("member", key, role_arn.split(":")[4], role_arn, arn,
                                             session_policy=req.params.get("Policy"), assumed_by=caller.arn))

    # ------------------------------------------------------------------ control API

    def control(self, method: str, raw_uri: str, body: bytes) -> tuple[int, Any]:
        """
        GET  /_emulator/health        {"ok": true}
        GET  /_emulator/calls         the ordered call log
        GET  /_emulator/invocations   every Lambda invocation: event, outcome, log lines
        GET  /_emulator/state         what exists now, in every account and service
        POST /_emulator/iam-delay     {"seconds": N}: new or changed inline role policies deny for N s
        POST /_emulator/latency       {"rules": [{"service", "operation", "ms", "times"?}]}: hold matching calls
        POST /_emulator/enforced-configurations   {"account", "region", "createdBy", "guardrailArn",
                                       "guardrailVersion"}: a configuration someone else made
        POST /_emulator/sessions      {"roleArn", "sessionName"?, "region"?}: execution-role credentials
                                       as Lambda would get them, for tests of the IAM checks
        POST /_emulator/operator-sessions  {"sessionName"?}: credentials of the management account's
                                       administrator role (PlatformAdmin), a principal other than
                                       Terraform whose calls are checked like any session's
        """
        path = raw_uri.split("?", 1)[0]
        try:
            data = json.loads(body) if body else {}
        except json.JSONDecodeError:
            return 400, {"error": "body is not JSON"}
        if method == "GET" and path == "/_emulator/health":
            return 200, {"ok": True, "url": self.url}
        if method == "GET" and path == "/_emulator/calls":
            with self.log.lock:
                return 200, {"calls": [dict(c) for c in self.log.calls]}
        if method == "GET" and path == "/_emulator/invocations":
            with self.log.lock:
                return 200, {"invocations": list(self.log.invocations)}
        if method == "GET" and path == "/_emulator/state":
            return 200, self.state()
        if method == "POST" and path == "/_emulator/iam-delay":
            seconds = data.get("seconds")
            if not isinstance(seconds, (int, float)) or seconds < 0:
                return 400, {"error": "seconds must be a number >= 0"}
            self.authorizer.delay_seconds = float(seconds)
            return 200, {"seconds": seconds}
        if method == "POST" and path == "/_emulator/latency":
            rules = data.get("rules")
            if not isinstance(rules, list) or not all(isinstance(r, dict) and {"service", "operation", "ms"} <= set(r) for r in rules):
                return 400, {"error": "rules must be a list of {service, operation, ms, times?}"}
            with self.lock:
                self.latency = [{"times": -1, **r} for r in rules]
            return 200, {"rules": self.latency}
        if method == "POST" and path == "/_emulator/enforced-configurations":
            missing = {"account", "region", "createdBy", "guardrailArn", "guardrailVersion"} - set(data)
            if missing:
                return 400, {"error": f"missing {sorted(missing)}"}
            try:
                config = self.bedrock.inject_configuration(data["account"], data["region"], data["createdBy"],
                                                           data["guardrailArn"], data["guardrailVersion"], data.get("selectiveContentGuarding"))
            except ValueError as e:
                return 409, {"error": str(e)}
            return 201, config
        if method == "POST" and path == "/_emulator/sessions":
            role_arn = data.get("roleArn")
            if not isinstance(role_arn, str) or not role_arn.startswith("arn:aws:iam::"):
                return 400, {"error": "roleArn must be an IAM role ARN"}
            if not self.authorizer.lambda_may_assume(role_arn):
                return 403, {"error": f"{role_arn} does not exist or does not trust lambda.amazonaws.com"}
            assumed = self.runtime.execution_session(role_arn.split(":")[4], data.get("region", "us-east-1"), role_arn,
                                                     data.get("sessionName", "test-session"))
            return 201, {"accessKeyId": assumed.access_key_id, "secretAccessKey": assumed.secret_access_key,
                         "sessionToken": assumed.session_token, "arn": assumed.arn}
        if method == "POST" and path == "/_emulator/operator-sessions":
            name = data.get("sessionName", "operator")
            if not isinstance(name, str) or not re.fullmatch(r"[\w+=,.@-]{2,64}", name):
                return 400, {"error": "sessionName must be a role session name (2-64 of [\\w+=,.@-])"}
            role_arn = self.organization.operator_role_arn
            assumed = sts_backends[self.organization.management]["aws"].assume_role(
                region_name="us-east-1", role_session_name=name, role_arn=role_arn, policy=None, duration=3600, external_id=None)
            self.authorizer.register(Session("operator", assumed.access_key_id, self.organization.management, role_arn, assumed.arn))
            return 201, {"accessKeyId": assumed.access_key_id, "secretAccessKey": assumed.secret_access_key,
                         "sessionToken": assumed.session_token, "arn": assumed.arn}
        return 404, {"error": f"no control route {method} {path}"}

    def state(self) -> dict[str, Any]:
        iam: dict[str, Any] = {}
        for account, backends in list(iam_backends.items()):
            backend = backends["aws"]
            roles = [{"name": r.name, "arn": r.arn, "trustPolicy": json.loads(r.assume_role_policy_document)
                      if isinstance(r.assume_role_policy_document, str) else r.assume_role_policy_document,
                      "inlinePolicies": {n: json.loads(d) for n, d in r.policies.items()},
                      "attachedPolicies": sorted(r.managed_policies)} for r in backend.roles.values()]
            if roles:
                iam[account] = {"roles": roles}
        functions, log_groups = [], []
        for account, regions in list(lambda_backends.items()):
            for region, backend in list(regions.items()):
                for fn in backend.list_functions():
                    functions.append({"account": account, "region": region, "name": fn.function_name, "arn": fn.function_arn,
                                      "role": fn.role, "loggingConfig": getattr(fn, "logging_config", None)})
        for account, regions in list(logs_backends.items()):
            for region, backend in list(regions.items()):
                for name, group in backend.groups.items():
                    log_groups.append({"account": account, "region": region, "name": name,
                                       "retentionInDays": getattr(group, "retention_in_days", None),
                                       "streams": sorted(group.streams)})
        with self.log.lock:
            hazards = list(self.log.hazards)
        return {
            "iam": iam,
            "lambda": {"functions": functions},
            "logs": {"logGroups": log_groups},
            "organizations": self.organization.dump(),
            "bedrock": self.bedrock.dump(),
            "hazards": hazards,
            "iamDelaySeconds": self.authorizer.delay_seconds,
        }


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _error_of(service: str, status: int, headers: dict[str, str], body: bytes) -> tuple[str, str]:
    """(code, message) of an error response in any of the emulated protocols."""
    text = body.decode("utf-8", "replace")
    lowered = {k.lower(): v for k, v in headers.items()}
    code = lowered.get("x-amzn-errortype", "").split(":", 1)[0]
    message = ""
    if text.startswith("<"):
        m = re.search(r"<Code>([^<]*)</Code>", text)
        code = code or (m.group(1) if m else "")
        m = re.search(r"<Message>([^<]*)</Message>", text, re.S)
        message = m.group(1) if m else text
    else:
        try:
            doc = json.loads(text) if text else {}
        except json.JSONDecodeError:
            doc = {}
        if isinstance(doc, dict):
            code = code or str(doc.get("__type", doc.get("Type", ""))).rsplit("#", 1)[-1]
            message = str(doc.get("message") or doc.get("Message") or "")
    return code or f"HTTP{status}", message
