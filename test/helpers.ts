import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** Account IDs used across tests. */
export const MANAGEMENT_ACCOUNT = '111111111111';
export const MEMBER_ACCOUNT = '222222222222';

/** A fresh app and stack with a default AWS provider pinned to a region and account. */
export function testStack(region = 'us-east-1', account = MANAGEMENT_ACCOUNT): { app: App; stack: TerraformStack; provider: AwsProvider } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  const provider = new AwsProvider(stack, 'aws', { region, allowedAccountIds: [account] });
  return { app, stack, provider };
}

/** The synthesized Terraform JSON of a stack, validations always run. */
export function synth(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack, true));
}

/** All resources of one type, keyed by logical id. */
export function resourcesOf(json: any, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The only resource of a type; fails when there is not exactly one. */
export function onlyResource(json: any, type: string): any {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/**
 * The synthesized JSON as text for snapshots, with the shim handler's code hash and asset path
 * masked: they change with every handler edit, which snapshots of constructs should not track
 * (the shim tier tests the handler itself).
 */
export function snapshotSynth(stack: TerraformStack): string {
  return Testing.synth(stack, true)
    .replace(/"source_code_hash": "[0-9a-f]{64}"/g, '"source_code_hash": "<handler sha256>"')
    .replace(/"assets\/([\w-]+)\/[0-9A-F]{32}\/archive\.zip"/g, '"assets/$1/<hash>/archive.zip"');
}
