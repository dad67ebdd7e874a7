import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { Output } from '../../../src/cli/io';
import { ContributionFlow } from '../../../src/contribution/flow';
import { DeferredFixRegistry } from '../../../src/core/fix/deferred';
import { createGitHubServices } from '../../../src/github';
import { git, makeFlowWorld, type FlowWorld } from '../../support/git-fixtures';

// A hostile clone: its .git/config (which whoever packed the clone controls, or which a tool wrote)
// sets every git setting that can run a program, each pointing at a script that creates a marker
// file. The real Steward operations run against it — a scan with online pinning (ls-remote), `pr
// --dry-run`, `pr` (commits) and `pr --push` (ls-remote, fetch, push with a token) — and no marker
// may appear. A recording proxy named by the clone's config must never see a request (so never the
// token's Authorization header).

interface Hostile {
  w: FlowWorld;
  marker: string;
  script: string;
}

async function hostileWorld(): Promise<Hostile> {
  const w = await makeFlowWorld();
  const marker = path.join(w.root, 'MARKER');
  const script = path.join(w.root, 'evil.sh');
  fs.writeFileSync(script, `#!/bin/sh\necho "$0 $*" >> '${marker}'\nexit 1\n`, { mode: 0o755 });
  return { w, marker, script };
}

function cfg(h: Hostile, key: string, value: string): void {
  git(h.w.clone, ['config', '--add', key, value]);
}

function cli(h: Hostile, env: Record<string, string> = {}): { o: Output; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { o: { out: (s) => out.push(s), err: (s) => err.push(s), isTTY: false, env: { PATH: process.env.PATH, ...env }, cwd: h.w.clone }, out, err };
}

/** The vectors, each a setting of the clone's configuration (plus what it needs to be reached). */
const VECTORS: { name: string; setup: (h: Hostile) => void }[] = [
  { name: 'remote.<name>.uploadpack / receivepack', setup: (h) => ['origin', 'fork'].forEach((r) => (cfg(h, `remote.${r}.uploadpack`, h.script), cfg(h, `remote.${r}.receivepack`, h.script))) },
  { name: 'uploadpack via a remote helper (remote.<name>.vcs)', setup: (h) => cfg(h, 'remote.fork.vcs', 'ext') },
  { name: 'url.<x>.insteadOf rewriting the server to ext::', setup: (h) => cfg(h, `url.ext::${h.script} %S.insteadOf`, h.w.server.url) },
  { name: 'protocol.ext.allow=always', setup: (h) => (cfg(h, 'protocol.ext.allow', 'always'), cfg(h, 'protocol.allow', 'always'), cfg(h, `url.ext::${h.script} %S.insteadOf`, h.w.server.url)) },
  { name: 'core.gitProxy (with a git:// rewrite)', setup: (h) => (cfg(h, 'core.gitProxy', h.script), cfg(h, 'url.git://127.0.0.1/.insteadOf', h.w.server.url)) },
  {
    name: 'filter drivers selected by .gitattributes',
    setup: (h) => {
      for (const k of ['clean', 'smudge', 'process']) cfg(h, `filter.evil.${k}`, h.script);
      cfg(h, 'filter.evil.required', 'true');
      fs.writeFileSync(path.join(h.w.clone, '.gitattributes'), '* filter=evil diff=evil\n');
      fs.writeFileSync(path.join(h.w.clone, '.git', 'info', 'attributes'), '* filter=evil\n');
      cfg(h, 'diff.evil.textconv', h.script);
      cfg(h, 'diff.evil.command', h.script);
      cfg(h, 'diff.external', h.script);
      // Make the tracked files stat-dirty so a status would have to run the clean filter.
      fs.utimesSync(path.join(h.w.clone, 'notes.txt'), new Date(), new Date(Date.now() + 5000));
    },
  },
  {
    name: 'include.path and includeIf',
    setup: (h) => {
      const inc = path.join(h.w.root, 'included.cfg');
      fs.writeFileSync(inc, `[core]\n\tfsmonitor = ${h.script}\n\thooksPath = ${path.dirname(h.script)}\n\tpager = ${h.script}\n\tsshCommand = ${h.script}\n\taskPass = ${h.script}\n[credential]\n\thelper = !${h.script}\n[filter "inc"]\n\tclean = ${h.script}\n\tsmudge = ${h.script}\n`);
      fs.writeFileSync(path.join(h.w.clone, '.gitattributes'), '* filter=inc\n');
      cfg(h, 'include.path', inc);
      cfg(h, `includeIf.gitdir:${h.w.clone}/.path`, inc);
    },
  },
  {
    name: 'core.alternateRefsCommand (with alternates)',
    setup: (h) => {
      cfg(h, 'core.alternateRefsCommand', h.script);
      fs.writeFileSync(path.join(h.w.clone, '.git', 'objects', 'info', 'alternates'), path.join(h.w.upstreamBare, 'objects') + '\n');
    },
  },
  {
    name: 'gpg.program and gpg.*.program',
    setup: (h) => {
      for (const k of ['gpg.program', 'gpg.openpgp.program', 'gpg.x509.program', 'gpg.ssh.program', 'gpg.ssh.defaultKeyCommand']) cfg(h, k, h.script);
      cfg(h, 'commit.gpgSign', 'true');
    },
  },
  {
    name: 'hooks, fsmonitor, sshCommand, pager, credential helpers, askpass',
    setup: (h) => {
      const hooks = path.join(h.w.root, 'hooks');
      fs.mkdirSync(hooks);
      for (const hook of ['pre-push', 'post-commit', 'reference-transaction', 'pre-commit', 'post-checkout', 'fsmonitor-watchman']) fs.copyFileSync(h.script, path.join(hooks, hook));
      fs.chmodSync(hooks, 0o755);
      for (const f of fs.readdirSync(hooks)) fs.chmodSync(path.join(hooks, f), 0o755);
      cfg(h, 'core.hooksPath', hooks);
      cfg(h, 'core.fsmonitor', h.script);
      cfg(h, 'core.sshCommand', h.script);
      cfg(h, 'core.pager', h.script);
      cfg(h, 'core.askPass', h.script);
      cfg(h, 'credential.helper', `!${h.script}`);
      cfg(h, `credential.${h.w.server.url}.helper`, `!${h.script}`);
    },
  },
];

/** stderr without the progress lines (dimmed "Fetching …" notes): what the user reads as the error. */
export function errorLines(err: string[]): string[] {
  return err.join('').split('\n').filter((l) => l.startsWith('steward:'));
}

/** Runs the real operations: online pin planning, pr --dry-run, pr --push (commits, then push with a token). */
async function runEverything(h: Hostile): Promise<{ codes: number[]; errors: string[] }> {
  const codes: number[] = [];
  const errors: string[] = [];
  const base = ['--github-url', h.w.server.url];
  // Pinning resolves tags with ls-remote; run with the hostile clone as the current directory.
  const cwd = process.cwd();
  process.chdir(h.w.clone);
  try {
    const s = createGitHubServices({ url: h.w.server.url, token: 'test-token', cacheDir: path.join(h.w.root, 'cache'), retryBaseMs: 1 });
    const providers = new DeferredFixRegistry();
    providers.register(s.pinProvider);
    const plan = await new ContributionFlow({ dir: h.w.clone, concern: 'pin-actions', dryRun: true, providers }).run().catch((e: Error) => e);
    if (plan instanceof Error) errors.push(plan.message);
  } finally {
    process.chdir(cwd);
  }
  for (const args of [
    ['pr', '--concern', 'checkout-credentials', '--dry-run', ...base],
    // --push also makes the commits (what a plain `pr` does), then ls-remote, fetch and push.
    ['pr', '--concern', 'checkout-credentials', '--push', '--remote', 'fork', ...base],
  ]) {
    const c = cli(h, { GITHUB_TOKEN: 'ghp_secrettoken123' });
    const code = await main(args, c.o);
    codes.push(code);
    const err = errorLines(c.err);
    if (code !== 0) {
      assert.equal(code, 2, `${args.join(' ')}: ${err}`);
      assert.equal(err.length, 1, `one line: ${err.join('\n')}`);
      errors.push(err[0]);
    }
  }
  return { codes, errors };
}

describe('hostile repositories: git configuration never runs a program', function () {
  this.timeout(120_000);
  let h: Hostile | undefined;
  afterEach(async () => {
    if (h) {
      await h.w.server.close();
      fs.rmSync(h.w.root, { recursive: true, force: true });
    }
    h = undefined;
  });

  for (const v of VECTORS) {
    it(`${v.name}: no marker after scan/pin, pr --dry-run, pr and pr --push`, async () => {
      h = await hostileWorld();
      v.setup(h);
      const { errors } = await runEverything(h);
      assert.equal(fs.existsSync(h.marker), false, `marker written: ${fs.existsSync(h.marker) ? fs.readFileSync(h.marker, 'utf8') : ''} (errors: ${errors.join(' | ')})`);
    });
  }

  it('an ext:: remote is refused with one line, exit 2, and runs nothing', async () => {
    h = await hostileWorld();
    git(h.w.clone, ['remote', 'set-url', 'origin', `ext::${h.script} %S`]);
    const c = cli(h);
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--dry-run'], c.o), 2);
    const err = errorLines(c.err);
    assert.equal(err.length, 1, err.join('\n'));
    assert.match(err[0], /^steward: cannot fetch origin\/main: transport 'ext' not allowed$/);
    assert.equal(fs.existsSync(h.marker), false);
  });

  it('a local-path remote does not run its uploadpack (file transport is not allowed)', async () => {
    h = await hostileWorld();
    git(h.w.clone, ['remote', 'set-url', 'origin', h.w.upstreamBare]);
    cfg(h, 'remote.origin.uploadpack', h.script);
    const c = cli(h);
    const code = await main(['pr', '--concern', 'checkout-credentials', '--dry-run'], c.o);
    assert.equal(fs.existsSync(h.marker), false);
    assert.ok(code === 0 || code === 2, c.err.join(''));
  });

  it("the clone's http.proxy settings never see a request, so never the token", async () => {
    h = await hostileWorld();
    const seen: http.IncomingHttpHeaders[] = [];
    const proxy = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(502).end();
    });
    proxy.on('connect', (req, sock) => {
      seen.push(req.headers);
      sock.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const purl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      cfg(h, 'http.proxy', purl);
      cfg(h, `http.${h.w.server.url}.proxy`, purl);
      cfg(h, `http.${h.w.server.url}/contributor/widget.git.proxy`, purl);
      cfg(h, 'remote.fork.proxy', purl);
      cfg(h, 'remote.origin.proxy', purl);
      const c = cli(h, { GITHUB_TOKEN: 'ghp_secrettoken123' });
      const code = await main(['pr', '--concern', 'checkout-credentials', '--push', '--remote', 'fork', '--github-url', h.w.server.url], c.o);
      assert.equal(code, 0, c.err.join(''));
      assert.deepEqual(seen, [], 'the proxy got requests');
      // The push went to the server directly, with the token.
      assert.equal(git(h.w.forkBare, ['rev-parse', 'refs/heads/steward/checkout-credentials']).length, 40);
      assert.ok(h.w.server.requests.some((r) => r.path.startsWith('/contributor/widget.git/') && r.authenticated));
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });
});
