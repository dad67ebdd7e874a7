import type { GitHubPort } from '../github/api';
import { GitHubNotFoundError } from '../github/errors';
import { gitRepoUrl } from '../github/urls';
import type { FlowGitHub, RepoRef } from './flow';
import type { PrivateReportGitHub, PrivateReportRequest } from './private-report';

// The contribution flow's GitHub calls over the shared port (same error wrapper, retries, rate-limit
// messages). Forks are created asynchronously by GitHub, so creation waits briefly until it exists.

interface RepoJson {
  name: string;
  owner: { login: string };
  fork?: boolean;
  parent?: { full_name: string };
  default_branch: string;
  html_url: string;
  permissions?: { push?: boolean };
}

interface PullJson {
  number: number;
  html_url: string;
  title: string;
}

export class PortFlowGitHub implements FlowGitHub, PrivateReportGitHub {
  constructor(private readonly port: GitHubPort, private readonly opts: { forkWaitMs?: number; forkPolls?: number; maxPrsToInspect?: number } = {}) {}

  async viewer(): Promise<{ login: string }> {
    const { data } = await this.port.request<{ login: string }>('GET /user');
    return { login: data.login };
  }

  async repo(r: RepoRef) {
    const info = await this.port.getRepo(r.owner, r.repo);
    return { defaultBranch: info.defaultBranch, canPush: !!info.permissions?.push, htmlUrl: info.htmlUrl, cloneUrl: gitRepoUrl(this.port.endpoints, info.owner, info.repo) };
  }

  private asFork(data: RepoJson) {
    return { owner: data.owner.login, repo: data.name, cloneUrl: gitRepoUrl(this.port.endpoints, data.owner.login, data.name) };
  }

  async findFork(upstream: RepoRef, login: string) {
    const full = `${upstream.owner}/${upstream.repo}`.toLowerCase();
    try {
      const { data } = await this.port.request<RepoJson>('GET /repos/{owner}/{repo}', { owner: login, repo: upstream.repo });
      if (data.fork && data.parent?.full_name.toLowerCase() === full) return this.asFork(data);
    } catch (e) {
      if (!(e instanceof GitHubNotFoundError)) throw e;
    }
    // A fork may have been renamed: look through the upstream's forks for one owned by the viewer.
    for (let page = 1; page <= 5; page++) {
      const { data } = await this.port.request<RepoJson[]>('GET /repos/{owner}/{repo}/forks', { owner: upstream.owner, repo: upstream.repo, per_page: 100, page });
      const mine = data.find((f) => f.owner.login.toLowerCase() === login.toLowerCase());
      if (mine) return this.asFork(mine);
      if (data.length < 100) break;
    }
    return undefined;
  }

  async createFork(upstream: RepoRef) {
    const { data } = await this.port.request<RepoJson>('POST /repos/{owner}/{repo}/forks', { owner: upstream.owner, repo: upstream.repo, default_branch_only: true });
    const fork = this.asFork(data);
    const polls = this.opts.forkPolls ?? 10;
    for (let i = 0; i < polls; i++) {
      try {
        await this.port.request('GET /repos/{owner}/{repo}', { owner: fork.owner, repo: fork.repo });
        return fork;
      } catch (e) {
        if (!(e instanceof GitHubNotFoundError)) throw e;
        await new Promise((r) => setTimeout(r, this.opts.forkWaitMs ?? 1000));
      }
    }
    return fork;
  }

  async findOpenPr(upstream: RepoRef, head: string) {
    const { data } = await this.port.request<PullJson[]>('GET /repos/{owner}/{repo}/pulls', { owner: upstream.owner, repo: upstream.repo, state: 'open', head, per_page: 10 });
    return data[0] ? { number: data[0].number, url: data[0].html_url } : undefined;
  }

  async createPr(upstream: RepoRef, pr: { title: string; body: string; head: string; base: string; draft: boolean }) {
    const { data } = await this.port.request<PullJson>('POST /repos/{owner}/{repo}/pulls', {
      owner: upstream.owner,
      repo: upstream.repo,
      title: pr.title,
      body: pr.body,
      head: pr.head,
      base: pr.base,
      draft: pr.draft,
      maintainer_can_modify: true,
    });
    return { number: data.number, url: data.html_url };
  }

  async updatePr(upstream: RepoRef, number: number, pr: { title: string; body: string }) {
    await this.port.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { owner: upstream.owner, repo: upstream.repo, pull_number: number, title: pr.title, body: pr.body });
  }

  async openPrsTouching(upstream: RepoRef, files: string[]) {
    const want = new Set(files);
    const { data } = await this.port.request<PullJson[]>('GET /repos/{owner}/{repo}/pulls', { owner: upstream.owner, repo: upstream.repo, state: 'open', per_page: this.opts.maxPrsToInspect ?? 30 });
    const out: { number: number; title: string; url: string; files: string[] }[] = [];
    for (const pr of data) {
      const r = await this.port.request<{ filename: string }[]>('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { owner: upstream.owner, repo: upstream.repo, pull_number: pr.number, per_page: 100 });
      const overlap = r.data.map((f) => f.filename).filter((f) => want.has(f));
      if (overlap.length) out.push({ number: pr.number, title: pr.title, url: pr.html_url, files: overlap });
    }
    return out;
  }

  async reportVulnerability(r: RepoRef, report: PrivateReportRequest) {
    const { data } = await this.port.request<{ ghsa_id: string; html_url: string }>('POST /repos/{owner}/{repo}/security-advisories/reports', { owner: r.owner, repo: r.repo, ...report });
    return { ghsaId: data.ghsa_id, url: data.html_url };
  }

  async createIssue(r: RepoRef, issue: { title: string; body: string }) {
    const { data } = await this.port.request<{ number: number; html_url: string }>('POST /repos/{owner}/{repo}/issues', { owner: r.owner, repo: r.repo, title: issue.title, body: issue.body });
    return { number: data.number, url: data.html_url };
  }
}
