import type { StewardConfig } from './schema';

// The parts of the configuration a scan needs whether or not the repository has a configuration file.
// Kept apart from the zod schemas (schema.ts, load.ts) so that a scan loads zod only when there is a
// file to validate (start-up, issue 19).

/** A configuration mistake: stops the scan (CLI exit 2) with one line naming the file and the key. */
export class ConfigError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** The configuration of a repository without `.github/steward.yml`. */
export const EMPTY_CONFIG: StewardConfig = {};
