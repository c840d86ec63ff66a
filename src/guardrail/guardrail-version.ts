import { Construct } from 'constructs';
import { IGuardrail, IGuardrailVersion } from './guardrail-base';
import { VERSION_NUMBER_PATTERN } from '../model/identifiers';
import { checkLength, fail, isToken, show } from '../model/validate';
import {
  BedrockGuardrailVersion, Lazy, TerraformData, TerraformProvider, TerraformResource, replaceWhenChanged, requireTerraformVersion,
} from '../private/cdktf';
import { VersionFacts } from '../validation/facts';

/** Options of a published version. */
export interface GuardrailVersionOptions {
  /** Description of the version: 1-200 characters. @default none */
  readonly description?: string;
  /**
   * Keep the version in AWS when it is replaced by a newer one or removed from the app, so
   * nothing that names it breaks.
   * @default true
   */
  readonly retainOnReplace?: boolean;
}

/** Properties of a {@link GuardrailVersion}. */
export interface GuardrailVersionProps extends GuardrailVersionOptions {
  /** The guardrail to publish; must be one made in this app (the content digest needs its configuration). */
  readonly guardrail: IGuardrail & { contentDigest(): string };
}

/** Attributes of a version made elsewhere, for {@link GuardrailVersion.fromVersionAttributes}. */
export interface GuardrailVersionAttributes {
  /** The guardrail it is a version of. */
  readonly guardrail: IGuardrail;
  /** The version number, e.g. `"3"`. */
  readonly version: string;
}

abstract class GuardrailVersionBase extends Construct implements IGuardrailVersion {
  public abstract readonly guardrail: IGuardrail;
  public abstract readonly guardrailVersion: string;

  /** ARN of the guardrail (no version). */
  public get guardrailArn(): string {
    return this.guardrail.guardrailArn;
  }

  /** ID of the guardrail. */
  public get guardrailId(): string {
    return this.guardrail.guardrailId;
  }

  /** Region of the guardrail. */
  public get region(): string {
    return this.guardrail.region;
  }

  /** `<guardrail ARN>:<version>`, the identifier organization policies name. */
  public get enforcementIdentifier(): string {
    return `${this.guardrail.guardrailArn}:${this.guardrailVersion}`;
  }

  /** The provider of the guardrail. */
  public get provider(): TerraformProvider | undefined {
    return this.guardrail.provider;
  }
}

class ImportedGuardrailVersion extends GuardrailVersionBase {
  constructor(scope: Construct, id: string, public readonly guardrail: IGuardrail, public readonly guardrailVersion: string) {
    super(scope, id);
  }
}

/**
 * An immutable, numbered version of a guardrail (`aws_bedrock_guardrail_version`).
 *
 * The provider publishes a new version only when `guardrail_arn` or `description` change, so a
 * changed guardrail would silently keep enforcing the old version. This construct records a
 * digest of the guardrail's resolved content in a `terraform_data` resource and replaces the
 * version when it changes; with `retainOnReplace` (the default) the old version stays in AWS.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-versions.html
 */
export class GuardrailVersion extends GuardrailVersionBase {
  /**
   * A version made elsewhere. `version` may be `DRAFT` here; enforcement refuses it at synth.
   */
  public static fromVersionAttributes(scope: Construct, id: string, attrs: GuardrailVersionAttributes): IGuardrailVersion {
    const v = attrs.version;
    if (!isToken(v) && v !== 'DRAFT' && !VERSION_NUMBER_PATTERN.test(v)) {
      fail(`GuardrailVersion.fromVersionAttributes(${id})`, 'version', `must be a version number like "3" (or DRAFT), got ${show(v)}`,
        'Give the number only, without the guardrail ARN.');
    }
    return new ImportedGuardrailVersion(scope, id, attrs.guardrail, v);
  }

  /** The provider resource, for escape hatches. */
  public readonly resource: BedrockGuardrailVersion;
  /** The `terraform_data` resource holding the content digest that triggers a new version. */
  public readonly contentTrigger: TerraformResource;
  public readonly guardrail: IGuardrail;
  public readonly guardrailVersion: string;

  constructor(scope: Construct, id: string, props: GuardrailVersionProps) {
    super(scope, id);
    const owner = `GuardrailVersion(${this.node.path})`;
    checkLength(owner, 'description', props.description, 1, 200);
    this.guardrail = props.guardrail;
    const guardrail = props.guardrail;
    // terraform_data arrived in Terraform 1.4.
    requireTerraformVersion(this, '1.4.0');
    this.contentTrigger = new TerraformData(this, 'ContentDigest', { guardrail_content_sha256: Lazy.stringValue({ produce: () => guardrail.contentDigest() }) });
    this.resource = new BedrockGuardrailVersion(this, 'Resource', {
      provider: guardrail.provider,
      guardrailArn: guardrail.guardrailArn,
      description: props.description,
      skipDestroy: props.retainOnReplace ?? true,
    });
    replaceWhenChanged(this.resource, this.contentTrigger);
    this.guardrailVersion = this.resource.version;
  }
}

/**
 * A readable name for a version in previews and messages: the guardrail's name (or ID) and the
 * version number, or, for a version this app publishes, that it is the one set on deploy.
 */
export function versionLabel(version: IGuardrailVersion): string {
  const g = version.guardrail;
  const name = g.guardrailName ?? (isToken(g.guardrailId) ? version.node.path : `guardrail ${g.guardrailId}`);
  if (version instanceof GuardrailVersion) return `${name} (version published on deploy)`;
  return isToken(version.guardrailVersion) ? `${name} (version set on deploy)` : `${name} version ${version.guardrailVersion}`;
}

/** What the rules and the preview know of a version. */
export function versionFacts(version: IGuardrailVersion, label?: string): VersionFacts {
  const g = version.guardrail;
  return {
    path: version.node.path,
    label: label ?? versionLabel(version),
    identifier: version.enforcementIdentifier,
    version: version.guardrailVersion,
    region: version.region,
    ownerAccount: g.account,
    hasAutomatedReasoningPolicy: g.hasAutomatedReasoningPolicy,
    guardrailPath: g.node.path,
    guardrailManaged: g.guardrailName !== undefined,
  };
}
