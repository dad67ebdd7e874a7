// Which secrets a job reads, and which of them are worth little to an attacker. Severity rules that
// say "the job reads secrets" (unpinned-actions' exposure) use this, so that a coverage upload token or
// a chat webhook does not rate a job like one that holds a publish token or a signing key.

// `secrets.X`, `secrets['X']`, `secrets["X"]`; a bare `secrets` (toJSON(secrets), `secrets[...]` with an
// expression) reads them all.
const NAMED = /\bsecrets\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*(['"])([^'"\]]+)\2\s*\])/gi;
const INHERIT = /^\s*secrets\s*:\s*inherit\b/m;
const ALL = /\bsecrets\s*(?:\)|\[(?!\s*['"]))|\btojson\s*\(\s*secrets\s*\)/i;

/**
 * Secrets whose leak lets someone post coverage results or chat messages, not change the code, the
 * releases or the repository: coverage and code-quality upload tokens, chat webhooks and bots, and
 * identifiers that are not credentials by themselves (a site or project id, a chat id, a user name).
 */
const REPORTING = [
  /^(?:CODECOV|COVERALLS|CODACY|CODECLIMATE|CC_TEST_REPORTER|DEEPSOURCE|SMOKESHOW)(?:_[A-Z0-9_]*)?$/,
  /WEBHOOK/,
  /(?:^|_)(?:SLACK|DISCORD|GITTER|TELEGRAM|TEAMS|MATTERMOST|ZULIP)(?:_|$)/,
  /_(?:CHAT|SITE|PROJECT|ORG)_ID$/,
  /_USER(?:NAME)?$/,
];

export interface SecretUse {
  /** Secret names read (upper case), GITHUB_TOKEN excluded: that is the job's own token. */
  names: string[];
  /** The text reads every secret at once (`toJSON(secrets)`, `secrets[expr]`) or inherits them all. */
  all: boolean;
}

export function secretsReadIn(text: string): SecretUse {
  const names = new Set<string>();
  for (const m of text.matchAll(NAMED)) {
    const name = (m[1] ?? m[3]).toUpperCase();
    if (name !== 'GITHUB_TOKEN') names.add(name);
  }
  // The `inherit` test first: the multi-line pattern tries every line start of a large job's text.
  return { names: [...names], all: ALL.test(text) || (text.includes('inherit') && INHERIT.test(text)) };
}

/** A secret of the reporting kind: worth little to whoever takes it. */
export function isReportingSecret(name: string): boolean {
  const n = name.toUpperCase();
  return REPORTING.some((re) => re.test(n));
}

/**
 * How a job's secrets weigh for severity: `valuable` when any could change code, releases or the
 * repository (or all are read at once), `reporting` when the only ones read are reporting secrets, else
 * `none`. `shown` names the reporting secrets, for the message.
 */
export function secretWeight(...texts: string[]): { weight: 'valuable' | 'reporting' | 'none'; shown: string[] } {
  const names = new Set<string>();
  let all = false;
  for (const t of texts) {
    const u = secretsReadIn(t);
    u.names.forEach((n) => names.add(n));
    all ||= u.all;
  }
  if (all || [...names].some((n) => !isReportingSecret(n))) return { weight: 'valuable', shown: [] };
  return names.size ? { weight: 'reporting', shown: [...names].sort() } : { weight: 'none', shown: [] };
}
