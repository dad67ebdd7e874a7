import { runFixPalette, type FixPaletteArgs } from './fixPalette';
import type { HandlerFactory } from '../shared/services';

/** `Steward: Review fixes in the workspace…` — pick fixes across the workspace, preview the diff, apply as one edit. */
export const fixWorkspace: HandlerFactory = (svc) => async (args?: FixPaletteArgs) =>
  runFixPalette(svc, args && typeof args === 'object' && !('kind' in args) ? args : undefined);
