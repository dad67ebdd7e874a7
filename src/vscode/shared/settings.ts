import * as vscode from 'vscode';
import { CHECKS } from '../../core/checks';
import { isSeverity, type Severity } from '../../core/model';

// The extension's settings (contributes.configuration), read in one place and validated: a wrong value
// falls back to the default and is reported once, naming the setting, instead of silently misbehaving.

export interface StewardSettings {
  minimumSeverity: Severity;
  disabledRules: string[];
  cooldownDays: number;
  /** The user set cooldownDays: it then wins over the project's `.github/steward.yml` value. */
  cooldownDaysSet: boolean;
  githubUrl: string;
  onlineEnabled: boolean;
}

export const DEFAULTS: StewardSettings = {
  minimumSeverity: 'info',
  disabledRules: [],
  cooldownDays: 7,
  cooldownDaysSet: false,
  githubUrl: 'https://github.com',
  onlineEnabled: true,
};

export function readSettings(scope?: vscode.ConfigurationScope): { settings: StewardSettings; problems: string[] } {
  const c = vscode.workspace.getConfiguration('steward', scope);
  const problems: string[] = [];
  const s: StewardSettings = { ...DEFAULTS, disabledRules: [] };

  const sev = c.get<unknown>('minimumSeverity', DEFAULTS.minimumSeverity);
  if (typeof sev === 'string' && isSeverity(sev)) s.minimumSeverity = sev;
  else problems.push(`steward.minimumSeverity: "${String(sev)}" is not one of info, low, medium, high, critical`);

  const rules = c.get<unknown>('disabledRules', []);
  if (Array.isArray(rules)) {
    // Only when there is something to validate: the checks live in the lazily loaded engine bundle.
    const known = new Set(rules.length ? CHECKS.map((k) => k.meta.id) : []);
    for (const r of rules) {
      if (typeof r === 'string' && known.has(r)) s.disabledRules.push(r);
      else problems.push(`steward.disabledRules: "${String(r)}" is not a Steward rule id`);
    }
  } else problems.push('steward.disabledRules must be a list of rule ids');

  const days = c.get<unknown>('cooldownDays', DEFAULTS.cooldownDays);
  const ins = c.inspect('cooldownDays');
  s.cooldownDaysSet = [ins?.globalValue, ins?.workspaceValue, ins?.workspaceFolderValue].some((v) => v !== undefined);
  if (typeof days === 'number' && Number.isInteger(days) && days >= 0 && days <= 365) s.cooldownDays = days;
  else {
    s.cooldownDaysSet = false;
    problems.push(`steward.cooldownDays: ${String(days)} must be a whole number of days between 0 and 365`);
  }

  const url = c.get<unknown>('github.url', DEFAULTS.githubUrl);
  if (typeof url === 'string' && /^https?:\/\/[^/\s]+/.test(url)) s.githubUrl = url.replace(/\/+$/, '');
  else problems.push(`steward.github.url: "${String(url)}" is not an http(s) URL`);

  const online = c.get<unknown>('online.enabled', DEFAULTS.onlineEnabled);
  if (typeof online === 'boolean') s.onlineEnabled = online;
  else problems.push('steward.online.enabled must be true or false');

  return { settings: s, problems };
}
