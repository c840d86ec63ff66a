/**
 * A failure the handler diagnosed itself (as opposed to an AWS call that failed). The handler's
 * entry point prefixes every failure with the object's kind, name, account and region.
 */
export class ShimFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShimFailure';
  }
}
