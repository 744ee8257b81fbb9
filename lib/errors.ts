/**
 * An error in what the operator gave us (a prop, a file, an environment variable).
 *
 * Its message names the setting and the fix, fits on one line and never carries a secret value, so the
 * command-line entry points print it as it is, without a stack trace.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
