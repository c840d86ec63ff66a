"""
Lambda on top of moto: Invoke runs the deployed code, and LoggingConfig is kept.

Invoke. moto without Docker answers Invoke with a canned payload and runs nothing. Here Invoke
unpacks the zip the Terraform provider uploaded (moto keeps its bytes), gets credentials for the
function's execution role through a real moto AssumeRole (after checking that the role trusts
lambda.amazonaws.com), and runs the handler with node (runtime.js), its environment as Lambda
sets it plus AWS_ENDPOINT_URL pointing back at this emulator. The handler's calls arrive here on
other threads of the threaded server while the Invoke request waits. An unhandled error comes back
as Lambda reports it: status 200, X-Amz-Function-Error: Unhandled, {"errorType","errorMessage","trace"}.
The function's timeout is honoured (the process group is killed); the node that runs it is the
one the tier runs on, whatever the function's `Runtime` says.

LoggingConfig. moto drops the LoggingConfig of CreateFunction and UpdateFunctionConfiguration, so
the provider would see it gone and plan a change on every run. It is kept and returned, with
Lambda's defaults (Text, /aws/lambda/<name>) when a request leaves it out.

Logs. The output goes to the function's log group in moto's CloudWatch Logs, as Lambda writes it:
with the execution role's permissions (logs:CreateLogStream, logs:PutLogEvents), and dropped,
silently as Lambda does, when the role may not write them or the group does not exist.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import secrets
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from datetime import datetime, timezone
from typing import Any, Callable

from moto.awslambda import models as lambda_models
from moto.logs.models import logs_backends
from moto.sts.models import sts_backends

from authz import Authorizer, Session

RUNTIME_JS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runtime.js")


def install_logging_config() -> None:
    cls = lambda_models.LambdaFunction
    if getattr(cls, "_logging_config_kept", False):
        return
    original_init = cls.__init__
    original_get = cls.get_configuration
    original_update = cls.update_configuration

    def default_config(fn: Any) -> dict[str, Any]:
        return {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{fn.function_name}"}

    def init(self: Any, account_id: str, spec: dict[str, Any], region: str, version: str | int = 1) -> None:
        original_init(self, account_id, spec, region, version)
        self.logging_config = {**default_config(self), **(spec.get("LoggingConfig") or {})}

    def get_configuration(self: Any, on_create: bool = False) -> dict[str, Any]:
        config = original_get(self, on_create)
        config["LoggingConfig"] = dict(getattr(self, "logging_config", None) or default_config(self))
        return config

    def update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        if "LoggingConfig" in config_updates:
            self.logging_config = {**default_config(self), **(config_updates.get("LoggingConfig") or {})}
        return original_update(self, config_updates)

    cls.__init__ = init  # type: ignore[method-assign]
    cls.get_configuration = get_configuration  # type: ignore[method-assign]
    cls.update_configuration = update_configuration  # type: ignore[method-assign]
    cls._logging_config_kept = True  # type: ignore[attr-defined]


class LambdaRuntime:
    def __init__(self, authorizer: Authorizer, endpoint_url: Callable[[], str], node: str, work_dir: str,
                 max_seconds: float, on_invocation: Callable[[dict[str, Any]], None]):
        self.authorizer = authorizer
        self.endpoint_url = endpoint_url
        self.node = node
        self.work_dir = work_dir
        self.max_seconds = max_seconds
        self.on_invocation = on_invocation
        self.lock = threading.Lock()
        self.processes: set[subprocess.Popen[bytes]] = set()

    def install(self) -> None:
        runtime = self

        def invoke(fn: Any, body: Any, request_headers: Any, response_headers: Any) -> bytes:
            return runtime.invoke(fn, body, request_headers, response_headers)

        lambda_models.LambdaFunction.invoke = invoke  # type: ignore[method-assign]

    def stop(self) -> None:
        """Kills handler processes still running (the emulator is shutting down)."""
        with self.lock:
            for proc in list(self.processes):
                _kill_group(proc)

    def execution_session(self, account: str, region: str, role_arn: str, session_name: str, function_arn: str = "",
                          seconds: int = 900) -> Any:
        """
        Credentials for an execution role, as Lambda gets them: a moto AssumeRole (session name:
        the function name), registered so the session's calls are checked against the role.
        """
        assumed = sts_backends[account]["aws"].assume_role(
            region_name=region, role_session_name=session_name, role_arn=role_arn, policy=None,
            duration=max(900, seconds), external_id=None,
        )
        self.authorizer.register(Session("lambda", assumed.access_key_id, account, role_arn, assumed.arn, function_arn=function_arn))
        return assumed

    def _task_root(self, fn: Any) -> str:
        digest = hashlib.sha256(fn.code_bytes).hexdigest()
        root = os.path.join(self.work_dir, "code", digest)
        with self.lock:
            if not os.path.isdir(root):
                staging = tempfile.mkdtemp(dir=self.work_dir)
                with zipfile.ZipFile(io.BytesIO(fn.code_bytes)) as z:
                    z.extractall(staging)
                os.makedirs(os.path.dirname(root), exist_ok=True)
                os.rename(staging, root)
        return root

    def invoke(self, fn: Any, body: Any, request_headers: Any, response_headers: dict[str, str]) -> bytes:
        request_id = _request_id()
        started = time.monotonic()
        record: dict[str, Any] = {"functionArn": fn.function_arn, "requestId": request_id, "event": _json_or_text(body)}

        def error(error_type: str, message: str) -> bytes:
            response_headers["x-amz-function-error"] = "Unhandled"
            record.update(ok=False, error={"errorType": error_type, "errorMessage": message},
                          durationMs=round((time.monotonic() - started) * 1000))
            self.on_invocation(record)
            return json.dumps({"errorType": error_type, "errorMessage": message}).encode()

        if not getattr(fn, "code_bytes", b""):
            return error("Runtime.InvalidEntrypoint", "The function has no zip code to run (only zip packages are emulated)")
        if not self.authorizer.lambda_may_assume(fn.role):
            return error("Lambda.AccessDenied", f"The role defined for the function cannot be assumed by Lambda: {fn.role}")

        timeout = min(float(fn.timeout), self.max_seconds)
        assumed = self.execution_session(fn.account_id, fn.region, fn.role, fn.function_name, fn.function_arn, int(fn.timeout))
        stream = f"{datetime.now(timezone.utc):%Y/%m/%d}/[$LATEST]{secrets.token_hex(16)}"
        group = fn.logging_config.get("LogGroup") if getattr(fn, "logging_config", None) else f"/aws/lambda/{fn.function_name}"
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            **{k: str(v) for k, v in (fn.environment_vars or {}).items()},
            # Reserved variables Lambda sets; the function's own cannot override them.
            "AWS_REGION": fn.region,
            "AWS_DEFAULT_REGION": fn.region,
            "AWS_ACCESS_KEY_ID": assumed.access_key_id,
            "AWS_SECRET_ACCESS_KEY": assumed.secret_access_key,
            "AWS_SESSION_TOKEN": assumed.session_token,
            "AWS_LAMBDA_FUNCTION_NAME": fn.function_name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory_size),
            "AWS_LAMBDA_LOG_GROUP_NAME": group,
            "AWS_LAMBDA_LOG_STREAM_NAME": stream,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{fn.run_time}",
            "EMULATOR_INVOKED_FUNCTION_ARN": fn.function_arn,
            # Not set by Lambda: the emulator's own URL, so the SDK's calls come back here.
            "AWS_ENDPOINT_URL": self.endpoint_url(),
            # No shared config or credentials files exist in Lambda; none from this machine either.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }
        task_root = self._task_root(fn)
        env["LAMBDA_TASK_ROOT"] = task_root
        result_file = os.path.join(self.work_dir, f"result-{request_id}.json")
        deadline_ms = int((time.time() + timeout) * 1000)
        event = body if isinstance(body, (str, bytes)) else json.dumps(body)
        proc = subprocess.Popen(
            [self.node, RUNTIME_JS, task_root, fn.handler or "index.handler", result_file, str(deadline_ms), request_id],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=task_root,
            start_new_session=True,
        )
        with self.lock:
            self.processes.add(proc)
        try:
            output, _ = proc.communicate(event.encode() if isinstance(event, str) else event, timeout=timeout + 2)
            timed_out = False
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            output, _ = proc.communicate()
            timed_out = True
        finally:
            with self.lock:
                self.processes.discard(proc)
        duration_ms = round((time.monotonic() - started) * 1000)
        logs = output.decode("utf-8", "replace")
        lines = [f"START RequestId: {request_id} Version: $LATEST", *logs.splitlines(),
                 f"END RequestId: {request_id}", f"REPORT RequestId: {request_id}\tDuration: {duration_ms} ms"]
        record.update(logs=lines, durationMs=duration_ms)
        self._write_logs(fn, assumed.access_key_id, group, stream, lines, record)
        if request_headers.get("x-amz-log-type", "") == "Tail":
            response_headers["x-amz-log-result"] = base64.b64encode("\n".join(lines)[-4096:].encode()).decode()
        if timed_out:
            return error("Sandbox.Timedout", f"{datetime.now(timezone.utc).isoformat()} {request_id} Task timed out after {timeout:.2f} seconds")
        try:
            with open(result_file, encoding="utf-8") as f:
                outcome = json.load(f)
        except (OSError, json.JSONDecodeError):
            return error("Runtime.ExitError", f"RequestId: {request_id} Error: Runtime exited with error: exit status {proc.returncode}")
        finally:
            if os.path.exists(result_file):
                os.remove(result_file)
        if not outcome.get("ok"):
            response_headers["x-amz-function-error"] = "Unhandled"
            payload = {k: outcome.get(k) for k in ("errorType", "errorMessage", "trace")}
            record.update(ok=False, error=payload)
            self.on_invocation(record)
            return json.dumps(payload).encode()
        record.update(ok=True, result=outcome.get("result"))
        self.on_invocation(record)
        return json.dumps(outcome.get("result")).encode()

    def _write_logs(self, fn: Any, access_key: str, group: str, stream: str, lines: list[str], record: dict[str, Any]) -> None:
        session = self.authorizer.session(access_key)
        group_arn = f"arn:aws:logs:{fn.region}:{fn.account_id}:log-group:{group}"
        stream_arn = f"{group_arn}:log-stream:{stream}"
        if session is None:
            return
        for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
            verdict = self.authorizer.check(session, action, stream_arn)
            if not verdict.allowed:
                record["logsDropped"] = f"{action} denied on {stream_arn}: {verdict.reason}"
                return
        backend = logs_backends[fn.account_id][fn.region]
        if group not in backend.groups:
            record["logsDropped"] = f"log group {group} does not exist (the role may not create it)"
            return
        backend.create_log_stream(group, stream)
        stamp = int(time.time() * 1000)
        backend.put_log_events(group, stream, [{"timestamp": stamp, "message": line} for line in lines])


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _request_id() -> str:
    h = secrets.token_hex(16)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _json_or_text(body: Any) -> Any:
    if isinstance(body, (bytes, str)):
        try:
            return json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return body if isinstance(body, str) else body.decode("utf-8", "replace")
    return body

