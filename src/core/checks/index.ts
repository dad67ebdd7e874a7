import type { Check } from './types';
import { check as archivedRepository } from './archived-repository/archived-repository';
import { check as privateVulnerabilityReportingDisabled } from './private-vulnerability-reporting-disabled/private-vulnerability-reporting-disabled';
import { check as unprotectedDefaultBranch } from './unprotected-default-branch/unprotected-default-branch';
import { check as binaryArtifacts } from './binary-artifacts/binary-artifacts';
import { check as codeownersGaps } from './codeowners-gaps/codeowners-gaps';
import { check as missingDependencyUpdates } from './missing-dependency-updates/missing-dependency-updates';
import { check as missingLicense } from './missing-license/missing-license';
import { check as missingStaticAnalysis } from './missing-static-analysis/missing-static-analysis';
import { check as missingUpdateCooldown } from './missing-update-cooldown/missing-update-cooldown';
import { check as unpinnedBaseImages } from './unpinned-base-images/unpinned-base-images';
import { check as unsafeDependabotExecution } from './unsafe-dependabot-execution/unsafe-dependabot-execution';
import { check as cachePoisoning } from './cache-poisoning/cache-poisoning';
import { check as dangerousTriggers } from './dangerous-triggers/dangerous-triggers';
import { check as downloadAndRun } from './download-and-run/download-and-run';
import { check as excessivePermissions } from './excessive-permissions/excessive-permissions';
import { check as missingSecurityPolicy } from './missing-security-policy/missing-security-policy';
import { check as securityInsightsInvalid } from './security-insights-invalid/security-insights-invalid';
import { check as securityInsightsMissing } from './security-insights-missing/security-insights-missing';
import { check as persistedCheckoutCredentials } from './persisted-checkout-credentials/persisted-checkout-credentials';
import { check as securityPolicyIncomplete } from './security-policy-incomplete/security-policy-incomplete';
import { check as selfHostedRunner } from './self-hosted-runner/self-hosted-runner';
import { check as hardcodedContainerCredentials } from './hardcoded-container-credentials/hardcoded-container-credentials';
import { check as insecureCommands } from './insecure-commands/insecure-commands';
import { check as secretsExposure } from './secrets-exposure/secrets-exposure';
import { check as spoofableBotCondition } from './spoofable-bot-condition/spoofable-bot-condition';
import { check as unsoundContains } from './unsound-contains/unsound-contains';
import { check as typosquatUses } from './typosquat-uses/typosquat-uses';
import { check as obfuscatedUses } from './obfuscated-uses/obfuscated-uses';
import { check as unpinnedTools } from './unpinned-tools/unpinned-tools';
import { check as unsoundCondition } from './unsound-condition/unsound-condition';
import { check as templateInjection } from './template-injection/template-injection';
import { check as unparseableFile } from './unparseable-file/unparseable-file';
import { check as unpinnedActions } from './unpinned-actions/unpinned-actions';
import { check as unpinnedImages } from './unpinned-images/unpinned-images';
import { check as githubEnv } from './github-env/github-env';
import { check as githubAppToken } from './github-app-token/github-app-token';
import { check as longLivedPublishToken } from './long-lived-publish-token/long-lived-publish-token';
import { check as missingVersionComment } from './missing-version-comment/missing-version-comment';
import { check as archivedUses } from './archived-uses/archived-uses';
import { check as impostorCommit } from './impostor-commit/impostor-commit';
import { check as knownVulnerableActions } from './known-vulnerable-actions/known-vulnerable-actions';
import { check as refVersionMismatch } from './ref-version-mismatch/ref-version-mismatch';
import { check as staleActionRefs } from './stale-action-refs/stale-action-refs';

// The one registry: an explicit list, sorted by id. Adding a check = one import and one entry here.
export const CHECKS: readonly Check[] = [
  archivedRepository,
  privateVulnerabilityReportingDisabled,
  unprotectedDefaultBranch,
  binaryArtifacts,
  codeownersGaps,
  missingDependencyUpdates,
  missingLicense,
  missingStaticAnalysis,
  missingUpdateCooldown,
  unpinnedBaseImages,
  unsafeDependabotExecution,
  cachePoisoning,
  dangerousTriggers,
  downloadAndRun,
  excessivePermissions,
  githubEnv,
  githubAppToken,
  missingSecurityPolicy,
  securityInsightsInvalid,
  securityInsightsMissing,
  persistedCheckoutCredentials,
  securityPolicyIncomplete,
  longLivedPublishToken,
  missingVersionComment,
  selfHostedRunner,
  hardcodedContainerCredentials,
  insecureCommands,
  secretsExposure,
  spoofableBotCondition,
  unsoundCondition,
  unsoundContains,
  typosquatUses,
  obfuscatedUses,
  templateInjection,
  unparseableFile,
  unpinnedActions,
  unpinnedImages,
  unpinnedTools,
  refVersionMismatch,
  staleActionRefs,
  archivedUses,
  impostorCommit,
  knownVulnerableActions,
  // Code-unit order (ids are [a-z0-9-], where it equals the locale order): the first localeCompare of
  // a process builds an ICU collator, several milliseconds of every CLI start.
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.meta.id === id);
}
