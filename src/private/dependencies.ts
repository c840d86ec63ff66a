import { Lazy, TerraformResource, TerraformStack } from 'cdktf';

/** The Terraform address (`type.name`) of a resource, as `depends_on` takes it. */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/**
 * Adds to `resource`'s `depends_on`, at synth, the resources `produce` returns that live in the
 * same stack (a dependency on another stack is ordered by the stacks themselves). Read at synth,
 * so resources declared after `resource` count too. The result keeps the dependencies given
 * otherwise first, then the new ones in address order, each once.
 */
export function dependOnAtSynth(resource: TerraformResource, produce: () => readonly TerraformResource[]): void {
  const stack = TerraformStack.of(resource);
  const given = [...(resource.dependsOn ?? [])];
  // A list token in place of the list: Terraform's JSON gets the resolved addresses, and no
  // override is recorded on the resource.
  resource.dependsOn = Lazy.listValue({
    produce: () => {
      const late = [...new Set(produce().filter((r) => TerraformStack.of(r) === stack).map(addressOf))].sort();
      return [...given, ...late.filter((a) => !given.includes(a))];
    },
  }, { omitEmpty: true });
}
