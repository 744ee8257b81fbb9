/**
 * The folder of the secrets files unless a command is told another (init-secrets --dir). A module of its own, without
 * imports: the early renders' bundle (bin/early-renders.ts) needs only this of the secrets.
 */
export const DEFAULT_SECRETS_DIR = 'secrets';
