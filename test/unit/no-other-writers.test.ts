import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

// One write path (ARCHITECTURE.md, "Safety model"): nothing in src/ may write to disk except
// src/core/fs/safe-write.ts (and git, which Steward runs through its locked-down factory). This test
// reads every non-test source file and fails naming file:line for each call that writes, creates,
// renames or removes a file or folder.

const SRC = path.resolve(__dirname, '../../src');
const WRITE_PATH = 'src/core/fs/safe-write.ts';

/** Each pattern names one kind of writer; the name is what the allow-list refers to. */
const WRITERS: { name: string; re: RegExp }[] = [
  { name: 'writeFile', re: /\bwriteFile(Sync)?\s*\(/ },
  { name: 'appendFile', re: /\bappendFile(Sync)?\s*\(/ },
  { name: 'rename', re: /\brename(Sync)?\s*\(/ },
  { name: 'mkdir', re: /\bmkdir(Sync)?\s*\(/ },
  { name: 'mkdtemp', re: /\bmkdtemp(Sync)?\s*\(/ },
  { name: 'createWriteStream', re: /\bcreateWriteStream\s*\(/ },
  { name: 'copyFile', re: /\b(copyFile|cp)(Sync)?\s*\(/ },
  { name: 'rm', re: /(\.|\b(fs|fsp)\.|^\s*(await\s+)?)\b(rm|rmdir|unlink)(Sync)?\s*\(/ },
  { name: 'link', re: /\.(symlink|link)(Sync)?\s*\(/ },
  { name: 'truncate', re: /\b(f?truncate)(Sync)?\s*\(/ },
  { name: 'chmod', re: /\.(l?chmod|l?chown|l?utimes|futimes)(Sync)?\s*\(/ },
  // open() for writing: a flag string with w, a or +, or O_WRONLY / O_RDWR / O_CREAT.
  { name: 'open-for-write', re: /\bopen(Sync)?\s*\([^)]*(['"`][^'"`]*[wa+][^'"`]*['"`]|O_WRONLY|O_RDWR|O_CREAT)/ },
  { name: 'vscode-fs', re: /workspace\.fs\.(writeFile|rename|delete|createDirectory|copy)\s*\(/ },
  { name: 'document-save', re: /\.save(All)?\s*\(/ },
  // Shelling out to a program that writes instead of calling fs.
  { name: 'shell-writer', re: /\b(exec|execFile|execSync|execFileSync|spawn|spawnSync)\s*\(\s*['"`](rm|mv|cp|tee|dd|touch|mkdir|ln|install|sh|bash)['"`]/ },
];

/**
 * PENDING: writers in files owned by other engineers that have not switched to safe-write.ts yet.
 * Each owner removes their entry when their file calls writeRepoFile / writeOutputFile instead.
 * An entry that no longer matches anything fails the test too, so the list only ever shrinks.
 */
const PENDING: Record<string, { owner: string; writers: string[]; why: string }> = {
  // Empty: the flow's lock, its temporary index and the scratch repositories of network commands go
  // through safe-write.ts too (createExclusiveFileSync, removeOwnFileSync, removeOwnTempDirSync).
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** The code of a line with comments dropped, so prose that mentions "rename(" does not count. */
function codeOf(line: string): string {
  const t = line.trim();
  if (t.startsWith('//') || t.startsWith('*') || t.startsWith('/*')) return '';
  return line.replace(/\s\/\/\s.*$/, '');
}

export function findWriters(): { file: string; line: number; writer: string; text: string }[] {
  const hits: { file: string; line: number; writer: string; text: string }[] = [];
  for (const abs of sourceFiles(SRC)) {
    const file = path.relative(path.resolve(SRC, '..'), abs).split(path.sep).join('/');
    if (file === WRITE_PATH) continue;
    readFileSync(abs, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = codeOf(line);
        for (const w of WRITERS) if (w.re.test(code)) hits.push({ file, line: i + 1, writer: w.name, text: line.trim() });
      });
  }
  return hits;
}

describe('one write path: nothing in src/ writes to disk except src/core/fs/safe-write.ts', () => {
  it('the patterns catch the writers they are meant to catch', () => {
    const should = [
      "await fs.writeFile(p, text);",
      "fs.writeFileSync(p, 'x')",
      "await fs.rename(tmp, f);",
      "await fs.mkdir(dir, { recursive: true });",
      "await fs.rm(tmp, { force: true });",
      "unlinkSync(p)",
      "const fh = await fs.open(p, 'w');",
      "await fs.open(p, FS.O_WRONLY | FS.O_CREAT)",
      "await vscode.workspace.fs.writeFile(uri, bytes);",
      "await doc.save();",
      "execFile('rm', ['-rf', dir])",
      "createWriteStream(out)",
      "await fs.copyFile(a, b)",
      "await fs.chmod(tmp, mode)",
    ];
    for (const s of should) assert.ok(WRITERS.some((w) => w.re.test(codeOf(s))), s);
    const shouldNot = ["await fs.readFile(p)", "text.replace(/a/, 'b')", "await fs.open(p, 'r')", "// fs.rename(a, b) would follow", "o.out(s)", "fs.lstat(p)", "arr.splice(1)"];
    for (const s of shouldNot) assert.ok(!WRITERS.some((w) => w.re.test(codeOf(s))), s);
  });

  it('no other file writes (pending entries aside), and every pending entry is still needed', () => {
    const hits = findWriters();
    const bad = hits.filter((h) => !PENDING[h.file]?.writers.includes(h.writer));
    assert.deepEqual(
      bad.map((h) => `${h.file}:${h.line} ${h.writer}: ${h.text}`),
      [],
      'write through src/core/fs/safe-write.ts (writeRepoFile inside a repository, writeOutputFile for a path the user named)',
    );
    for (const [file, entry] of Object.entries(PENDING)) {
      for (const w of entry.writers) {
        assert.ok(hits.some((h) => h.file === file && h.writer === w), `${file} no longer uses ${w}: remove it from PENDING in test/unit/no-other-writers.test.ts (owner: ${entry.owner})`);
      }
    }
  });
});
