/** A mistake in how the CLI was called or in its input: one line on stderr, exit code 2, no stack. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
