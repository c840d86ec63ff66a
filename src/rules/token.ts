import { isToken as isTokenValue } from '../private/validate';

/**
 * Whether a value is a Terraform token, as `isToken` in `private/validate`, with a quick answer for
 * the usual case: a string holds a token only if it holds cdktf's string token marker. The rules
 * test account IDs, regions and identifiers once per configuration, so in an app with thousands
 * of enforcements this is on the synth path. Not exported from the package.
 */
export function isToken(value: unknown): boolean {
  if (typeof value === 'string' && !value.includes('TfToken[')) return false;
  return isTokenValue(value);
}
