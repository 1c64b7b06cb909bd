/**
 * What bin/run.js requires from bin/ must be in the published package (package.json `files`):
 * a file left out works in the checkout and fails only after `npm install`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/run-cli';

function localRequires(file: string, seen = new Set<string>()): Set<string> {
  seen.add(path.relative(repoRoot, file));
  for (const [, request] of readFileSync(file, 'utf8').matchAll(/require\('(\.\/[^']+)'\)/g)) {
    const next = path.join(path.dirname(file), request.endsWith('.js') ? request : `${request}.js`);
    if (!seen.has(path.relative(repoRoot, next))) localRequires(next, seen);
  }
  return seen;
}

describe('the published bin/ folder', () => {
  it('holds every bin/ file that bin/run.js loads', () => {
    const files = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { files: string[] }).files;
    const needed = [...localRequires(path.join(repoRoot, 'bin', 'run.js'))];
    expect(needed).toEqual(expect.arrayContaining(['bin/run.js', 'bin/load-oclif.js', 'bin/compile-cache.js']));
    expect(needed.filter((file) => !files.includes(file))).toEqual([]);
  });
});
