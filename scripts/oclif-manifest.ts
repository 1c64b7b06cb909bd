/**
 * Writes oclif.manifest.json (what `oclif manifest` does) so the CLI starts without
 * requiring every command file. Run by `npm run build`; the file is build output, not committed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Plugin } from '@oclif/core';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  const manifestFile = path.join(root, 'oclif.manifest.json');
  const plugin = new Plugin({
    root,
    type: 'core',
    ignoreManifest: true,
    errorOnManifestCreate: true,
    respectNoCacheDefault: true,
    isRoot: true,
  });
  await plugin.load();
  writeFileSync(manifestFile, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`oclif manifest failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
