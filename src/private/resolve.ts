import { DefaultTokenResolver, StringConcat, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * Resolves tokens in `value` to what the Terraform JSON will hold (e.g. `${aws_kms_key.k.arn}`),
 * which is stable across synths, unlike the token strings themselves.
 */
export function resolveForSynth<T>(scope: IConstruct, value: T): T {
  return Tokenization.resolve(value, { scope, preparing: false, resolver: RESOLVER });
}
