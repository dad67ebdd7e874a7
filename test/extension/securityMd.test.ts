import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BACK } from '../../src/vscode/shared/prompter';
import type { SecurityMdWizardResult } from '../../src/vscode/wizard/securityMdWizard';
import { ScriptedPrompter, seq } from './scriptedPrompter';
import { checkId, children, fileUri, stewardApi, unfold, workspaceRoot } from './support';

// The SECURITY.md wizard driven through its command with scripted answers on the demo repository (its
// package.json names the GitHub repository and an author e-mail: both are proposed), then the written file checked
// line by line, the Posture tree re-scanned, and a second run that must not overwrite without asking.

async function readText(rel: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(fileUri(rel)));
}

async function policyRows(): Promise<Map<string, string | undefined>> {
  const api = await stewardApi();
  const out = new Map<string, string | undefined>();
  for (const g of (await children(api)).filter((r) => r.node.kind === 'group')) for (const r of await unfold(api, await children(api, g.node))) out.set(checkId(r), r.icon);
  return out;
}

describe('Generate SECURITY.md wizard', () => {
  before(async () => {
    await stewardApi();
    await vscode.commands.executeCommand('steward.scan');
  });

  it('asks the questions step by step (with Back), writes the file, and the policy checks pass', async () => {
    const before = await policyRows();
    assert.equal(before.get('missing-security-policy'), 'question', 'the demo repository starts without a policy of its own (the owner\'s is unknown offline)');
    const prompter = new ScriptedPrompter({
      channels: ['E-mail', 'A reporting page'],
      email: 'security@demo-widget.example',
      url: 'https://demo-widget.example/report',
      response: 'Within 14 days, assessment within 60 days',
      // Back from the embargo question returns to the disclosure question, then answers it.
      embargo: seq(BACK, '60'),
      disclosure: seq('Coordinated disclosure (recommended)', 'Coordinated disclosure (recommended)'),
      'in-scope': 'code execution from a crafted input file; reading files outside the project folder',
      'out-of-scope': 'slow parsing of very large inputs',
      support: 'Best effort by volunteers',
      versions: '1.4.x = yes; < 1.4 = no',
      fixes: 'Yes, after a private report',
      harbor: 'Add a safe-harbor section',
      write: 'Write SECURITY.md',
    });
    const result = (await vscode.commands.executeCommand('steward.generateSecurityMd', { folder: workspaceRoot(), prompter, online: false })) as SecurityMdWizardResult;
    assert.equal(result?.outcome, 'written', JSON.stringify(prompter.asked.map((a) => [a.id, a.answer])));
    assert.equal(result.path, 'SECURITY.md');

    // What the user saw: step counters, Back only after the first step, the order after going back.
    const order = prompter.asked.map((a) => a.id);
    assert.deepEqual(order, ['channels', 'email', 'url', 'response', 'disclosure', 'embargo', 'disclosure', 'embargo', 'in-scope', 'out-of-scope', 'support', 'versions', 'fixes', 'harbor', 'write']);
    const [channels] = prompter.questions('channels');
    assert.equal(channels.step, 1);
    assert.equal(channels.back, false);
    assert.equal(channels.title, 'Generate SECURITY.md for steward-demo/demo-widget');
    assert.deepEqual(
      channels.items?.map((i) => [i.label, i.description, i.picked]),
      [
        ['GitHub private vulnerability reporting', 'not checked: a maintainer must make sure it is on', true],
        // The author's address is not proposed as the security contact: the maintainers choose one.
        ['E-mail', 'you give the address next', false],
        ['A reporting page (bug bounty, web form)', 'you give the URL next', false],
      ],
      'proposed from the repository; offline, reporting cannot be checked',
    );
    assert.notEqual(prompter.questions('email')[0].value, 'maintainers@demo-widget.example');
    // E-mail and a reporting page were chosen: each address is its own step, and so is each scope question.
    assert.deepEqual([prompter.questions('email')[0].step, prompter.questions('email')[0].totalSteps], [2, 12]);
    assert.deepEqual([prompter.questions('in-scope')[0].step, prompter.questions('out-of-scope')[0].step], [7, 8]);
    assert.deepEqual([prompter.questions('harbor')[0].step, prompter.questions('harbor')[0].totalSteps, prompter.questions('harbor')[0].back], [12, 12, true]);
    assert.equal(prompter.questions('versions')[0].value, 'Latest release = yes; Older releases = no', 'no tags: the generic proposal');
    assert.equal(prompter.questions('embargo')[0].value, '90', 'coordinated disclosure, 90 days by default');

    const text = await readText('SECURITY.md');
    assert.equal(text, result.text);
    const lines = text.split('\n');
    assert.ok(!text.includes('security/advisories/new'), 'private reporting was unticked');
    for (const line of [
      '# Security policy',
      'Thank you for helping keep demo-widget and the people who use it safe. This page explains how to tell us about a security problem privately, what happens next, and which versions get fixes.',
      '## Reporting a vulnerability',
      '- **By e-mail:** write to [security@demo-widget.example](mailto:security@demo-widget.example).',
      '- **Online:** https://demo-widget.example/report',
      '## Supported versions',
      '1. We confirm that we received your report within 14 days.',
      '2. We investigate and tell you within 60 days whether we consider it a vulnerability, how serious we think it is, and what we plan to do.',
      'We aim to confirm that we received your report within 14 days, and to give you a first assessment within 60 days. The project is looked after by volunteers in their spare time, so please be patient; if you hear nothing by then, a gentle reminder is welcome.',
      'We follow coordinated disclosure: please keep the details private until a fix is released, or for up to 60 days after your report, whichever comes first. If we need more time we will tell you why and agree on a new date with you. Once the fix is out, you are welcome to write about what you found.',
      '| 1.4.x | Yes |',
      '| < 1.4 | No |',
      '- code execution from a crafted input file',
      '- reading files outside the project folder',
      '- slow parsing of very large inputs',
      '## Security fixes from contributors',
      '## Safe harbor',
    ]) {
      assert.ok(lines.includes(line), `SECURITY.md lacks the line:\n${line}\n---\n${text}`);
    }

    // The write re-scanned the folder: both policy checks pass now.
    const after = await policyRows();
    assert.equal(after.get('missing-security-policy'), 'pass');
    assert.equal(after.get('security-policy-incomplete'), 'pass');
    const api = await stewardApi();
    const incomplete = api.posture.folders()[0].scan!.results.find((r) => r.checkId === 'security-policy-incomplete')!;
    assert.equal(incomplete.status, 'pass', incomplete.reason);
  });

  it('never overwrites an existing SECURITY.md without asking: declining the diff leaves it as it was', async () => {
    const original = await readText('SECURITY.md');
    const prompter = new ScriptedPrompter({ channels: ['E-mail'], email: 'other@demo-widget.example' });
    const result = (await vscode.commands.executeCommand('steward.generateSecurityMd', { folder: workspaceRoot(), prompter, online: false })) as SecurityMdWizardResult;
    assert.equal(result.outcome, 'cancelled');
    const [replace] = prompter.questions('replace');
    assert.ok(replace, 'asked before replacing');
    assert.deepEqual(replace.actions, ['Replace']);
    assert.match(replace.message ?? '', /^SECURITY\.md already exists\. Replace it/);
    assert.equal(await readText('SECURITY.md'), original);
    // The diff editor against the existing file was closed again.
    const open = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff);
    assert.deepEqual(open.map((t) => t.label), []);
  });

  it('refuses to write SECURITY.md through a symbolic link, or into a linked folder, with one line; the target stays as it was', async () => {
    const root = workspaceRoot().fsPath;
    const policy = path.join(root, 'SECURITY.md');
    const saved = fs.readFileSync(policy);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-outside-'));
    const victim = path.join(outside, 'SECURITY.md');
    fs.writeFileSync(victim, '# not yours\n');
    const api = await stewardApi();
    try {
      // The policy file itself is a link to a file outside the workspace.
      fs.rmSync(policy);
      fs.symlinkSync(victim, policy);
      await api.posture.scanFolder(api.posture.folders()[0]);
      const prompter = new ScriptedPrompter({ channels: ['E-mail'], email: 'other@demo-widget.example', replace: 'Replace', write: 'Write SECURITY.md' });
      const result = (await vscode.commands.executeCommand('steward.generateSecurityMd', { folder: workspaceRoot(), prompter, online: false })) as SecurityMdWizardResult;
      assert.equal(result.outcome, 'refused', JSON.stringify(prompter.asked.map((a) => [a.id, a.message ?? a.answer])));
      const [refused] = prompter.asked.filter((a) => a.id === 'refused');
      assert.equal(refused?.message, 'Steward refused to write SECURITY.md: it is a symbolic link; nothing was written');
      assert.ok(!prompter.asked.some((a) => a.id === 'replace' || a.id === 'write'), 'no preview offers a write that cannot happen');
      assert.equal(fs.readFileSync(victim, 'utf8'), '# not yours\n');
      assert.ok(fs.lstatSync(policy).isSymbolicLink(), 'the link itself is left alone');

      // No policy at the root; docs/ is a link to a folder outside with a SECURITY.md in it.
      fs.rmSync(policy);
      fs.symlinkSync(outside, path.join(root, 'docs'));
      await api.posture.scanFolder(api.posture.folders()[0]);
      const again = new ScriptedPrompter({ channels: ['E-mail'], email: 'other@demo-widget.example', replace: 'Replace', write: 'Write SECURITY.md' });
      const second = (await vscode.commands.executeCommand('steward.generateSecurityMd', { folder: workspaceRoot(), prompter: again, online: false })) as SecurityMdWizardResult;
      // A linked folder is not followed (README, Guarantees: no link is followed), as on the command
      // line: docs/SECURITY.md outside is not the repository's policy, so the new one goes to the root,
      // and nothing of the outside file reaches the proposal.
      assert.equal(second.path, 'SECURITY.md', JSON.stringify(again.asked.map((a) => [a.id, a.message ?? a.answer])));
      assert.equal(second.outcome, 'written');
      assert.ok(!second.text?.includes('not yours'));
      assert.ok(fs.lstatSync(policy).isFile(), 'a regular SECURITY.md inside the workspace');
      assert.equal(fs.readFileSync(policy, 'utf8'), second.text);
      assert.equal(fs.readFileSync(victim, 'utf8'), '# not yours\n');
      assert.deepEqual(fs.readdirSync(outside), ['SECURITY.md']);
    } finally {
      fs.rmSync(path.join(root, 'docs'), { force: true });
      fs.rmSync(policy, { force: true });
      fs.writeFileSync(policy, saved);
      fs.rmSync(outside, { recursive: true, force: true });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await api.posture.scanFolder(api.posture.folders()[0]);
    }
  });
});
