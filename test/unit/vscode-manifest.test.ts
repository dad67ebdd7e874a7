import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { CATEGORY, COMMANDS, POSTURE_VIEW_ID, VIEW_CONTAINER_ID } from '../../src/vscode/shared/commands';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : /\.(ts|js|mjs|cjs)$/.test(name) ? [p] : [];
  });
}

const IMPORTS_VSCODE = /(?:from\s+|require\(\s*|import\(\s*|import\s+)['"]vscode['"]/;

describe('extension layering and manifest', () => {
  it('no file under src/core imports vscode', () => {
    const offenders = filesUnder(path.join(ROOT, 'src/core')).filter((f) => IMPORTS_VSCODE.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders.map((f) => path.relative(ROOT, f)), []);
  });

  it('only src/vscode and src/extension.ts import vscode', () => {
    const offenders = filesUnder(path.join(ROOT, 'src'))
      .filter((f) => !f.startsWith(path.join(ROOT, 'src/vscode') + path.sep) && f !== path.join(ROOT, 'src/extension.ts'))
      .filter((f) => IMPORTS_VSCODE.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders.map((f) => path.relative(ROOT, f)), []);
  });

  it('the pattern used above recognises the import forms', () => {
    assert.ok(IMPORTS_VSCODE.test(`import * as vscode from 'vscode';`));
    assert.ok(IMPORTS_VSCODE.test(`import type { Uri } from "vscode"`));
    assert.ok(IMPORTS_VSCODE.test(`const v = require('vscode')`));
    assert.ok(!IMPORTS_VSCODE.test(`import { x } from './vscode-ish'`));
  });

  it('package.json contributes.commands matches the command table', () => {
    const contributed = (pkg.contributes.commands as { command: string; title: string; category?: string; icon?: string }[]).map((c) => ({
      id: c.command,
      title: c.title,
      category: c.category,
      icon: c.icon,
    }));
    const table = COMMANDS.map((c) => ({ id: c.id, title: c.title, category: CATEGORY, icon: (c as { icon?: string }).icon }));
    assert.deepEqual(contributed, table);
  });

  it('internal commands are hidden from the Command Palette, others are not', () => {
    const hidden = new Set((pkg.contributes.menus.commandPalette ?? []).filter((m: { when?: string }) => m.when === 'false').map((m: { command: string }) => m.command));
    for (const c of COMMANDS) assert.equal(hidden.has(c.id), (c as { palette?: boolean }).palette === false, c.id);
  });

  it('every command used in menus and views exists in the table', () => {
    const ids = new Set<string>(COMMANDS.map((c) => c.id));
    for (const [where, entries] of Object.entries(pkg.contributes.menus as Record<string, { command?: string }[]>)) {
      for (const e of entries) if (e.command) assert.ok(ids.has(e.command), `${where}: ${e.command}`);
    }
    const welcome = JSON.stringify(pkg.contributes.viewsWelcome ?? []);
    for (const m of welcome.matchAll(/command:([\w.]+)/g)) assert.ok(ids.has(m[1]) || m[1].startsWith('workbench.') || m[1].startsWith('vscode.'), m[1]);
  });

  it('declares the view, its container, activation and limited trust support', () => {
    assert.ok(pkg.contributes.viewsContainers.activitybar.some((c: { id: string }) => c.id === VIEW_CONTAINER_ID));
    assert.ok(pkg.contributes.views[VIEW_CONTAINER_ID].some((v: { id: string }) => v.id === POSTURE_VIEW_ID));
    assert.ok(pkg.activationEvents.includes('workspaceContains:.github'));
    assert.ok(pkg.activationEvents.includes(`onView:${POSTURE_VIEW_ID}`));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.equal(pkg.main, './dist/extension.js');
    for (const c of pkg.contributes.viewsContainers.activitybar) assert.ok(statSync(path.join(ROOT, c.icon)).isFile(), c.icon);
  });

  it('snippets name only languages VS Code knows (no "Unknown language" warning); workflow snippets are scoped to YAML', () => {
    // VS Code's own language ids that the snippets are for. A language another extension adds (the
    // GitHub Actions extension's github-actions-workflow) must not be a `language` of the manifest:
    // VS Code warns at start-up when it is not installed. It may appear in a snippet's `scope`.
    const builtin = new Set(['markdown', 'yaml']);
    const own = new Set<string>((pkg.contributes.languages ?? []).map((l: { id: string }) => l.id));
    const entries = pkg.contributes.snippets as { language?: string; path: string }[];
    assert.ok(entries.length > 0);
    const scopes = new Set<string>();
    for (const e of entries) {
      const snippets = JSON.parse(readFileSync(path.join(ROOT, e.path), 'utf8')) as Record<string, { scope?: string; prefix: unknown; body: unknown }>;
      assert.ok(Object.keys(snippets).length > 0, e.path);
      if (e.language !== undefined) {
        assert.ok(builtin.has(e.language) || own.has(e.language), `${e.path}: unknown language ${e.language}`);
        continue;
      }
      // Without a language VS Code reads the file as a .code-snippets file: each snippet says its scope.
      assert.match(e.path, /\.code-snippets$/);
      for (const [name, sn] of Object.entries(snippets)) {
        const ids = (sn.scope ?? '').split(',').map((x) => x.trim()).filter(Boolean);
        assert.ok(ids.includes('yaml'), `${name}: scope ${sn.scope}`);
        assert.ok(ids.every((id) => builtin.has(id) || own.has(id) || id === 'github-actions-workflow'), `${name}: scope ${sn.scope}`);
        ids.forEach((id) => scopes.add(id));
      }
    }
    assert.ok(entries.some((e) => e.language === 'markdown'), 'SECURITY.md snippets for Markdown');
    assert.deepEqual([...scopes].sort(), ['github-actions-workflow', 'yaml']);
    assert.ok(!entries.some((e) => e.language === 'github-actions-workflow'));
  });

  it('has an extension icon: a 128x128 PNG', () => {
    const png = readFileSync(path.join(ROOT, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });

  it('commands that write are hidden in Restricted Mode wherever they appear (and refused by register.ts)', () => {
    const writes = COMMANDS.filter((c) => (c as { writes?: boolean }).writes).map((c) => c.id as string);
    assert.ok(writes.includes('steward.ignore') && writes.includes('steward.fix') && writes.includes('steward.generateSecurityMd'));
    for (const [where, entries] of Object.entries(pkg.contributes.menus as Record<string, { command?: string; when?: string }[]>)) {
      for (const e of entries) {
        if (!e.command || !writes.includes(e.command) || e.when === 'false') continue;
        assert.match(e.when ?? '', /(^|&& )isWorkspaceTrusted( &&|$)/, `${where}: ${e.command} has no trust condition`);
      }
    }
    const palette = new Map((pkg.contributes.menus.commandPalette as { command: string; when?: string }[]).map((e) => [e.command, e.when]));
    for (const id of writes) assert.ok(palette.has(id), `${id}: no commandPalette entry, so it shows in Restricted Mode`);
  });

  it('every "Steward: <command>" named in any text is a command of the manifest', () => {
    // Texts a user reads: the manifest (walkthrough, settings, welcome), media, docs, the README and the
    // sources' messages. "Steward: " followed by a capital letter names a command; a lowercase word
    // starts a sentence ("Steward: preparing a contribution runs git").
    const titles = (pkg.contributes.commands as { title: string }[]).map((c) => c.title);
    const files = [path.join(ROOT, 'package.json'), path.join(ROOT, 'README.md'), ...filesUnder(path.join(ROOT, 'src')).filter((f) => !/\.test\.ts$/.test(f))];
    const more = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? more(p) : /\.(md|json)$/.test(n) ? [p] : [];
    });
    for (const dir of ['media', 'docs']) files.push(...more(path.join(ROOT, dir)));
    const wrong: string[] = [];
    let seen = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/Steward: ([A-Z][^\n`*"'\\]*)/g)) {
        seen++;
        const rest = m[1];
        if (!titles.some((t) => rest === t || (rest.startsWith(t) && !/[A-Za-z0-9]/.test(rest[t.length])))) wrong.push(`${path.relative(ROOT, f)}: "Steward: ${rest.slice(0, 50)}"`);
      }
    }
    assert.ok(seen > 5, `only ${seen} mentions found: the pattern is broken`);
    assert.deepEqual(wrong, []);
  });
});
