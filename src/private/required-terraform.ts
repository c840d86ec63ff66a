import { Lazy, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';

const ID = 'RequiredTerraformVersion';

/**
 * The lowest Terraform CLI version a stack's JSON needs, raised by each construct that emits a
 * newer language feature, and written as `terraform.required_version` (`>= <version>`), so an older
 * CLI refuses the configuration before it plans rather than half-way through an apply.
 */
class RequiredTerraformVersion extends Construct {
  private version = '0.0.0';
  private readonly reasons = new Set<string>();

  constructor(stack: TerraformStack) {
    super(stack, ID);
    stack.addOverride('terraform.required_version', Lazy.stringValue({ produce: () => `>= ${this.version}` }));
  }

  public raise(version: string, reason: string): void {
    this.reasons.add(reason);
    if (compareVersions(version, this.version) > 0) this.version = version;
  }
}

/**
 * Records that `scope`'s stack needs Terraform `version` or later for `reason` (e.g.
 * `terraform_data` needs 1.4, `import` blocks 1.5).
 */
export function requireTerraformVersion(scope: IConstruct, version: string, reason: string): void {
  const stack = TerraformStack.of(scope);
  const marker = (stack.node.tryFindChild(ID) as RequiredTerraformVersion | undefined) ?? new RequiredTerraformVersion(stack);
  marker.raise(version, reason);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
