import * as vscode from 'vscode';
import { CHECKS } from '../../core/checks';
import { ConfigError, Engine, type RepoScan } from '../../core/engine';
import { classifyPath } from '../../core/repo/classify';
import type { FactsResult } from '../../github';
import type { OnlineService } from '../online/online';
import { readSettings, type StewardSettings } from '../shared/settings';
import { WorkspaceSnapshot } from '../shared/workspaceSnapshot';

// Keeps one Engine and the latest scan per workspace folder that is a repository. Scans are lazy (the
// first one runs when the view or a relevant file is shown), serialized per folder, and incremental on
// save: the engine caches per-file findings, so only the saved file is re-checked.

export interface FolderState {
  readonly folder: vscode.WorkspaceFolder;
  readonly snapshot: WorkspaceSnapshot;
  readonly engine: Engine;
  scan?: RepoScan;
  /** `.github/steward.yml` could not be used: nothing else is shown for this folder until it is fixed. */
  configError?: ConfigError;
  /** A scan failed outright (not a single check: those become status 'error'). */
  failure?: string;
  /** Latest repository facts from GitHub (or why there are none). */
  facts?: FactsResult;
  factsPending?: Promise<void>;
}

/** How long a full scan waits for GitHub facts before showing results without them. */
const FACTS_WAIT_MS = 4000;

export class PostureService implements vscode.Disposable {
  private readonly states = new Map<string, FolderState>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly pending = new Map<string, Set<string> | 'full'>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private discovered?: Promise<void>;
  private started = false;
  private saveTimer?: ReturnType<typeof setTimeout>;
  settings: StewardSettings;
  readonly onDidChange = this.emitter.event;
  private online?: OnlineService;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const { settings, problems } = readSettings();
    this.settings = settings;
    this.reportSettingProblems(problems);
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument((d) => this.onSaved(d.uri)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.discovered = undefined;
        if (this.started) void this.scanAll();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('steward')) return;
        const r = readSettings();
        this.settings = r.settings;
        this.reportSettingProblems(r.problems);
        this.online?.updateContext();
        this.refreshFacts();
      }),
    );
    // Files that appear or disappear change what the repository-level checks see (a new SECURITY.md).
    const watcher = vscode.workspace.createFileSystemWatcher('**/{.github/**,SECURITY*,security*,docs/SECURITY*,LICENSE*,zizmor.y*ml}', false, true, false);
    watcher.onDidCreate((u) => this.onFilesAdded(u), undefined, this.disposables);
    watcher.onDidDelete((u) => this.onFilesAdded(u), undefined, this.disposables);
    this.disposables.push(watcher);
  }

  /** Connects online features; a change of sign-in or trust re-reads the facts. */
  setOnline(online: OnlineService): void {
    this.online = online;
    online.onDidChange(() => this.refreshFacts(), undefined, this.disposables);
    this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => {
      online.updateContext();
      this.refreshFacts();
    }));
  }

  private refreshFacts(): void {
    for (const s of this.folders()) s.facts = undefined;
    if (this.started) void this.scanAll();
  }

  /** Folder states in workspace order (only folders that are repositories). */
  folders(): FolderState[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => this.states.get(f.uri.toString())).filter((s): s is FolderState => !!s);
  }

  get hasStarted(): boolean {
    return this.started;
  }

  /** Starts the first scan if none ran yet; resolves when every folder has a result. */
  ensureStarted(): Promise<void> {
    if (this.started) return Promise.all([...this.running.values()]).then(() => undefined);
    return this.scanAll();
  }

  async scanAll(): Promise<void> {
    this.started = true;
    await this.discover();
    await Promise.all(this.folders().map((s) => this.scanFolder(s)));
  }

  /**
   * Resolves once nothing is left to do: no scan running or queued, no save waiting for its scan, and
   * no GitHub facts lookup still due to re-run the checks. Tests (and callers that must see a settled
   * posture) await this instead of guessing a delay: the start-up scan and re-scans after saves or
   * file events can otherwise finish in the middle of what they do.
   */
  async whenIdle(): Promise<void> {
    for (;;) {
      const work: Promise<unknown>[] = [...this.running.values()];
      for (const s of this.states.values()) if (s.factsPending) work.push(s.factsPending);
      if (this.discovered) work.push(this.discovered);
      if (this.saveTimer !== undefined || this.changedOnSave.size) work.push(new Promise((r) => setTimeout(r, 50)));
      if (!work.length && !this.pending.size) return;
      await Promise.all(work.map((w) => w.catch(() => undefined)));
      // One more turn: finishing work may queue more (facts that arrived late re-run the checks).
      await new Promise((r) => setTimeout(r, 0));
      if (!this.running.size && !this.pending.size && this.saveTimer === undefined && !this.changedOnSave.size && ![...this.states.values()].some((s) => s.factsPending)) return;
    }
  }

  /** Queues a scan of one folder; `changed` makes it incremental. */
  scanFolder(state: FolderState, changed?: readonly string[]): Promise<void> {
    const key = state.folder.uri.toString();
    const prev = this.pending.get(key);
    this.pending.set(key, changed === undefined || prev === 'full' ? 'full' : new Set([...(prev ?? []), ...changed]));
    const current = this.running.get(key);
    if (current) return current.then(() => this.scanFolder(state, [])); // coalesced into the follow-up run
    const run = (async () => {
      while (this.pending.has(key)) {
        const want = this.pending.get(key)!;
        this.pending.delete(key);
        await this.runScan(state, want === 'full' ? undefined : [...want]);
      }
    })().finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }

  stateFor(uri: vscode.Uri): FolderState | undefined {
    const f = vscode.workspace.getWorkspaceFolder(uri);
    return f ? this.states.get(f.uri.toString()) : undefined;
  }

  private async runScan(state: FolderState, changed: string[] | undefined): Promise<void> {
    const s = this.settings;
    // Facts are looked up on full scans only (a save does not change GitHub settings), and a slow or
    // unreachable API never holds the tree back for long: the results update when the facts arrive.
    if (changed === undefined && this.online && !state.factsPending) {
      const online = this.online;
      let gaveUpWaiting = false;
      state.factsPending = online.factsFor(state.folder).then((r) => {
        state.facts = r;
        state.factsPending = undefined;
        // Arrived after this scan went ahead without them: re-run the checks (files are cached).
        if (gaveUpWaiting) void this.scanFolder(state, []);
      });
      await Promise.race([state.factsPending, new Promise((r) => setTimeout(r, FACTS_WAIT_MS))]);
      gaveUpWaiting = true;
    }
    const facts: FactsResult = state.facts ?? { factsUnavailable: this.online ? 'still looking up repository facts on GitHub' : 'online features are not available' };
    const lookups = this.online?.actionsFor() ?? { actionsUnavailable: 'online features are not available' };
    try {
      const only = s.disabledRules.length ? CHECKS.map((c) => c.meta.id).filter((id) => !s.disabledRules.includes(id)) : undefined;
      const scan = await state.engine.scan(state.snapshot, {
        // The project's own cooldown (steward.yml) applies unless the user chose one in settings.
        ...(s.cooldownDaysSet ? { settings: { cooldownDays: s.cooldownDays } } : {}),
        facts: facts.facts,
        factsUnavailable: facts.factsUnavailable,
        actions: lookups.actions,
        actionsUnavailable: lookups.actionsUnavailable,
        ...(only ? { only } : {}),
        ...(changed ? { changed } : {}),
      });
      for (const r of scan.results) {
        if (s.disabledRules.includes(r.checkId)) r.reason = 'Turned off in your settings (steward.disabledRules)';
      }
      state.scan = scan;
      state.configError = undefined;
      state.failure = undefined;
      this.log.info(`scanned ${state.folder.name}: ${scan.stats.paths} paths, ${scan.stats.loaded} loaded, ${scan.findings.length} findings in ${Math.round(scan.stats.ms)} ms${changed ? ` (changed: ${changed.join(', ') || 'none'})` : ''}`);
    } catch (e) {
      if (e instanceof ConfigError) {
        state.configError = e;
        state.scan = undefined;
        this.log.warn(e.message);
      } else {
        state.failure = e instanceof Error ? e.message : String(e);
        this.log.error(`scan of ${state.folder.name} failed: ${e instanceof Error ? e.stack : String(e)}`);
      }
    }
    this.emitter.fire();
  }

  private discover(): Promise<void> {
    if (!this.discovered) {
      this.discovered = (async () => {
        const folders = vscode.workspace.workspaceFolders ?? [];
        const keep = new Set<string>();
        await Promise.all(
          folders.map(async (folder) => {
            const key = folder.uri.toString();
            if (!(await isRepository(folder.uri))) return;
            keep.add(key);
            if (!this.states.has(key)) this.states.set(key, { folder, snapshot: new WorkspaceSnapshot(folder), engine: new Engine(CHECKS) });
          }),
        );
        for (const k of [...this.states.keys()]) if (!keep.has(k)) this.states.delete(k);
        void vscode.commands.executeCommand('setContext', 'steward.hasRepository', keep.size > 0);
        void vscode.commands.executeCommand('setContext', 'steward.discovered', true);
      })();
    }
    return this.discovered;
  }

  private changedOnSave = new Map<FolderState, Set<string>>();

  private onSaved(uri: vscode.Uri): void {
    if (!this.started) return;
    const state = this.stateFor(uri);
    const rel = state?.snapshot.relative(uri);
    if (!state || rel === undefined || !isRelevant(rel)) return;
    const set = this.changedOnSave.get(state) ?? new Set<string>();
    set.add(rel);
    this.changedOnSave.set(state, set);
    // "Save all" saves many files in one tick: one scan for all of them.
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      for (const [st, paths] of this.changedOnSave) void this.scanFolder(st, [...paths]);
      this.changedOnSave.clear();
    }, 150);
  }

  private onFilesAdded(uri: vscode.Uri): void {
    if (!this.started) return;
    const state = this.stateFor(uri);
    if (state) void this.scanFolder(state);
    else {
      // A `.github` folder created in a folder that was not a repository yet.
      this.discovered = undefined;
      void this.scanAll();
    }
  }

  private reportSettingProblems(problems: string[]): void {
    if (!problems.length) return;
    for (const p of problems) this.log.warn(`settings: ${p}`);
    void vscode.window.showWarningMessage(`Steward ignored invalid settings: ${problems.join('; ')}`);
  }

  dispose(): void {
    clearTimeout(this.saveTimer);
    for (const d of this.disposables) d.dispose();
  }
}

/** Files whose content a check reads: a save of anything else cannot change the posture. */
export function isRelevant(path: string): boolean {
  return classifyPath(path) !== 'other' || path.startsWith('.github/');
}

async function isRepository(uri: vscode.Uri): Promise<boolean> {
  for (const marker of ['.github', '.git']) {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(uri, marker));
      return true;
    } catch {
      // not there
    }
  }
  return false;
}
