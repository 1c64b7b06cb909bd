const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

/**
 * What each folder of src/ may import, lowest first:
 *   errors, text <- files, settings <- engine, profile <- policy <- resolve <- session <- audit <- demo <- cli <- commands
 * (files: user files read safely; the engine imports only errors, text, files and settings;
 * loopback: the embedded test server and PKI, which import nothing of ours).
 */
const BASE = ['errors', 'text'];
const LIBRARY = [...BASE, 'files', 'settings', 'profile', 'policy', 'resolve', 'engine', 'session', 'audit'];
const FOLDER_IMPORTS = {
  errors: [],
  text: [],
  files: BASE,
  settings: BASE,
  loopback: BASE,
  engine: [...BASE, 'files', 'settings'],
  profile: [...BASE, 'files', 'settings'],
  policy: [...BASE, 'settings', 'profile'],
  resolve: [...BASE, 'files', 'settings', 'profile', 'policy'],
  session: [...BASE, 'files', 'settings', 'profile', 'policy', 'resolve', 'engine'],
  audit: [...BASE, 'files', 'settings', 'profile', 'policy', 'resolve', 'engine', 'session'],
  demo: [...LIBRARY, 'loopback'],
  cli: [...LIBRARY, 'demo'],
  commands: [...LIBRARY, 'demo', 'loopback', 'cli'],
  // src/index.ts, the library's public API
  '': LIBRARY,
};

/** One no-restricted-imports rule per folder: every folder not in its list is forbidden. */
function folderImportRules() {
  const folders = Object.keys(FOLDER_IMPORTS);
  return folders.map((folder) => {
    const forbidden = folders.filter(
      (other) => other !== '' && other !== folder && !FOLDER_IMPORTS[folder].includes(other),
    );
    return {
      files: [folder === '' ? 'src/*.ts' : `src/${folder}/**/*.ts`],
      ignores: ['**/*.test.ts'],
      rules: {
        'no-restricted-imports':
          forbidden.length === 0
            ? 'off'
            : [
                'error',
                {
                  patterns: [
                    {
                      group: forbidden.flatMap((other) => [`**/${other}`, `**/${other}/**`]),
                      message: `${folder ? `src/${folder}` : 'src/index.ts'} imports only ${FOLDER_IMPORTS[folder].join(', ') || 'node and packages'} (folders depend one way, issue 14)`,
                    },
                  ],
                },
              ],
      },
    };
  });
}

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/settings/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Folders depend one way (issue 14, DEVELOPERS.md "Folders"): each src/ folder imports only the
  // folders listed for it; anything else (a backward import, a cycle, the CLI from the library)
  // fails `npm run lint`. Tests may reach across.
  ...folderImportRules(),
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
);
