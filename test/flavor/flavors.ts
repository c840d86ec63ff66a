/**
 * What each flavor of the package builds on, as the tests assert it, by framework (the package
 * that provides `App`): the framework's version, the provider bindings and their version, the
 * hashicorp/aws version the bindings are generated from, and the provider source the stacks write
 * (cdktf the shorthand `aws`, cdktn `hashicorp/aws`). One table for the flavor tests (test/flavor)
 * and the package tests (test/package).
 */
export const FLAVORS = {
  cdktf: { frameworkVersion: '0.21.0', bindings: '@cdktf/provider-aws', bindingsVersion: '21.22.1', aws: '6.25.0', source: 'aws' },
  cdktn: { frameworkVersion: '0.24.0', bindings: '@cdktn/provider-aws', bindingsVersion: '25.7.0', aws: '6.66.0', source: 'hashicorp/aws' },
} as const;
