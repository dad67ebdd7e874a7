// Replaced at bundle time by esbuild's `define` from package.json; the fallback serves tsx-run tests.
declare const STEWARD_VERSION: string | undefined;
export const VERSION: string = typeof STEWARD_VERSION === 'string' ? STEWARD_VERSION : '0.0.0-dev';
