/**
 * An error in what the operator gave us (a prop, a file, an environment variable).
 *
 * Its message names the setting and the fix, fits on one line and never carries a secret value, so the
 * command-line entry points print it as it is, without a stack trace.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    // Messages quote what they refuse, which may hold a newline or a terminal escape: show those as \n, \u001b.
    super(message.replace(/[\u0000-\u001f\u007f]/g, c => JSON.stringify(c).slice(1, -1)));
    this.name = 'ConfigError';
  }
}
