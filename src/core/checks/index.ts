import type { Check } from './types';
import { check as excessivePermissions } from './excessive-permissions/excessive-permissions';
import { check as missingSecurityPolicy } from './missing-security-policy/missing-security-policy';
import { check as unparseableFile } from './unparseable-file/unparseable-file';
import { check as unpinnedActions } from './unpinned-actions/unpinned-actions';

// The one registry: an explicit list, sorted by id. Adding a check = one import and one entry here.
export const CHECKS: readonly Check[] = [
  excessivePermissions,
  missingSecurityPolicy,
  unparseableFile,
  unpinnedActions,
].sort((a, b) => a.meta.id.localeCompare(b.meta.id));

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.meta.id === id);
}
