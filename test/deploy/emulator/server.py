"""
Starts the deploy tier's emulator: one threaded HTTP server on 127.0.0.1 for IAM, STS, Lambda,
CloudWatch Logs and Organizations (moto, in process) and Bedrock (bedrock_fake.py).

  python3 server.py --seed seed.json --port-file port.txt --node /usr/bin/node --work-dir DIR

The seed names the organization to create (IDs as the apps declare them). The port is chosen by
the system and written to --port-file once the server accepts connections; the tier stops the
server by PID (SIGTERM: the server stops and kills handler processes still running).

The server must be threaded: a Lambda Invoke request stays open while the handler it runs calls
back into the same server.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from typing import TYPE_CHECKING

import moto.core.models
import moto.iam.models

if TYPE_CHECKING:
    from werkzeug.serving import BaseWSGIServer

    from app import Emulator


def build_server(seed: dict, node: str, work_dir: str, max_lambda_seconds: float = 900) -> tuple["Emulator", "BaseWSGIServer"]:
    """The emulator for `seed`, moto configured and patched, served on 127.0.0.1 at a free port."""
    # The management account is moto's default account: requests signed with a key moto never
    # issued (the Terraform provider's) land in it. MOTO_ACCOUNT_ID would pin every request to
    # that account, member-account sessions included, so moto's fallback is changed instead.
    management = seed["managementAccountId"]
    moto.iam.models.DEFAULT_ACCOUNT_ID = management  # type: ignore[attr-defined]
    moto.core.models.DEFAULT_ACCOUNT_ID = management  # type: ignore[attr-defined]

    from werkzeug.serving import make_server

    from app import Emulator
    from lambda_runtime import LambdaRuntime, install_logging_config
    from organizations_ext import install_bedrock_policy_type

    install_bedrock_policy_type()
    install_logging_config()
    os.makedirs(work_dir, exist_ok=True)
    # One line per request would drown the emulator's log; the call log (/_emulator/calls) has them.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    def runtime_factory(emulator: Emulator) -> LambdaRuntime:
        runtime = LambdaRuntime(emulator.authorizer, lambda: emulator.url, node, work_dir, max_lambda_seconds, emulator.log.invocation)
        runtime.install()
        return runtime

    emulator = Emulator(seed, runtime_factory)
    emulator.organization.create()
    server = make_server("127.0.0.1", 0, emulator, threaded=True)
    emulator.url = f"http://127.0.0.1:{server.server_port}"
    return emulator, server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", required=True, help="JSON file: organizationId, rootId, managementAccountId, organizationalUnits, rootAccounts")
    parser.add_argument("--port-file", required=True, help="where to write the chosen port")
    parser.add_argument("--node", required=True, help="node binary that runs Lambda handlers")
    parser.add_argument("--work-dir", required=True, help="scratch directory (unpacked function code)")
    parser.add_argument("--max-lambda-seconds", type=float, default=900, help="cap on a function's timeout")
    parser.add_argument("--parent-pid", type=int, help="stop when this process (the starter) is gone")
    args = parser.parse_args()

    with open(args.seed, encoding="utf-8") as f:
        seed = json.load(f)
    emulator, server = build_server(seed, args.node, args.work_dir, args.max_lambda_seconds)

    def stop(_signum: int, _frame: object) -> None:
        emulator.runtime.stop()
        # shutdown() waits for serve_forever to return, so it runs off the serving thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    # The tier stops the emulator by PID; should the process that started it die without doing so
    # (a killed test worker), the emulator is re-parented and stops itself.
    if args.parent_pid:
        def watch_parent() -> None:
            while os.getppid() == args.parent_pid:
                time.sleep(1)
            stop(signal.SIGTERM, None)

        threading.Thread(target=watch_parent, daemon=True).start()
    tmp = f"{args.port_file}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(str(server.server_port))
    os.replace(tmp, args.port_file)
    print(f"emulator listening on {emulator.url}", flush=True)
    server.serve_forever(poll_interval=0.2)
    emulator.runtime.stop()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
