"""
Error responses in each AWS protocol's own shape, so the AWS SDKs (the Terraform provider's Go SDK
and the shim handler's JavaScript SDK) parse them into the same error codes AWS would produce.
"""
from __future__ import annotations

import json
import secrets
from xml.sax.saxutils import escape

# Which wire protocol each emulated service speaks.
PROTOCOLS = {
    "iam": "query",
    "sts": "query",
    "organizations": "json",
    "logs": "json",
    "lambda": "rest-json",
    "bedrock": "rest-json",
}

XML_NAMESPACES = {
    "iam": "https://iam.amazonaws.com/doc/2010-05-08/",
    "sts": "https://sts.amazonaws.com/doc/2011-06-15/",
}


class AwsError(Exception):
    """An error answered to the caller: HTTP status, AWS error code and message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def request_id() -> str:
    return secrets.token_hex(16)


def error_response(service: str, err: AwsError) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of `err` as `service` would send it."""
    rid = request_id()
    protocol = PROTOCOLS.get(service, "rest-json")
    if protocol == "query":
        kind = "Receiver" if err.status >= 500 else "Sender"
        body = (
            f'<ErrorResponse xmlns="{XML_NAMESPACES.get(service, "")}"><Error><Type>{kind}</Type>'
            f"<Code>{escape(err.code)}</Code><Message>{escape(err.message)}</Message></Error>"
            f"<RequestId>{rid}</RequestId></ErrorResponse>"
        )
        return err.status, {"Content-Type": "text/xml", "x-amzn-RequestId": rid}, body.encode()
    if protocol == "json":
        # Organizations spells the member "Message", CloudWatch Logs "message"; SDKs read either.
        key = "Message" if service == "organizations" else "message"
        body = json.dumps({"__type": err.code, key: err.message})
        return err.status, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": rid}, body.encode()
    # REST-JSON: the code travels in the x-amzn-ErrorType header; Lambda also puts Type in the body.
    payload = {"message": err.message}
    if service == "lambda":
        payload = {"Type": "User", "Message": err.message}
    return (
        err.status,
        {"Content-Type": "application/json", "x-amzn-ErrorType": err.code, "x-amzn-RequestId": rid},
        json.dumps(payload).encode(),
    )


def access_denied(service: str, principal_arn: str, action: str, resource: str, reason: str) -> AwsError:
    """
    AccessDenied as each service reports it: the error code differs per service (STS and IAM say
    AccessDenied, the JSON services AccessDeniedException) and so does the HTTP status; the
    message follows IAM's current wording, naming the principal, action, resource and reason.
    """
    message = f"User: {principal_arn} is not authorized to perform: {action} on resource: {resource} because {reason}"
    if service in ("sts", "iam"):
        return AwsError(403, "AccessDenied", message)
    if service in ("organizations", "logs"):
        return AwsError(400, "AccessDeniedException", message)
    return AwsError(403, "AccessDeniedException", message)
