/**
 * The README as the package tests read it: its fenced code blocks, the install line of each
 * flavor, the examples, and the cdktn import changes.
 */
import * as fs from 'fs';
import * as path from 'path';

const README = path.join(__dirname, '..', '..', 'README.md');

/** A fenced code block of the README. */
export interface ReadmeBlock {
  /** The fence's language (`ts`, `sh`, ...). */
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The nearest `#`-heading above it, without the hashes. */
  readonly heading: string;
}

/** The two flavors of the package, by the framework they build on. */
export type Flavor = 'cdktf' | 'cdktn';

/** Every fenced code block, in order. */
export function readmeBlocks(text = fs.readFileSync(README, 'utf8')): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const lines = text.split('\n');
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const h = /^#{1,6}\s+(.*)$/.exec(lines[i]);
    if (h) heading = h[1].trim();
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`README.md:${start + 1}: a code block that never closes`);
    blocks.push({ lang: open[1], code: body.join('\n') + '\n', line: start + 1, heading });
  }
  return blocks;
}

/** The TypeScript blocks (```ts), each with the flavor it is written for. */
export function typescriptBlocks(): Array<ReadmeBlock & { flavor: Flavor }> {
  return readmeBlocks().filter((b) => b.lang === 'ts').map((b) => ({ ...b, flavor: blockFlavor(b.code) }));
}

/** cdktn when the block imports cdktn, its provider bindings or the cdktn package; cdktf otherwise. */
export function blockFlavor(code: string): Flavor {
  return /from\s+'(cdktn|@cdktn\/[^']*|cdktn-bedrock-guardrails)'/.test(code) ? 'cdktn' : 'cdktf';
}

/** The package name of a flavor. */
export function packageName(flavor: Flavor): string {
  return `${flavor}-bedrock-guardrails`;
}

/** The `npm install` line of a flavor's install instructions (a ```sh block naming its package first). */
export function installLine(flavor: Flavor): string[] {
  const lines = readmeBlocks().filter((b) => b.lang === 'sh').flatMap((b) => b.code.split('\n'))
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l.startsWith(`npm install ${packageName(flavor)} `));
  if (lines.length !== 1) throw new Error(`README.md: expected one \`npm install ${packageName(flavor)} ...\` line, found ${lines.length}`);
  return lines[0].split(/\s+/);
}

/** The only TypeScript block under a heading. */
export function blockUnder(heading: string): ReadmeBlock {
  const found = readmeBlocks().filter((b) => b.lang === 'ts' && b.heading === heading);
  if (found.length !== 1) throw new Error(`README.md: expected one \`\`\`ts block under "${heading}", found ${found.length}`);
  return found[0];
}

/**
 * The import changes the README gives for cdktn: each import line of its cdktn block that ends
 * with a `// was '<cdktf specifier>'` comment, as a map from the cdktf specifier to the cdktn one.
 */
export function cdktnImportChanges(): Map<string, string> {
  const changes = new Map<string, string>();
  for (const block of typescriptBlocks().filter((b) => b.flavor === 'cdktn')) {
    for (const m of block.code.matchAll(/from\s+'([^']+)';\s*\/\/\s*was\s+'([^']+)'/g)) changes.set(m[2], m[1]);
  }
  return changes;
}

/** `code` with each module specifier that `changes` names replaced, as the README tells a cdktn user to do. */
export function applyImportChanges(code: string, changes: Map<string, string>): string {
  let out = code;
  for (const [from, to] of changes) {
    out = out.replace(new RegExp(`(from\\s+)'${from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`, 'g'), `$1'${to}'`);
  }
  return out;
}
