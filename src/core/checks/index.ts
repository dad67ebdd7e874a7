import type { Check } from './types';
import { check as downloadAndRun } from './download-and-run/download-and-run';
import { check as excessivePermissions } from './excessive-permissions/excessive-permissions';
import { check as missingSecurityPolicy } from './missing-security-policy/missing-security-policy';
import { check as securityPolicyIncomplete } from './security-policy-incomplete/security-policy-incomplete';
import { check as selfHostedRunner } from './self-hosted-runner/self-hosted-runner';
import { check as unparseableFile } from './unparseable-file/unparseable-file';
import { check as unpinnedActions } from './unpinned-actions/unpinned-actions';
import { check as unpinnedImages } from './unpinned-images/unpinned-images';
import { check as missingVersionComment } from './missing-version-comment/missing-version-comment';

// The one registry: an explicit list, sorted by id. Adding a check = one import and one entry here.
export const CHECKS: readonly Check[] = [
  downloadAndRun,
  excessivePermissions,
  missingSecurityPolicy,
  securityPolicyIncomplete,
  missingVersionComment,
  selfHostedRunner,
  unparseableFile,
  unpinnedActions,
  unpinnedImages,
].sort((a, b) => a.meta.id.localeCompare(b.meta.id));

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.meta.id === id);
}
