import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..');

describe('generated files', () => {
  // The generator runs as a built script (npm test builds first): json-schema-to-typescript
  // formats with prettier, whose dynamic imports jest's module loader does not support.
  it('types and settings reference are up to date with the schema (fix: npm run gen:types)', async () => {
    const result = await run(process.execPath, [path.join(root, 'dist/scripts/generate.js'), '--check'], {
      cwd: root,
    }).catch((error: { code: number; stderr: string }) => error);
    expect('stderr' in result ? result.stderr : '').toBe('');
  }, 60_000);
});
