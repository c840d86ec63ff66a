"""The policy evaluator: each rule with a case it allows and a case it denies."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import iam_policy as p  # noqa: E402

GUARDRAIL = "arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123"


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action, resource="*", **extra):
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


class Wildcards(unittest.TestCase):
    def test_star_and_question_mark(self):
        self.assertTrue(p.wildcard_match("bedrock:*ResourcePolicy", "bedrock:PutResourcePolicy"))
        self.assertTrue(p.wildcard_match("arn:aws:logs:*:*:log-group:/aws/lambda/x:*", "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/x:log-stream:s"))
        self.assertTrue(p.wildcard_match("bedrock:?etGuardrail", "bedrock:GetGuardrail"))
        self.assertFalse(p.wildcard_match("bedrock:?etGuardrail", "bedrock:ApplyGuardrail"))
        self.assertFalse(p.wildcard_match("bedrock:Get*", "bedrock:PutResourcePolicy"))

    def test_regex_characters_are_literal(self):
        self.assertFalse(p.wildcard_match("a.b", "axb"))
        self.assertTrue(p.wildcard_match("arn:aws:iam::1:role/a+b", "arn:aws:iam::1:role/a+b"))

    def test_actions_ignore_case_resources_do_not(self):
        self.assertEqual(p.evaluate([doc(allow("BEDROCK:putresourcepolicy"))], "bedrock:PutResourcePolicy", "*").effect, p.ALLOW)
        self.assertEqual(p.evaluate([doc(allow("bedrock:*", GUARDRAIL.upper()))], "bedrock:PutResourcePolicy", GUARDRAIL).effect, p.IMPLICIT_DENY)


class Decisions(unittest.TestCase):
    def test_allow_needs_action_and_resource(self):
        policy = doc(allow(["bedrock:GetResourcePolicy", "bedrock:PutResourcePolicy"], [GUARDRAIL]))
        self.assertTrue(p.evaluate([policy], "bedrock:PutResourcePolicy", GUARDRAIL).allowed)
        self.assertEqual(p.evaluate([policy], "bedrock:DeleteResourcePolicy", GUARDRAIL).effect, p.IMPLICIT_DENY)
        self.assertEqual(p.evaluate([policy], "bedrock:PutResourcePolicy", GUARDRAIL + "x").effect, p.IMPLICIT_DENY)

    def test_explicit_deny_wins_in_any_policy(self):
        self.assertEqual(p.evaluate([doc(allow("*")), doc(deny("sts:AssumeRole"))], "sts:AssumeRole", "arn:aws:iam::2:role/r").effect, p.EXPLICIT_DENY)
        self.assertTrue(p.evaluate([doc(allow("*")), doc(deny("sts:AssumeRole"))], "sts:GetCallerIdentity", "*").allowed)

    def test_not_action_and_not_resource(self):
        self.assertTrue(p.evaluate([doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})], "bedrock:GetGuardrail", "*").allowed)
        self.assertFalse(p.evaluate([doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})], "iam:PassRole", "*").allowed)
        self.assertTrue(p.evaluate([doc({"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:iam::*"})], "bedrock:X", GUARDRAIL).allowed)
        self.assertFalse(p.evaluate([doc({"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:bedrock:*"})], "bedrock:X", GUARDRAIL).allowed)

    def test_no_policies_deny(self):
        self.assertEqual(p.evaluate([], "bedrock:GetGuardrail", "*").effect, p.IMPLICIT_DENY)


class Conditions(unittest.TestCase):
    context = {"aws:PrincipalOrgID": "o-exampleorg1", "aws:PrincipalOrgPaths": ["o-exampleorg1/r-ex12/ou-ex12-pilot001/"]}

    def test_string_equals_and_like(self):
        st = allow("bedrock:ApplyGuardrail", GUARDRAIL, Condition={"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg1"}})
        self.assertTrue(p.evaluate([doc(st)], "bedrock:ApplyGuardrail", GUARDRAIL, self.context).allowed)
        self.assertFalse(p.evaluate([doc(st)], "bedrock:ApplyGuardrail", GUARDRAIL, {"aws:PrincipalOrgID": "o-otherorg000"}).allowed)
        self.assertFalse(p.evaluate([doc(st)], "bedrock:ApplyGuardrail", GUARDRAIL, {}).allowed)

    def test_for_any_value_string_like(self):
        st = allow("bedrock:ApplyGuardrail", GUARDRAIL, Condition={"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-exampleorg1/*/ou-ex12-pilot001/*"]}})
        self.assertTrue(p.evaluate([doc(st)], "bedrock:ApplyGuardrail", GUARDRAIL, self.context).allowed)
        other = {"aws:PrincipalOrgPaths": ["o-exampleorg1/r-ex12/ou-ex12-workload1/"]}
        self.assertFalse(p.evaluate([doc(st)], "bedrock:ApplyGuardrail", GUARDRAIL, other).allowed)

    def test_negated_if_exists_and_null(self):
        st = allow("s3:*", "*", Condition={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-exampleorg1"}})
        self.assertTrue(p.evaluate([doc(st)], "s3:GetObject", "*", {}).allowed)
        self.assertFalse(p.evaluate([doc(st)], "s3:GetObject", "*", self.context).allowed)
        null = allow("s3:*", "*", Condition={"Null": {"aws:PrincipalOrgID": "true"}})
        self.assertTrue(p.evaluate([doc(null)], "s3:GetObject", "*", {}).allowed)
        self.assertFalse(p.evaluate([doc(null)], "s3:GetObject", "*", self.context).allowed)

    def test_for_all_values(self):
        st = allow("s3:*", "*", Condition={"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": ["o-exampleorg1/*"]}})
        self.assertTrue(p.evaluate([doc(st)], "s3:GetObject", "*", self.context).allowed)
        self.assertFalse(p.evaluate([doc(st)], "s3:GetObject", "*", {"aws:PrincipalOrgPaths": ["o-exampleorg1/a/", "o-else/b/"]}).allowed)

    def test_unsupported_operator_is_refused_not_guessed(self):
        st = allow("s3:*", "*", Condition={"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}})
        with self.assertRaises(p.UnsupportedPolicy):
            p.evaluate([doc(st)], "s3:GetObject", "*", {"aws:MultiFactorAuthAge": "1"})


class Principals(unittest.TestCase):
    member = p.Caller(account="333333333333", arn="arn:aws:sts::333333333333:assumed-role/R/s", role_arn="arn:aws:iam::333333333333:role/R")

    def test_account_root_role_session_and_star(self):
        trust = lambda principal: doc({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"})  # noqa: E731
        role = "arn:aws:iam::444444444444:role/T"
        self.assertTrue(p.evaluate([trust({"AWS": "arn:aws:iam::333333333333:root"})], "sts:AssumeRole", role, caller=self.member).allowed)
        self.assertTrue(p.evaluate([trust({"AWS": "333333333333"})], "sts:AssumeRole", role, caller=self.member).allowed)
        self.assertTrue(p.evaluate([trust({"AWS": "arn:aws:iam::333333333333:role/R"})], "sts:AssumeRole", role, caller=self.member).allowed)
        self.assertTrue(p.evaluate([trust("*")], "sts:AssumeRole", role, caller=self.member).allowed)
        self.assertFalse(p.evaluate([trust({"AWS": "arn:aws:iam::111111111111:root"})], "sts:AssumeRole", role, caller=self.member).allowed)
        self.assertFalse(p.evaluate([trust({"Service": "lambda.amazonaws.com"})], "sts:AssumeRole", role, caller=self.member).allowed)

    def test_service_principal(self):
        trust = doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})
        self.assertTrue(p.evaluate([trust], "sts:AssumeRole", "r", caller=p.Caller(account="", service="lambda.amazonaws.com")).allowed)
        self.assertFalse(p.evaluate([trust], "sts:AssumeRole", "r", caller=p.Caller(account="", service="ec2.amazonaws.com")).allowed)


class Sessions(unittest.TestCase):
    admin = doc(allow("*"))
    session = doc(allow(["bedrock:ListEnforcedGuardrailsConfiguration", "bedrock:PutEnforcedGuardrailConfiguration"]))

    def test_session_policy_narrows_the_role(self):
        self.assertTrue(p.evaluate_session([self.admin], self.session, "bedrock:PutEnforcedGuardrailConfiguration", "*").allowed)
        d = p.evaluate_session([self.admin], self.session, "bedrock:DeleteEnforcedGuardrailConfiguration", "*")
        self.assertEqual((d.effect, d.reasons), (p.IMPLICIT_DENY, ["the session policy does not allow it"]))

    def test_session_policy_cannot_widen_the_role(self):
        d = p.evaluate_session([doc(allow("bedrock:ListEnforcedGuardrailsConfiguration"))], self.session, "bedrock:PutEnforcedGuardrailConfiguration", "*")
        self.assertEqual((d.effect, d.reasons), (p.IMPLICIT_DENY, ["no identity-based policy allows it"]))

    def test_no_session_policy_is_the_role_alone(self):
        self.assertTrue(p.evaluate_session([self.admin], None, "iam:DeleteRole", "*").allowed)

    def test_explicit_deny_in_the_session_policy(self):
        d = p.evaluate_session([self.admin], doc(allow("*"), deny("bedrock:Put*")), "bedrock:PutEnforcedGuardrailConfiguration", "*")
        self.assertEqual(d.effect, p.EXPLICIT_DENY)


class Malformed(unittest.TestCase):
    def test_refused(self):
        for bad in ["not json", json.dumps({"Version": "2012-10-17"}), doc({"Effect": "Maybe", "Action": "*", "Resource": "*"}),
                    doc({"Effect": "Allow", "Resource": "*"}), doc({"Effect": "Allow", "Action": "*", "NotAction": "x", "Resource": "*"})]:
            with self.subTest(bad=bad), self.assertRaises(p.MalformedPolicy):
                p.evaluate([bad], "s3:GetObject", "*")


if __name__ == "__main__":
    unittest.main()
