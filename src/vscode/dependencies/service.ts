import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Dependency } from '../../survey/model';
import { readProjectDependencies } from '../../survey/dependencies';
import { RepoFetcher } from '../../survey/fetch';
import { buildReport, type SurveyReport } from '../../survey/rank';
import { readResultsFile, RESULTS_VERSION, ResultsWriter, type HeaderRecord } from '../../survey/results';
import { runSurvey, type SurveyProgress } from '../../survey/run';
import { registryEndpointsFromEnv, surveyRegistries, type RegistryEndpoints } from '../../survey/setup';
import { VERSION } from '../../cli/version';
import { githubAccess, onlineBlocked, type OnlineAccess, type OnlineOverride } from '../online/onlineAccess';
import type { Services } from '../shared/services';

// The Dependencies view's state and the survey behind it: the same core as `steward survey` (lockfiles,
// registries, the GitHub port, the ranking), with results kept as JSON lines in the extension's
// storage (one file per surveyed folder), so a cancelled or rate-limited survey continues where it
// stopped when run again. The token, when there is one, is the editor's GitHub session (asked silently;
// never logged); without it the survey goes unauthenticated. In Restricted Mode, or with online
// features off, the survey only reads the lockfiles and lists the dependencies: no network at all.

export interface SurveyOptions {
  folder: vscode.Uri;
  /** Tests: GitHub base URL and token source instead of the editor's sign-in. */
  online?: OnlineOverride;
  /** Registries (tests, mirrors); default: the STEWARD_* variables, then the public registries. */
  registries?: RegistryEndpoints;
  /** Start over instead of continuing the folder's last survey. */
  fresh?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: SurveyProgress) => void;
}

export type SurveyOutcome =
  | { kind: 'complete'; report: SurveyReport }
  | { kind: 'stopped'; report: SurveyReport; why: string; cancelled: boolean }
  | { kind: 'offline'; why: string; dependencies: number }
  | { kind: 'none'; why: string };

export interface DependenciesState {
  folder: vscode.Uri;
  report?: SurveyReport;
  /** Dependencies read from the lockfiles without the network (Restricted Mode, online off). */
  local?: Dependency[];
  /** Why the view shows less than a complete survey (one line). */
  note?: string;
  /** Lockfiles that could not be read completely. */
  problems: string[];
  /** The GitHub base URL of the survey (clones come from there). */
  githubUrl?: string;
  /** Access used by the survey (clones reuse its endpoints). */
  access?: OnlineAccess;
}

export class DependenciesService implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  state?: DependenciesState;
  running = false;

  constructor(private readonly svc: () => Services) {}

  dispose(): void {
    this.emitter.dispose();
  }

  private resultsFile(folder: vscode.Uri): string {
    const id = createHash('sha256').update(folder.toString()).digest('hex').slice(0, 16);
    return path.join(this.svc().context.globalStorageUri.fsPath, 'survey', `${id}.jsonl`);
  }

  private set(state: DependenciesState): void {
    this.state = state;
    this.emitter.fire();
  }

  async survey(o: SurveyOptions): Promise<SurveyOutcome> {
    if (this.running) return { kind: 'none', why: 'a survey is already running' };
    this.running = true;
    try {
      return await this.doSurvey(o);
    } finally {
      this.running = false;
      this.emitter.fire();
    }
  }

  private async doSurvey(o: SurveyOptions): Promise<SurveyOutcome> {
    const svc = this.svc();
    const root = o.folder.fsPath;
    const deps = await readProjectDependencies(root);
    const problems = deps.problems.map((p) => `${p.file}: ${p.message}`);
    for (const p of problems) svc.log.warn(`survey: ${p}`);
    if (!deps.dependencies.length) {
      const why = 'no dependencies found (no lockfile, manifest or workflow Steward reads)';
      this.set({ folder: o.folder, note: why, problems });
      return { kind: 'none', why };
    }
    const blocked = onlineBlocked();
    const access = blocked ? undefined : await githubAccess(svc, { interactive: false, override: o.online });
    if (!access) {
      const why = blocked ?? 'online features are unavailable';
      // In Restricted Mode the view's banner already says why; other reasons get a line of their own.
      const note = vscode.workspace.isTrusted ? `${why}: dependencies read from the lockfiles, not surveyed` : undefined;
      this.set({ folder: o.folder, local: deps.dependencies, note, problems });
      return { kind: 'offline', why, dependencies: deps.dependencies.length };
    }
    const project = path.basename(root);
    const file = this.resultsFile(o.folder);
    const header: HeaderRecord = { kind: 'survey', version: RESULTS_VERSION, project, steward: VERSION };
    let previous = o.fresh ? undefined : await readResultsFile(file).catch(() => undefined);
    if (previous && (previous.header?.version !== RESULTS_VERSION || previous.header.project !== project)) previous = undefined;
    if (previous) await ResultsWriter.repairTail(file);
    const writer = await ResultsWriter.create(file, header, !previous);
    const services = access.services;
    const extraHost = services.endpoints.isDotCom ? undefined : services.endpoints.host;
    const result = await runSurvey({
      project,
      dependencies: deps.dependencies,
      registries: surveyRegistries(o.registries ?? registryEndpointsFromEnv(process.env), { cache: services.cache, extraHost, retryDelayMs: o.online ? 1 : undefined }),
      fetcher: new RepoFetcher(services.github, services.cache),
      cache: services.cache,
      writer,
      previous,
      // The editor does not wait out a rate limit behind a progress notification: it stops and says
      // when the limit resets; running the survey again then continues.
      maxWaitSeconds: 0,
      signal: o.signal,
      onProgress: o.onProgress,
    });
    const all = (await readResultsFile(file)) ?? { packages: new Map(), repos: new Map(), skipped: 0 };
    const report = buildReport(all, { now: Date.now(), project });
    const base = { folder: o.folder, report, problems, githubUrl: access.url, access };
    if (result.complete) {
      this.set(base);
      return { kind: 'complete', report };
    }
    const cancelled = result.stopped === 'interrupted';
    const where = `${result.repos.done} of ${result.repos.total} repositories surveyed`;
    const reason = (result.stopped ?? '').replace(/: run the same command again to continue$/, '');
    const limited = /rate limit/i.test(reason) && !access.signedIn ? '; signing in to GitHub raises the limit' : '';
    const why = cancelled ? `cancelled: ${where}; run the survey again to continue` : `stopped: ${reason}${limited} (${where}; run the survey again to continue)`;
    this.set({ ...base, note: why });
    return { kind: 'stopped', report, why, cancelled };
  }
}
