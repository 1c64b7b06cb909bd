const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

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
  // Folders depend one way (issue 14): the engine knows no profiles, policies, CLI or audit trail;
  // no library folder imports the CLI or the oclif commands. Tests may reach across.
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/session',
                '**/session/**',
                '**/policy',
                '**/policy/**',
                '**/cli/**',
                '**/commands/**',
                '**/audit/**',
                '**/demo/**',
                '**/loopback/**',
              ],
              message: 'the engine imports only errors, text, files and settings',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/{settings,errors,text,files,policy,session,audit,loopback}/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/cli/**', '**/commands/**'], message: 'library folders never import the CLI or its commands' },
          ],
        },
      ],
    },
  },
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
