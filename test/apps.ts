/**
 * Every app the library ships for users to run: the default app and each variant of each example.
 * Tests that must hold for everything the library writes iterate over this list.
 */
import { App } from 'cdktf';
import * as businessUnits from '../examples/business-units/main';
import * as multiRegion from '../examples/multi-region/main';
import * as seedWalkthrough from '../examples/seed-walkthrough/main';
import * as singleAccount from '../examples/single-account/main';
import * as stagedRollout from '../examples/staged-rollout/main';
import * as terraformCloud from '../examples/terraform-cloud/main';
import { buildDefaultApp } from '../stacks/default-app';

/** Each example variant by name, with the example folder it comes from. */
export const EXAMPLE_VARIANTS: Record<string, { readonly example: string; readonly build: (app: App) => unknown }> = {
  'single-account': { example: 'single-account', build: singleAccount.build },
  'seed-walkthrough (share)': { example: 'seed-walkthrough', build: (app) => seedWalkthrough.build(app, { phase: 'share' }) },
  'seed-walkthrough (enforce)': { example: 'seed-walkthrough', build: (app) => seedWalkthrough.build(app, { phase: 'enforce' }) },
  'staged-rollout (stage 1)': { example: 'staged-rollout', build: (app) => stagedRollout.build(app, { rolloutStage: 1 }) },
  'staged-rollout (stage 2)': { example: 'staged-rollout', build: (app) => stagedRollout.build(app, { rolloutStage: 2 }) },
  'business-units': { example: 'business-units', build: businessUnits.build },
  'multi-region': { example: 'multi-region', build: multiRegion.build },
  'terraform-cloud': { example: 'terraform-cloud', build: terraformCloud.build },
};

/** The default app and every example variant, by name. */
export const ALL_APPS: Record<string, (app: App) => unknown> = {
  'default app': buildDefaultApp,
  ...Object.fromEntries(Object.entries(EXAMPLE_VARIANTS).map(([name, v]) => [name, v.build])),
};
