import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

// Local stand-ins for the package registries the survey reads, on 127.0.0.1 (random port), for tests
// and the survey benchmark only. Response shapes follow the registries' public documentation:
// - npm:       GET /npm/{name}/{version} (version document), GET /npm/{name} (packument with
//              dist-tags, versions, time; `repository` as package.json had it);
// - PyPI:      GET /pypi/pypi/{name}/json and /pypi/pypi/{name}/{version}/json ({ info, urls,
//              last_serial, vulnerabilities }; info.project_urls is a label → URL map or null);
// - crates.io: GET /crates/api/v1/crates/{name} ({ crate, versions, keywords, categories });
// - Go:        GET /go/{module}?go-get=1 (an HTML page with a go-import meta tag, as vanity hosts serve).
// Fault injection (`fail`) answers a status and headers to matching requests (rate limits with
// Retry-After, 5xx); `count` and `requests` let tests assert how much traffic a survey made.

export interface NpmVersion {
  repository?: string | { type?: string; url: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string } | string;
}

export interface PypiProject {
  version: string;
  project_urls?: Record<string, string> | null;
  home_page?: string | null;
}

export interface Crate {
  repository?: string | null;
  homepage?: string | null;
  max_version?: string;
}

interface Fault {
  match: RegExp;
  status: number;
  headers: Record<string, string>;
  body?: string;
  left: number;
}

export class RegistryTestServer {
  readonly npm = new Map<string, { latest: string; versions: Record<string, NpmVersion> }>();
  readonly pypi = new Map<string, PypiProject>();
  readonly crates = new Map<string, Crate>();
  /** module path → go-import content ("prefix git https://github.com/o/r"). */
  readonly goImports = new Map<string, string>();
  readonly requests: { path: string; status: number }[] = [];
  private readonly faults: Fault[] = [];
  private server!: http.Server;
  url = '';
  /** Delay every answer by this many ms (the benchmark's stand-in for network latency). */
  latencyMs = 0;

  static async start(): Promise<RegistryTestServer> {
    const s = new RegistryTestServer();
    s.server = http.createServer((req, res) => {
      const reply = () => {
        try {
          s.handle(req, res);
        } catch (e) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(e));
        }
      };
      if (s.latencyMs) setTimeout(reply, s.latencyMs);
      else reply();
    });
    s.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  get npmUrl(): string {
    return `${this.url}/npm`;
  }
  get pypiUrl(): string {
    return `${this.url}/pypi`;
  }
  get cratesUrl(): string {
    return `${this.url}/crates`;
  }
  goGetUrl = (module: string): string => `${this.url}/go/${module}?go-get=1`;

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addNpm(name: string, versions: Record<string, NpmVersion>, latest = Object.keys(versions).pop()!): void {
    this.npm.set(name, { latest, versions });
  }

  /** Answers `status` (with headers) to the next `times` requests whose path matches. */
  fail(match: RegExp, status: number, headers: Record<string, string> = {}, times = Infinity, body?: string): void {
    this.faults.push({ match, status, headers, body, left: times });
  }

  count(match: RegExp): number {
    return this.requests.filter((r) => match.test(r.path)).length;
  }

  private send(res: http.ServerResponse, log: { status: number }, status: number, body: unknown, type = 'application/json'): void {
    log.status = status;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const p = decodeURIComponent(u.pathname);
    const log = { path: p, status: 0 };
    this.requests.push(log);
    const fault = this.faults.find((f) => f.left > 0 && f.match.test(p));
    if (fault) {
      fault.left--;
      log.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(fault.body ?? JSON.stringify({ error: 'injected' }));
      return;
    }
    let m: RegExpExecArray | null;
    if ((m = /^\/npm\/((?:@[^/]+\/)?[^/@][^/]*)(?:\/([^/]+))?$/.exec(p))) return this.npmAnswer(res, log, m[1], m[2]);
    if ((m = /^\/pypi\/pypi\/([^/]+)(?:\/([^/]+))?\/json$/.exec(p))) return this.pypiAnswer(res, log, m[1], m[2]);
    if ((m = /^\/crates\/api\/v1\/crates\/([^/]+)$/.exec(p))) return this.crateAnswer(res, log, m[1]);
    if ((m = /^\/go\/(.+)$/.exec(p)) && u.searchParams.get('go-get') === '1') {
      const mod = m[1];
      const entry = [...this.goImports].find(([k]) => mod === k || mod.startsWith(`${k}/`));
      if (!entry) return this.send(res, log, 404, '<!doctype html><title>404</title>', 'text/html');
      return this.send(res, log, 200, `<!doctype html><html><head><meta charset="utf-8"><meta name="go-import" content="${entry[1]}"><meta name="go-source" content="${entry[0]} _ _ _"></head><body>go get ${entry[0]}</body></html>`, 'text/html; charset=utf-8');
    }
    this.send(res, log, 404, { error: 'Not found' });
  }

  private npmVersionDoc(name: string, version: string, v: NpmVersion): Record<string, unknown> {
    const file = name.replace(/^@[^/]+\//, '');
    return {
      _id: `${name}@${version}`,
      name,
      version,
      description: `${name} test package`,
      main: 'index.js',
      license: 'MIT',
      ...(v.repository !== undefined ? { repository: v.repository } : {}),
      ...(v.homepage ? { homepage: v.homepage } : {}),
      ...(v.bugs ? { bugs: v.bugs } : {}),
      gitHead: 'f'.repeat(40),
      _nodeVersion: '20.11.0',
      _npmVersion: '10.2.4',
      dist: {
        integrity: 'sha512-' + Buffer.from(`${name}${version}`).toString('base64'),
        shasum: '0'.repeat(40),
        tarball: `${this.npmUrl}/${name}/-/${file}-${version}.tgz`,
        fileCount: 3,
        unpackedSize: 1024,
      },
      _npmUser: { name: 'publisher', email: 'publisher@example.com' },
      maintainers: [{ name: 'publisher', email: 'publisher@example.com' }],
      directories: {},
      _hasShrinkwrap: false,
    };
  }

  private npmAnswer(res: http.ServerResponse, log: { status: number }, name: string, version?: string): void {
    const pkg = this.npm.get(name);
    if (!pkg) return this.send(res, log, 404, { error: 'Not found' });
    if (version) {
      const v = version === 'latest' ? pkg.versions[pkg.latest] : pkg.versions[version];
      if (!v) return this.send(res, log, 404, `"version not found: ${version}"`);
      return this.send(res, log, 200, this.npmVersionDoc(name, version === 'latest' ? pkg.latest : version, v));
    }
    const versions: Record<string, unknown> = {};
    const time: Record<string, string> = { created: '2020-01-01T00:00:00.000Z', modified: '2025-01-01T00:00:00.000Z' };
    for (const [ver, v] of Object.entries(pkg.versions)) {
      versions[ver] = this.npmVersionDoc(name, ver, v);
      time[ver] = '2024-01-01T00:00:00.000Z';
    }
    const latest = pkg.versions[pkg.latest] ?? {};
    this.send(res, log, 200, {
      _id: name,
      _rev: '3-' + 'a'.repeat(32),
      name,
      'dist-tags': { latest: pkg.latest },
      versions,
      time,
      maintainers: [{ name: 'publisher', email: 'publisher@example.com' }],
      description: `${name} test package`,
      ...(latest.repository !== undefined ? { repository: latest.repository } : {}),
      ...(latest.homepage ? { homepage: latest.homepage } : {}),
      license: 'MIT',
      readme: '',
      readmeFilename: '',
    });
  }

  private pypiAnswer(res: http.ServerResponse, log: { status: number }, name: string, version?: string): void {
    const norm = name.toLowerCase().replace(/[-_.]+/g, '-');
    const pkg = this.pypi.get(norm);
    if (!pkg || (version && version !== pkg.version)) return this.send(res, log, 404, { message: 'Not Found' });
    this.send(res, log, 200, {
      info: {
        author: 'Test Author',
        author_email: 'author@example.com',
        bugtrack_url: null,
        classifiers: ['Programming Language :: Python :: 3'],
        description: `${name} long description`,
        description_content_type: 'text/markdown',
        docs_url: null,
        download_url: '',
        downloads: { last_day: -1, last_month: -1, last_week: -1 },
        dynamic: null,
        home_page: pkg.home_page ?? '',
        keywords: '',
        license: 'MIT',
        maintainer: '',
        maintainer_email: '',
        name,
        package_url: `https://pypi.org/project/${name}/`,
        platform: null,
        project_url: `https://pypi.org/project/${name}/`,
        project_urls: pkg.project_urls ?? null,
        release_url: `https://pypi.org/project/${name}/${pkg.version}/`,
        requires_dist: null,
        requires_python: '>=3.8',
        summary: `${name} test package`,
        version: pkg.version,
        yanked: false,
        yanked_reason: null,
      },
      last_serial: 1000,
      urls: [],
      vulnerabilities: [],
    });
  }

  private crateAnswer(res: http.ServerResponse, log: { status: number }, name: string): void {
    const c = this.crates.get(name);
    if (!c) return this.send(res, log, 404, { errors: [{ detail: `crate \`${name}\` does not exist` }] });
    const v = c.max_version ?? '1.0.0';
    this.send(res, log, 200, {
      categories: [],
      crate: {
        id: name,
        name,
        updated_at: '2025-01-01T00:00:00.000000+00:00',
        versions: [1],
        keywords: [],
        categories: [],
        badges: [],
        created_at: '2020-01-01T00:00:00.000000+00:00',
        downloads: 1000,
        recent_downloads: 100,
        default_version: v,
        num_versions: 1,
        yanked: false,
        max_version: v,
        newest_version: v,
        max_stable_version: v,
        description: `${name} test crate`,
        homepage: c.homepage ?? null,
        documentation: null,
        repository: c.repository ?? null,
        links: { version_downloads: `/api/v1/crates/${name}/downloads`, versions: null, owners: `/api/v1/crates/${name}/owners`, owner_team: `/api/v1/crates/${name}/owner_team`, owner_user: `/api/v1/crates/${name}/owner_user`, reverse_dependencies: `/api/v1/crates/${name}/reverse_dependencies` },
        exact_match: false,
      },
      keywords: [],
      versions: [{ id: 1, crate: name, num: v, dl_path: `/api/v1/crates/${name}/${v}/download`, readme_path: `/api/v1/crates/${name}/${v}/readme`, updated_at: '2025-01-01T00:00:00.000000+00:00', created_at: '2025-01-01T00:00:00.000000+00:00', downloads: 10, features: {}, yanked: false, license: 'MIT', crate_size: 1000, published_by: null, links: { dependencies: `/api/v1/crates/${name}/${v}/dependencies`, version_downloads: `/api/v1/crates/${name}/${v}/downloads`, authors: `/api/v1/crates/${name}/${v}/authors` } }],
    });
  }
}
