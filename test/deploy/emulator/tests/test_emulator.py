"""
The emulator through boto3, in process: what moto is patched for, the Bedrock fake's rules, the
IAM checks, the IAM delay, Lambda running the uploaded zip, and the call log.

One emulator serves the whole module (moto's state is per process); tests use their own names.
"""
import io
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import unittest
import urllib.request
import zipfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

import server as emulator_server  # noqa: E402

MANAGEMENT, PILOT, WORKLOADS = "111111111111", "222222222222", "333333333333"
SEED = {
    "organizationId": "o-exampleorg1", "rootId": "r-ex12", "managementAccountId": MANAGEMENT,
    "organizationalUnits": [
        {"id": "ou-ex12-pilot001", "name": "Pilot", "accounts": [PILOT]},
        {"id": "ou-ex12-workload1", "name": "Workloads", "accounts": [WORKLOADS]},
    ],
    "rootAccounts": [],
}
DEPLOYER = {"aws_access_key_id": "AKIADEPLOYTIER000001", "aws_secret_access_key": "x"}
MEMBER_ROLE = f"arn:aws:iam::{WORKLOADS}:role/OrganizationAccountAccessRole"
LAMBDA_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})

state: dict = {}


def setUpModule():
    work = tempfile.mkdtemp(prefix="emulator-test-")
    node = os.environ.get("NODE_BINARY") or shutil.which("node")
    if not node:
        raise unittest.SkipTest("no node binary (set NODE_BINARY)")
    emulator, server = emulator_server.build_server(SEED, node, work, 60)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    state.update(emulator=emulator, server=server, thread=thread, work=work, url=emulator.url)


def tearDownModule():
    if "server" in state:
        state["emulator"].runtime.stop()
        state["server"].shutdown()
        state["thread"].join(10)
        shutil.rmtree(state["work"], ignore_errors=True)


def client(service, region="us-east-1", **creds):
    return boto3.client(service, endpoint_url=state["url"], region_name=region, **(creds or DEPLOYER))


def control(method, route, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(state["url"] + route, data=data, method=method, headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.loads(res.read())


def execution_role(name, *statements):
    iam = client("iam")
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=LAMBDA_TRUST)["Role"]["Arn"]
    if statements:
        iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))
    return role


def session_creds(role_arn):
    s = control("POST", "/_emulator/sessions", {"roleArn": role_arn, "sessionName": role_arn.rsplit("/", 1)[-1]})
    return {"aws_access_key_id": s["accessKeyId"], "aws_secret_access_key": s["secretAccessKey"], "aws_session_token": s["sessionToken"]}


def code(error_code):
    return lambda e: e.response["Error"]["Code"] == error_code


def guardrail(name, **extra):
    body = {"name": name, "blockedInputMessaging": "in", "blockedOutputsMessaging": "out",
            "contentPolicyConfig": {"filtersConfig": [{"type": "HATE", "inputStrength": "HIGH", "outputStrength": "HIGH"}]}, **extra}
    return client("bedrock").create_guardrail(**body)


def org_policy(arn, version):
    return json.dumps({"bedrock": {"guardrail_inference": {"us-east-1": {"baseline": {"identifier": {"@@assign": f"{arn}:{version}"}}}}}})


def resource_policy(arn, principal="*", condition=None):
    st = {"Effect": "Allow", "Principal": principal, "Action": ["bedrock:ApplyGuardrail", "bedrock:GetGuardrail"], "Resource": arn}
    if condition is not None:
        st["Condition"] = condition
    elif principal == "*":
        st["Condition"] = {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg1"}}
    return json.dumps({"Version": "2012-10-17", "Statement": [st]})


class Organizations(unittest.TestCase):
    def test_seeded_with_the_declared_ids(self):
        org = client("organizations")
        self.assertEqual(org.describe_organization()["Organization"]["Id"], "o-exampleorg1")
        self.assertEqual([r["Id"] for r in org.list_roots()["Roots"]], ["r-ex12"])
        self.assertEqual(org.list_parents(ChildId=WORKLOADS)["Parents"][0]["Id"], "ou-ex12-workload1")
        role = state["emulator"].state()["iam"][WORKLOADS]["roles"][0]
        self.assertEqual(role["name"], "OrganizationAccountAccessRole")
        self.assertEqual(role["trustPolicy"]["Statement"][0]["Principal"], {"AWS": f"arn:aws:iam::{MANAGEMENT}:root"})

    def test_stand_in_type_is_stored_as_bedrock_policy_and_reported_back_to_terraform_only(self):
        org = client("organizations")
        created = org.create_policy(Name="standin", Description="d", Type="TAG_POLICY", Content=org_policy("arn:aws:bedrock:us-east-1:111111111111:guardrail/none", 1))
        pid = created["Policy"]["PolicySummary"]["Id"]
        self.assertEqual(created["Policy"]["PolicySummary"]["Type"], "TAG_POLICY")
        self.assertEqual(org.describe_policy(PolicyId=pid)["Policy"]["PolicySummary"]["Type"], "TAG_POLICY")
        stored = next(p for p in state["emulator"].state()["organizations"]["policies"] if p["id"] == pid)
        self.assertEqual((stored["type"], stored["reportedToTerraformAs"]), ("BEDROCK_POLICY", "TAG_POLICY"))
        self.assertIn("/bedrock_policy/", org.describe_policy(PolicyId=pid)["Policy"]["PolicySummary"]["Arn"])
        tag = org.create_policy(Name="realtag", Description="d", Type="TAG_POLICY", Content=json.dumps({"tags": {}}))
        self.assertEqual(next(p for p in state["emulator"].state()["organizations"]["policies"] if p["id"] == tag["Policy"]["PolicySummary"]["Id"])["type"], "TAG_POLICY")
        org.delete_policy(PolicyId=pid)
        org.delete_policy(PolicyId=tag["Policy"]["PolicySummary"]["Id"])

    def test_attaching_a_bedrock_policy_needs_the_type_enabled_on_the_root(self):
        org = client("organizations")
        pid = org.create_policy(Name="attach-check", Description="d", Type="BEDROCK_POLICY", Content=org_policy("arn:aws:bedrock:us-east-1:111111111111:guardrail/none", 1))["Policy"]["PolicySummary"]["Id"]
        enabled = "BEDROCK_POLICY" in state["emulator"].state()["organizations"]["enabledPolicyTypes"]
        if enabled:
            org.disable_policy_type(RootId="r-ex12", PolicyType="BEDROCK_POLICY")
        with self.assertRaises(ClientError) as e:
            org.attach_policy(PolicyId=pid, TargetId="ou-ex12-pilot001")
        self.assertEqual(e.exception.response["Error"]["Code"], "PolicyTypeNotEnabledException")
        org.enable_policy_type(RootId="r-ex12", PolicyType="BEDROCK_POLICY")
        org.attach_policy(PolicyId=pid, TargetId="ou-ex12-pilot001")
        org.detach_policy(PolicyId=pid, TargetId="ou-ex12-pilot001")
        org.delete_policy(PolicyId=pid)


class Guardrails(unittest.TestCase):
    def test_every_field_round_trips_under_its_response_name(self):
        fields = {
            "description": "all fields",
            "topicPolicyConfig": {"topicsConfig": [{"name": "Finance", "definition": "d", "examples": ["e"], "type": "DENY"}]},
            "wordPolicyConfig": {"wordsConfig": [{"text": "w"}], "managedWordListsConfig": [{"type": "PROFANITY"}]},
            "sensitiveInformationPolicyConfig": {"piiEntitiesConfig": [{"type": "EMAIL", "action": "ANONYMIZE"}],
                                                 "regexesConfig": [{"name": "r", "pattern": "x+", "action": "BLOCK"}]},
            "contextualGroundingPolicyConfig": {"filtersConfig": [{"type": "GROUNDING", "threshold": 0.7}]},
            "kmsKeyId": "arn:aws:kms:us-east-1:111111111111:key/k",
            "tags": [{"key": "a", "value": "b"}],
        }
        g = guardrail("roundtrip", **fields)
        got = client("bedrock").get_guardrail(guardrailIdentifier=g["guardrailId"])
        self.assertEqual(got["version"], "DRAFT")
        self.assertEqual(got["status"], "READY")
        self.assertEqual(got["topicPolicy"], {"topics": fields["topicPolicyConfig"]["topicsConfig"]})
        self.assertEqual(got["wordPolicy"], {"words": [{"text": "w"}], "managedWordLists": [{"type": "PROFANITY"}]})
        self.assertEqual(got["sensitiveInformationPolicy"]["regexes"], fields["sensitiveInformationPolicyConfig"]["regexesConfig"])
        self.assertEqual(got["contextualGroundingPolicy"], {"filters": [{"type": "GROUNDING", "threshold": 0.7}]})
        self.assertEqual(got["kmsKeyArn"], fields["kmsKeyId"])
        self.assertEqual(got["description"], "all fields")
        self.assertEqual(client("bedrock").list_tags_for_resource(resourceARN=g["guardrailArn"])["tags"], [{"key": "a", "value": "b"}])

    def test_versions_are_numbered_snapshots_with_their_own_description(self):
        br = client("bedrock")
        g = guardrail("versions", description="draft description")
        self.assertEqual(br.create_guardrail_version(guardrailIdentifier=g["guardrailArn"], description="first")["version"], "1")
        br.update_guardrail(guardrailIdentifier=g["guardrailId"], name="versions", blockedInputMessaging="changed", blockedOutputsMessaging="out")
        self.assertEqual(br.create_guardrail_version(guardrailIdentifier=g["guardrailArn"])["version"], "2")
        v1 = br.get_guardrail(guardrailIdentifier=g["guardrailArn"], guardrailVersion="1")
        self.assertEqual((v1["blockedInputMessaging"], v1["description"]), ("in", "first"))
        self.assertIn("contentPolicy", v1)
        v2 = br.get_guardrail(guardrailIdentifier=g["guardrailArn"], guardrailVersion="2")
        self.assertNotIn("description", v2)
        self.assertNotIn("contentPolicy", v2)  # the update left it out, so it is gone
        with self.assertRaises(ClientError) as e:
            br.get_guardrail(guardrailIdentifier=g["guardrailArn"], guardrailVersion="3")
        self.assertEqual(e.exception.response["Error"]["Code"], "ResourceNotFoundException")
        br.delete_guardrail(guardrailIdentifier=g["guardrailArn"])
        with self.assertRaises(ClientError):
            br.get_guardrail(guardrailIdentifier=g["guardrailArn"], guardrailVersion="1")

    def test_names_are_unique_per_account_and_region(self):
        guardrail("unique-name")
        with self.assertRaises(ClientError) as e:
            guardrail("unique-name")
        self.assertEqual(e.exception.response["Error"]["Code"], "ConflictException")

    def test_delete_refused_while_enforced(self):
        br = client("bedrock")
        g = guardrail("in-use")
        arn = g["guardrailArn"]
        br.create_guardrail_version(guardrailIdentifier=arn)
        br.put_resource_policy(resourceArn=arn, resourcePolicy=resource_policy(arn))
        member = member_bedrock()
        config = member.put_enforced_guardrail_configuration(guardrailInferenceConfig={"guardrailIdentifier": arn, "guardrailVersion": "1"})
        with self.assertRaises(ClientError) as e:
            br.delete_guardrail(guardrailIdentifier=arn)
        self.assertEqual(e.exception.response["Error"]["Code"], "ResourceInUseException")
        self.assertIn("account-level configuration", e.exception.response["Error"]["Message"])
        member.delete_enforced_guardrail_configuration(configId=config["configId"])

        org = client("organizations")
        if "BEDROCK_POLICY" not in state["emulator"].state()["organizations"]["enabledPolicyTypes"]:
            org.enable_policy_type(RootId="r-ex12", PolicyType="BEDROCK_POLICY")
        pid = org.create_policy(Name="uses-in-use", Description="d", Type="BEDROCK_POLICY", Content=org_policy(arn, 1))["Policy"]["PolicySummary"]["Id"]
        org.attach_policy(PolicyId=pid, TargetId="ou-ex12-pilot001")
        with self.assertRaises(ClientError) as e:
            br.delete_guardrail(guardrailIdentifier=arn)
        self.assertIn("organization policy", e.exception.response["Error"]["Message"])
        org.detach_policy(PolicyId=pid, TargetId="ou-ex12-pilot001")
        br.delete_guardrail(guardrailIdentifier=arn)
        org.delete_policy(PolicyId=pid)


class ResourcePolicies(unittest.TestCase):
    def setUp(self):
        self.arn = guardrail(f"rp-{self.id().rsplit('.', 1)[-1][:40]}")["guardrailArn"]

    def test_the_three_supported_patterns_are_accepted(self):
        br = client("bedrock")
        for policy in [
            resource_policy(self.arn, {"AWS": f"arn:aws:iam::{MANAGEMENT}:root"}, condition={}),
            resource_policy(self.arn),
            resource_policy(self.arn, condition={"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg1"},
                                                 "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-exampleorg1/*/ou-ex12-pilot001/*"]}}),
        ]:
            with self.subTest(policy=policy):
                br.put_resource_policy(resourceArn=self.arn, resourcePolicy=policy.replace('"Condition": {}, ', "").replace(', "Condition": {}', ""))

    def test_other_statements_are_refused_with_the_reason(self):
        br = client("bedrock")
        cases = {
            "specific member accounts are not supported": resource_policy(self.arn, {"AWS": f"arn:aws:iam::{PILOT}:root"}, condition={}),
            "needs StringEquals aws:PrincipalOrgID": resource_policy(self.arn, "*", condition={"StringLike": {"aws:PrincipalArn": "*"}}),
            "sharing outside the organization": resource_policy(self.arn, "*", condition={"StringEquals": {"aws:PrincipalOrgID": "o-someoneelse"}}),
            "not supported on a guardrail": resource_policy(self.arn).replace("bedrock:GetGuardrail", "bedrock:InvokeGuardrail"),
            "Resource must be": resource_policy(self.arn).replace(f'"Resource": "{self.arn}"', f'"Resource": "{self.arn}:1"'),
        }
        for reason, policy in cases.items():
            with self.subTest(reason=reason), self.assertRaises(ClientError) as e:
                br.put_resource_policy(resourceArn=self.arn, resourcePolicy=policy)
            self.assertEqual(e.exception.response["Error"]["Code"], "ValidationException")
            self.assertIn(reason, e.exception.response["Error"]["Message"])

    def test_read_back_with_other_white_space(self):
        br = client("bedrock")
        sent = json.dumps(json.loads(resource_policy(self.arn)), separators=(",", ":"))
        br.put_resource_policy(resourceArn=self.arn, resourcePolicy=sent)
        got = br.get_resource_policy(resourceArn=self.arn)["resourcePolicy"]
        self.assertNotEqual(got, sent)
        self.assertEqual(json.loads(got), json.loads(sent))
        br.delete_resource_policy(resourceArn=self.arn)
        with self.assertRaises(ClientError) as e:
            br.get_resource_policy(resourceArn=self.arn)
        self.assertEqual(e.exception.response["Error"]["Code"], "ResourceNotFoundException")


def member_bedrock(region="us-east-1"):
    """A Bedrock client in the workloads account, through the member role (as the shim reaches it)."""
    host = execution_role(f"host-{time.monotonic_ns()}", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": MEMBER_ROLE})
    creds = client("sts", **session_creds(host)).assume_role(RoleArn=MEMBER_ROLE, RoleSessionName="cdktf-bedrock-guardrails")["Credentials"]
    return client("bedrock", region, aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                  aws_session_token=creds["SessionToken"])


class EnforcedConfigurations(unittest.TestCase):
    def test_one_per_account_and_region_numbered_versions_and_the_caller_recorded(self):
        br = client("bedrock")
        g = guardrail("enforced")
        br.create_guardrail_version(guardrailIdentifier=g["guardrailArn"])
        member = member_bedrock()
        with self.assertRaises(ClientError) as e:
            member.put_enforced_guardrail_configuration(guardrailInferenceConfig={"guardrailIdentifier": g["guardrailArn"], "guardrailVersion": "DRAFT"})
        self.assertIn("numbered version", e.exception.response["Error"]["Message"])
        out = member.put_enforced_guardrail_configuration(guardrailInferenceConfig={
            "guardrailIdentifier": g["guardrailArn"], "guardrailVersion": "1", "selectiveContentGuarding": {"system": "SELECTIVE"}})
        with self.assertRaises(ClientError) as e:
            member.put_enforced_guardrail_configuration(guardrailInferenceConfig={"guardrailIdentifier": g["guardrailArn"], "guardrailVersion": "1"})
        self.assertEqual(e.exception.response["Error"]["Code"], "ConflictException")
        listed = member.list_enforced_guardrails_configuration()["guardrailsConfig"]
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["createdBy"], f"arn:aws:sts::{WORKLOADS}:assumed-role/OrganizationAccountAccessRole/cdktf-bedrock-guardrails")
        self.assertEqual(listed[0]["selectiveContentGuarding"], {"system": "SELECTIVE", "messages": "COMPREHENSIVE"})
        # No resource policy lets the member apply the guardrail: accepted (AWS only recommends one), recorded as a hazard.
        hazards = [h for h in state["emulator"].state()["hazards"] if h["kind"] == "account-enforced-but-not-applicable"]
        self.assertTrue(any(h["identifier"] == f"{g['guardrailArn']}:1" for h in hazards))
        # Another region of the same account has its own.
        self.assertEqual(member_bedrock("us-west-2").list_enforced_guardrails_configuration()["guardrailsConfig"], [])
        member.delete_enforced_guardrail_configuration(configId=out["configId"])


class IamChecks(unittest.TestCase):
    def test_calls_of_an_execution_session_are_checked_against_the_role(self):
        g = guardrail("iam-checks")
        role = execution_role("iam-checks", {"Effect": "Allow", "Action": "bedrock:GetResourcePolicy", "Resource": g["guardrailArn"]})
        br = client("bedrock", **session_creds(role))
        with self.assertRaises(ClientError) as e:
            br.get_resource_policy(resourceArn=g["guardrailArn"])
        self.assertEqual(e.exception.response["Error"]["Code"], "ResourceNotFoundException")  # allowed, and there is none
        with self.assertRaises(ClientError) as e:
            br.put_resource_policy(resourceArn=g["guardrailArn"], resourcePolicy=resource_policy(g["guardrailArn"]))
        err = e.exception.response
        self.assertEqual((err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"]), ("AccessDeniedException", 403))
        self.assertIn(f"is not authorized to perform: bedrock:PutResourcePolicy on resource: {g['guardrailArn']} because no identity-based policy allows", err["Error"]["Message"])
        with self.assertRaises(ClientError) as e:
            client("organizations", **session_creds(role)).list_roots()
        self.assertEqual((e.exception.response["Error"]["Code"], e.exception.response["ResponseMetadata"]["HTTPStatusCode"]), ("AccessDeniedException", 400))

    def test_assume_role_needs_the_permission_and_the_trust(self):
        sts = client("sts", **session_creds(execution_role("no-assume")))
        with self.assertRaises(ClientError) as e:
            sts.assume_role(RoleArn=MEMBER_ROLE, RoleSessionName="session")
        self.assertEqual((e.exception.response["Error"]["Code"], e.exception.response["ResponseMetadata"]["HTTPStatusCode"]), ("AccessDenied", 403))
        # Allowed by the caller's policy, but the target does not trust lambda roles of another account.
        other = client("iam")
        other.create_role(RoleName="untrusting", AssumeRolePolicyDocument=LAMBDA_TRUST)
        sts = client("sts", **session_creds(execution_role("may-assume", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})))
        with self.assertRaises(ClientError) as e:
            sts.assume_role(RoleArn=f"arn:aws:iam::{MANAGEMENT}:role/untrusting", RoleSessionName="session")
        self.assertIn("trust policy", e.exception.response["Error"]["Message"])

    def test_a_member_session_is_the_role_narrowed_by_the_session_policy(self):
        host = execution_role("narrowed", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": MEMBER_ROLE})
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "bedrock:ListEnforcedGuardrailsConfiguration", "Resource": "*"}]})
        creds = client("sts", **session_creds(host)).assume_role(RoleArn=MEMBER_ROLE, RoleSessionName="narrow", Policy=policy)["Credentials"]
        br = client("bedrock", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
        br.list_enforced_guardrails_configuration()
        with self.assertRaises(ClientError) as e:
            br.delete_enforced_guardrail_configuration(configId="whatever")
        self.assertIn("because no session policy allows the bedrock:DeleteEnforcedGuardrailConfiguration action", e.exception.response["Error"]["Message"])

    def test_the_iam_delay_denies_a_changed_policy_for_a_while(self):
        role = execution_role("delayed")
        creds = session_creds(role)
        control("POST", "/_emulator/iam-delay", {"seconds": 1.5})
        try:
            client("iam").put_role_policy(RoleName="delayed", PolicyName="p", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "organizations:ListRoots", "Resource": "*"}]}))
            org = client("organizations", **creds)
            with self.assertRaises(ClientError):
                org.list_roots()
            last = control("GET", "/_emulator/calls")["calls"][-1]
            self.assertEqual(last["authorization"]["propagating"], True)
            time.sleep(1.6)
            self.assertEqual(org.list_roots()["Roots"][0]["Id"], "r-ex12")
        finally:
            control("POST", "/_emulator/iam-delay", {"seconds": 0})


HANDLER = """
exports.handler = async (event, context) => {
  if (event.fail) { const e = new Error('refused: ' + event.fail); e.name = 'ShimFailed'; throw e; }
  console.log('handled', JSON.stringify(event));
  return { event, endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION,
           keyId: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN,
           custom: process.env.CUSTOM, remaining: context.getRemainingTimeInMillis() };
};
"""


def zipped(source):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.js", source)
    return buf.getvalue()


class Lambda(unittest.TestCase):
    def create(self, name, *statements, log_group=True):
        role = execution_role(name, *statements)
        if log_group:
            client("logs").create_log_group(logGroupName=f"/aws/lambda/{name}")
        return client("lambda").create_function(
            FunctionName=name, Role=role, Runtime="nodejs22.x", Handler="index.handler", Code={"ZipFile": zipped(HANDLER)},
            Timeout=30, Environment={"Variables": {"CUSTOM": "yes"}}, LoggingConfig={"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"},
        )

    def test_invoke_runs_the_uploaded_code_under_the_execution_role(self):
        name = "runs-the-zip"
        self.create(name, {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": f"arn:aws:logs:us-east-1:{MANAGEMENT}:log-group:/aws/lambda/{name}:*"},
                    {"Effect": "Allow", "Action": "organizations:ListRoots", "Resource": "*"})
        out = client("lambda").invoke(FunctionName=name, Payload=json.dumps({"tf": {"action": "create"}}))
        self.assertNotIn("FunctionError", out)
        result = json.loads(out["Payload"].read())
        self.assertEqual(result["event"], {"tf": {"action": "create"}})
        self.assertEqual((result["endpoint"], result["region"], result["custom"]), (state["url"], "us-east-1", "yes"))
        self.assertGreater(result["remaining"], 20_000)
        # The credentials are the role's: its policy decides what they may do.
        org = client("organizations", aws_access_key_id=result["keyId"], aws_secret_access_key=result["secret"], aws_session_token=result["token"])
        self.assertEqual(org.list_roots()["Roots"][0]["Id"], "r-ex12")
        caller = client("sts", aws_access_key_id=result["keyId"], aws_secret_access_key=result["secret"], aws_session_token=result["token"]).get_caller_identity()
        self.assertEqual(caller["Arn"], f"arn:aws:sts::{MANAGEMENT}:assumed-role/{name}/{name}")
        # The log went to the function's log group.
        streams = client("logs").describe_log_streams(logGroupName=f"/aws/lambda/{name}")["logStreams"]
        self.assertEqual(len(streams), 1)
        events = client("logs").get_log_events(logGroupName=f"/aws/lambda/{name}", logStreamName=streams[0]["logStreamName"])["events"]
        self.assertTrue(any("handled" in e["message"] for e in events))

    def test_an_unhandled_error_is_a_function_error_with_the_handlers_message(self):
        name = "fails"
        self.create(name)
        out = client("lambda").invoke(FunctionName=name, Payload=json.dumps({"fail": "someone else's configuration"}))
        self.assertEqual(out["FunctionError"], "Unhandled")
        payload = json.loads(out["Payload"].read())
        self.assertEqual((payload["errorType"], payload["errorMessage"]), ("ShimFailed", "refused: someone else's configuration"))
        # Without logs permissions the log is dropped, as Lambda does.
        invocation = control("GET", "/_emulator/invocations")["invocations"][-1]
        self.assertIn("logs:CreateLogStream denied", invocation["logsDropped"])

    def test_logging_config_is_kept(self):
        name = "logging-config"
        self.create(name, log_group=False)
        config = client("lambda").get_function_configuration(FunctionName=name)
        self.assertEqual(config["LoggingConfig"], {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"})
        client("lambda").update_function_configuration(FunctionName=name, LoggingConfig={"LogFormat": "JSON", "LogGroup": "/custom"})
        self.assertEqual(client("lambda").get_function(FunctionName=name)["Configuration"]["LoggingConfig"]["LogGroup"], "/custom")


def bedrock_enabled():
    org = client("organizations")
    if "BEDROCK_POLICY" not in state["emulator"].state()["organizations"]["enabledPolicyTypes"]:
        org.enable_policy_type(RootId="r-ex12", PolicyType="BEDROCK_POLICY")
    return org


def attached(org, name, document, target):
    """Creates a BEDROCK_POLICY and attaches it; returns a function that detaches and deletes it."""
    pid = org.create_policy(Name=name, Description="d", Type="BEDROCK_POLICY", Content=json.dumps(document))["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=pid, TargetId=target)

    def remove():
        org.detach_policy(PolicyId=pid, TargetId=target)
        org.delete_policy(PolicyId=pid)

    return pid, remove


def operator_creds(name="operator"):
    s = control("POST", "/_emulator/operator-sessions", {"sessionName": name})
    return {"aws_access_key_id": s["accessKeyId"], "aws_secret_access_key": s["secretAccessKey"], "aws_session_token": s["sessionToken"]}


def member_creds(role=MEMBER_ROLE, *actions):
    """The member role assumed by the operator, narrowed to `actions` when given (as verify does)."""
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]}) if actions else None
    kwargs = {"Policy": policy} if policy else {}
    c = client("sts", **operator_creds()).assume_role(RoleArn=role, RoleSessionName="verify", **kwargs)["Credentials"]
    return {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"], "aws_session_token": c["SessionToken"]}


G = "arn:aws:bedrock:us-east-1:111111111111:guardrail/effective1"


class EffectivePolicies(unittest.TestCase):
    def test_the_policies_from_the_root_down_merge_a_lower_assign_winning_and_come_back_without_operators(self):
        org = bedrock_enabled()
        root = {"bedrock": {"guardrail_inference": {"us-east-1": {"baseline": {
            "identifier": {"@@assign": f"{G}:1"},
            "selective_content_guarding": {"system": {"@@assign": "selective"}, "messages": {"@@assign": "selective"}},
            "model_enforcement": {"included_models": {"@@assign": ["ALL"]}, "excluded_models": {"@@assign": ["amazon.titan-embed-text-v2:0"]}}}}}}}
        pilot = {"bedrock": {"guardrail_inference": {"us-east-1": {"baseline": {
            "identifier": {"@@assign": f"{G}:2"},
            "selective_content_guarding": {"messages": {"@@assign": "comprehensive"}},
            "model_enforcement": {"excluded_models": {"@@append": ["cohere.embed-english-v3"]}}}}}}}
        later = {"bedrock": {"guardrail_inference": {"us-east-1": {"baseline": {"identifier": {"@@assign": f"{G}:3"}}}}}}
        _root_id, remove_root = attached(org, "eff-root", root, "r-ex12")
        _pilot_id, remove_pilot = attached(org, "eff-pilot", pilot, "ou-ex12-pilot001")
        _later_id, remove_later = attached(org, "eff-later", later, "ou-ex12-pilot001")
        try:
            def effective(account):
                out = org.describe_effective_policy(PolicyType="BEDROCK_POLICY", TargetId=account)["EffectivePolicy"]
                self.assertEqual((out["TargetId"], out["PolicyType"]), (account, "BEDROCK_POLICY"))
                return json.loads(out["PolicyContent"])["bedrock"]["guardrail_inference"]["us-east-1"]["baseline"]

            # The OU's policy overrides the root's; of two at the OU, the first attached wins.
            self.assertEqual(effective(PILOT), {
                "identifier": f"{G}:2",
                "selective_content_guarding": {"system": "selective", "messages": "comprehensive"},
                "model_enforcement": {"included_models": ["ALL"], "excluded_models": ["amazon.titan-embed-text-v2:0", "cohere.embed-english-v3"]},
            })
            self.assertEqual(effective(WORKLOADS)["identifier"], f"{G}:1")
            self.assertEqual(effective(MANAGEMENT)["identifier"], f"{G}:1")  # the management account is under the root too
            for target, code in (("ou-ex12-pilot001", "InvalidInputException"), ("r-ex12", "InvalidInputException"), ("999999999999", "TargetNotFoundException")):
                with self.subTest(target=target), self.assertRaises(ClientError) as e:
                    org.describe_effective_policy(PolicyType="BEDROCK_POLICY", TargetId=target)
                self.assertEqual(e.exception.response["Error"]["Code"], code)
            # A member account reads its own, and only its own.
            member = client("organizations", **member_creds())
            own = json.loads(member.describe_effective_policy(PolicyType="BEDROCK_POLICY")["EffectivePolicy"]["PolicyContent"])
            self.assertEqual(own["bedrock"]["guardrail_inference"]["us-east-1"]["baseline"]["identifier"], f"{G}:1")
            with self.assertRaises(ClientError) as e:
                member.describe_effective_policy(PolicyType="BEDROCK_POLICY", TargetId=PILOT)
            self.assertEqual(e.exception.response["Error"]["Code"], "AccessDeniedException")
            self.assertEqual(org.list_accounts_with_invalid_effective_policy(PolicyType="BEDROCK_POLICY")["Accounts"], [])
            self.assertEqual(org.list_effective_policy_validation_errors(AccountId=PILOT, PolicyType="BEDROCK_POLICY")["EffectivePolicyValidationErrors"], [])
        finally:
            remove_later()
            remove_pilot()
            remove_root()
        with self.assertRaises(ClientError) as e:
            org.describe_effective_policy(PolicyType="BEDROCK_POLICY", TargetId=PILOT)
        self.assertEqual(e.exception.response["Error"]["Code"], "EffectivePolicyNotFoundException")

    def test_an_invalid_effective_policy_is_listed_with_its_errors_and_the_policies_behind_them(self):
        org = bedrock_enabled()
        bad = {"bedrock": {"guardrail_inference": {"us-east-1": {"baseline": {
            "identifier": {"@@assign": f"{G}:DRAFT"}, "selective_content_guarding": {"system": {"@@assign": "sometimes"}}}}}}}
        pid, remove = attached(org, "eff-invalid", bad, "ou-ex12-pilot001")
        try:
            listed = org.list_accounts_with_invalid_effective_policy(PolicyType="BEDROCK_POLICY")
            self.assertEqual([a["Id"] for a in listed["Accounts"]], [PILOT])
            out = org.list_effective_policy_validation_errors(AccountId=PILOT, PolicyType="BEDROCK_POLICY")
            self.assertEqual(out["Path"], f"o-exampleorg1/r-ex12/ou-ex12-pilot001/{PILOT}")
            errors = {e["PathToError"]: e for e in out["EffectivePolicyValidationErrors"]}
            self.assertEqual(sorted(errors), ["bedrock.guardrail_inference.us-east-1.baseline.identifier",
                                              "bedrock.guardrail_inference.us-east-1.baseline.selective_content_guarding.system"])
            self.assertIn("numbered version", errors["bedrock.guardrail_inference.us-east-1.baseline.identifier"]["ErrorMessage"])
            self.assertEqual({tuple(e["ContributingPolicies"]) for e in errors.values()}, {(pid,)})
            self.assertEqual(org.list_effective_policy_validation_errors(AccountId=WORKLOADS, PolicyType="BEDROCK_POLICY")["EffectivePolicyValidationErrors"], [])
            with self.assertRaises(ClientError) as e:
                client("organizations", **member_creds()).list_accounts_with_invalid_effective_policy(PolicyType="BEDROCK_POLICY")
            self.assertEqual(e.exception.response["Error"]["Code"], "AccessDeniedException")
        finally:
            remove()
        self.assertEqual(org.list_accounts_with_invalid_effective_policy(PolicyType="BEDROCK_POLICY")["Accounts"], [])


class OperatorSessions(unittest.TestCase):
    def test_an_operator_is_checked_like_any_session_and_sees_what_the_policies_really_are(self):
        creds = operator_creds("alice")
        who = client("sts", **creds).get_caller_identity()
        self.assertEqual(who["Arn"], f"arn:aws:sts::{MANAGEMENT}:assumed-role/PlatformAdmin/alice")
        # The stand-in type is told to Terraform only: anyone else reads the policy as what it is.
        org = client("organizations")
        pid = org.create_policy(Name="operator-sees", Description="d", Type="TAG_POLICY", Content=org_policy(G, 1))["Policy"]["PolicySummary"]["Id"]
        try:
            self.assertEqual(client("organizations", **creds).describe_policy(PolicyId=pid)["Policy"]["PolicySummary"]["Type"], "BEDROCK_POLICY")
            self.assertIn(pid, [p["Id"] for p in client("organizations", **creds).list_policies(Filter="BEDROCK_POLICY")["Policies"]])
        finally:
            org.delete_policy(PolicyId=pid)
        calls = control("GET", "/_emulator/calls")["calls"]
        mine = [c for c in calls if c["caller"]["arn"] == who["Arn"]]
        self.assertEqual({c["caller"]["kind"] for c in mine}, {"operator"})
        self.assertTrue(all(c["authorization"]["allowed"] for c in mine if c["operation"] != "GetCallerIdentity"))


class ApplyGuardrail(unittest.TestCase):
    def test_a_member_applies_a_version_only_when_the_resource_policy_and_its_session_allow_it(self):
        words = {"wordsConfig": [{"text": "frobnicate"}, {"text": "quietly", "inputAction": "NONE"}]}
        g = guardrail("apply-me", wordPolicyConfig=words)
        arn = g["guardrailArn"]
        br = client("bedrock")
        br.create_guardrail_version(guardrailIdentifier=arn)
        runtime = client("bedrock-runtime", **member_creds(MEMBER_ROLE, "bedrock:ApplyGuardrail"))

        def apply(text, version="1", rt=runtime):
            return rt.apply_guardrail(guardrailIdentifier=arn, guardrailVersion=version, source="INPUT", content=[{"text": {"text": text}}])

        with self.assertRaises(ClientError) as e:
            apply("hello")
        err = e.exception.response
        self.assertEqual((err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"]), ("AccessDeniedException", 403))
        self.assertIn(f"assumed-role/OrganizationAccountAccessRole/verify is not authorized to perform: bedrock:ApplyGuardrail on resource: {arn} "
                      "because no resource-based policy allows", err["Error"]["Message"])

        br.put_resource_policy(resourceArn=arn, resourcePolicy=resource_policy(arn))
        out = apply("hello")
        self.assertEqual((out["action"], out["outputs"]), ("NONE", []))
        self.assertEqual((out["usage"]["contentPolicyUnits"], out["usage"]["wordPolicyUnits"], out["usage"]["topicPolicyUnits"]), (1, 1, 0))
        blocked = apply("please Frobnicate it")
        self.assertEqual((blocked["action"], blocked["outputs"]), ("GUARDRAIL_INTERVENED", [{"text": "in"}]))
        self.assertEqual(blocked["assessments"][0]["wordPolicy"]["customWords"], [{"match": "frobnicate", "action": "BLOCKED", "detected": True}])
        self.assertEqual(apply("quietly now")["action"], "NONE")  # detected, but its input action is NONE
        # The version applied is the published snapshot, not the draft.
        br.update_guardrail(guardrailIdentifier=arn, name="apply-me", blockedInputMessaging="in", blockedOutputsMessaging="out")
        self.assertEqual(apply("frobnicate")["action"], "GUARDRAIL_INTERVENED")
        self.assertEqual(apply("frobnicate", "DRAFT")["action"], "NONE")
        with self.assertRaises(ClientError) as e:
            apply("hello", "9")
        self.assertEqual(e.exception.response["Error"]["Code"], "ResourceNotFoundException")

        # Granted to the pilot OU only: the workloads account may not apply it.
        br.put_resource_policy(resourceArn=arn, resourcePolicy=resource_policy(arn, condition={
            "StringEquals": {"aws:PrincipalOrgID": "o-exampleorg1"}, "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-exampleorg1/*/ou-ex12-pilot001/*"]}}))
        with self.assertRaises(ClientError) as e:
            apply("hello")
        self.assertEqual(e.exception.response["Error"]["Code"], "AccessDeniedException")
        pilot = client("bedrock-runtime", **member_creds(f"arn:aws:iam::{PILOT}:role/OrganizationAccountAccessRole", "bedrock:ApplyGuardrail"))
        self.assertEqual(apply("hello", rt=pilot)["action"], "NONE")
        # A session policy without the action denies it before the resource policy is asked.
        reader = client("bedrock-runtime", **member_creds(f"arn:aws:iam::{PILOT}:role/OrganizationAccountAccessRole", "bedrock:GetGuardrail"))
        with self.assertRaises(ClientError) as e:
            apply("hello", rt=reader)
        self.assertIn("because no session policy allows the bedrock:ApplyGuardrail action", e.exception.response["Error"]["Message"])


class CallLog(unittest.TestCase):
    def test_calls_are_recorded_in_order_with_their_keys_and_outcome(self):
        before = len(control("GET", "/_emulator/calls")["calls"])
        with self.assertRaises(ClientError):
            client("bedrock").get_guardrail(guardrailIdentifier="nosuchguardrail")
        client("organizations").list_roots()
        calls = control("GET", "/_emulator/calls")["calls"][before:]
        self.assertEqual([(c["service"], c["operation"]) for c in calls], [("bedrock", "GetGuardrail"), ("organizations", "ListRoots")])
        self.assertEqual(calls[0]["keys"], {"guardrailIdentifier": "nosuchguardrail"})
        self.assertEqual((calls[0]["status"], calls[0]["error"]["code"]), (404, "ResourceNotFoundException"))
        self.assertLess(calls[0]["endSeq"], calls[1]["seq"])
        self.assertEqual(calls[1]["caller"]["kind"], "terraform")

    def test_a_latency_rule_holds_matching_calls(self):
        control("POST", "/_emulator/latency", {"rules": [{"service": "organizations", "operation": "ListRoots", "ms": 300, "times": 1}]})
        try:
            started = time.monotonic()
            client("organizations").list_roots()
            self.assertGreaterEqual(time.monotonic() - started, 0.3)
            started = time.monotonic()
            client("organizations").list_roots()
            self.assertLess(time.monotonic() - started, 0.3)
        finally:
            control("POST", "/_emulator/latency", {"rules": []})

    def test_raw_paths_keep_encoded_slashes(self):
        g = guardrail("raw-path")
        # boto3 encodes the ARN's "/" as %2F; a decoded path would split the ARN into two segments.
        self.assertEqual(client("bedrock").get_guardrail(guardrailIdentifier=g["guardrailArn"])["guardrailId"], g["guardrailId"])
        self.assertEqual(control("GET", "/_emulator/calls")["calls"][-1]["keys"]["guardrailIdentifier"], g["guardrailArn"])


if __name__ == "__main__":
    unittest.main()
