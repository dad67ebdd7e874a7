import { localeOrder } from '../repo/order';
// Which licence a licence file holds, as an SPDX id, from the text's characteristic sentences. Only
// the common licences small projects use; anything else is undefined rather than a guess.

export interface LicenseMatch {
  spdx: string;
  /** The sentence that decided it, for evidence. */
  because: string;
}

function norm(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[*#>_`]/g, ' ')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

const RULES: { spdx: (t: string) => string | undefined; test: RegExp; because: string }[] = [
  { spdx: () => 'AGPL-3.0', test: /gnu affero general public license/, because: 'GNU Affero General Public License' },
  {
    spdx: (t) => (/version 2\.1/.test(t) ? 'LGPL-2.1' : /version 2[, ]/.test(t) && /library general public license/.test(t) ? 'LGPL-2.0' : 'LGPL-3.0'),
    test: /gnu (?:lesser|library) general public license/,
    because: 'GNU Lesser General Public License',
  },
  { spdx: (t) => (/version 3[, ]/.test(t) ? 'GPL-3.0' : /version 2[, ]/.test(t) ? 'GPL-2.0' : undefined), test: /gnu general public license/, because: 'GNU General Public License' },
  { spdx: () => 'MPL-2.0', test: /mozilla public license,? version 2\.0/, because: 'Mozilla Public License Version 2.0' },
  { spdx: () => 'Apache-2.0', test: /apache license,? version 2\.0|apache license version 2\.0, january 2004|licensed under the apache license, version 2\.0/, because: 'Apache License, Version 2.0' },
  { spdx: () => 'Unlicense', test: /this is free and unencumbered software released into the public domain/, because: 'released into the public domain (Unlicense)' },
  {
    spdx: () => 'ISC',
    test: /permission to use, copy, modify, and\/?or distribute this software for any purpose with or without fee is hereby granted/,
    because: 'ISC permission notice',
  },
  { spdx: () => 'curl', test: /copyright and permission notice[\s\S]*permission to use, copy, modify, and distribute this software for any purpose/, because: 'curl licence notice' },
  { spdx: () => 'MIT', test: /permission is hereby granted, free of charge, to any person obtaining a copy/, because: 'MIT permission notice' },
  {
    spdx: (t) => (/neither the name|names of (?:its|the) contributors may be used|name of the copyright holder nor/.test(t) ? 'BSD-3-Clause' : 'BSD-2-Clause'),
    test: /redistribution and use in source and binary forms, with or without modification, are permitted/,
    because: 'BSD redistribution conditions',
  },
];

export function detectLicense(text: string): LicenseMatch | undefined {
  const t = norm(text);
  // An SPDX header names it outright (REUSE-style files).
  const tag = /spdx-license-identifier: ?([a-z0-9.+-]+(?: (?:or|and|with) [a-z0-9.+-]+)*)/i.exec(text);
  for (const r of RULES) {
    if (!r.test.test(t)) continue;
    let id = r.spdx(t);
    if (!id) continue;
    if (/^(?:L|A)?GPL-/.test(id)) id += /or \(at your option\) any later version/.test(t) ? '-or-later' : '-only';
    return { spdx: id, because: r.because };
  }
  if (tag) return { spdx: tag[1], because: 'SPDX-License-Identifier line' };
  return undefined;
}

const ROOT_LICENSE = /^(?:licen[cs]e|copying|unlicense)(?:[.-].*)?$/i;

/** Root licence files in the order GitHub looks at them. */
export function licenseFiles(paths: readonly string[]): string[] {
  return paths.filter((p) => !p.includes('/') && ROOT_LICENSE.test(p)).sort((a, b) => a.length - b.length || localeOrder(a, b));
}
