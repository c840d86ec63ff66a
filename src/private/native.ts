import { TerraformMetaArguments, TerraformResourceConfig } from 'cdktf';

/**
 * The base configuration of a hand-written hashicorp/aws resource binding: its type, and every
 * meta-argument the caller gave (provider, depends_on, lifecycle, count, for_each, ...).
 */
export function awsResourceConfig(terraformResourceType: string, meta: TerraformMetaArguments): TerraformResourceConfig {
  return {
    terraformResourceType,
    terraformGeneratorMetadata: { providerName: 'aws' },
    provider: meta.provider,
    dependsOn: meta.dependsOn,
    lifecycle: meta.lifecycle,
    count: meta.count,
    forEach: meta.forEach,
    connection: meta.connection,
    provisioners: meta.provisioners,
  };
}
