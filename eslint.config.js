// Lint, including the house's fences between folders (see `fences` below).
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'child_process', 'crypto', 'os', 'http', 'net', 'electron'];

/**
 * The house rules, one fence per folder. Each file falls under exactly one fence (ESLint replaces,
 * not merges, a rule's options), so each fence lists everything its folder may not import.
 * Patterns are regexes on the import specifier, relative paths included.
 */
const forbid = (regex, message) => ({ regex, message });
const electron = (who) => forbid('^electron(/|$)', `${who} runs without Electron: only src/main/electron imports it.`);
const ui = (who) => forbid('^(react|react-dom)(/|$)|^@mantine/|^@tabler/', `${who} must not import UI code.`);
const rendererOrPreload = (who) => forbid('(^|/)(renderer|preload)/', `${who} must not import renderer or preload code.`);
const folders = (who, names, why) => forbid(`(^|/)(${names.join('|')})/`, `${who} must not import ${names.join(', ')}: ${why}`);
const sandboxIndex = forbid('(^|/)sandbox/(?!index\\.ts$)', 'certdesk reaches the sandbox emulator only through src/sandbox/index.ts.');
const fence = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const HOSTS = 'the hosts sit above it (core < api < host < electron, web, cli)';

const fences = [
  fence(
    ['src/main/core/pki/**/*.ts'],
    [
      electron('src/main/core'),
      ui('src/main/core'),
      rendererOrPreload('src/main/core'),
      folders('src/main/core', ['api', 'host', 'electron', 'web', 'cli'], HOSTS),
      forbid('(^|/)ca/', 'core/pki is below core/ca: take what it needs as a parameter or a pki type.'),
      sandboxIndex,
    ],
  ),
  fence(
    ['src/main/core/**/*.ts'],
    [
      electron('src/main/core'),
      ui('src/main/core'),
      rendererOrPreload('src/main/core'),
      folders('src/main/core', ['api', 'host', 'electron', 'web', 'cli'], HOSTS),
      sandboxIndex,
    ],
    ['src/main/core/pki/**'],
  ),
  fence(
    ['src/main/api/**/*.ts'],
    [
      electron('src/main/api'),
      ui('src/main/api'),
      rendererOrPreload('src/main/api'),
      folders('src/main/api', ['host', 'electron', 'web', 'cli'], HOSTS),
      sandboxIndex,
    ],
  ),
  fence(
    ['src/main/host/**/*.ts'],
    [
      electron('src/main/host'),
      ui('src/main/host'),
      rendererOrPreload('src/main/host'),
      folders('src/main/host', ['electron', 'web', 'cli'], 'every host shares this folder; nothing here may depend on one of them.'),
      sandboxIndex,
    ],
  ),
  fence(
    ['src/main/web/**/*.ts'],
    [
      electron('src/main/web'),
      ui('src/main/web'),
      rendererOrPreload('src/main/web'),
      folders('src/main/web', ['electron', 'cli'], 'the hosts never share a process.'),
      sandboxIndex,
    ],
  ),
  fence(
    ['src/main/cli/**/*.ts'],
    [
      electron('src/main/cli'),
      ui('src/main/cli'),
      rendererOrPreload('src/main/cli'),
      folders('src/main/cli', ['electron', 'web'], 'the hosts never share a process.'),
      sandboxIndex,
    ],
  ),
  fence(
    ['src/main/electron/**/*.ts'],
    [
      ui('src/main/electron'),
      rendererOrPreload('src/main/electron'),
      folders('src/main/electron', ['web', 'cli'], 'the hosts never share a process.'),
      sandboxIndex,
    ],
  ),
  fence(['src/main/*.ts', 'scripts/**/*.{ts,js}', 'bin/**/*.js', 'bench/**/*.ts'], [sandboxIndex]),
  fence(
    ['src/sandbox/**/*.ts'],
    [
      electron('src/sandbox'),
      forbid(
        '(^|/)(main|renderer|preload)/',
        'The sandbox emulator stands alone: it never imports certdesk (src/main, src/renderer, src/preload).',
      ),
    ],
  ),
  fence(
    ['src/renderer/**/*.{ts,tsx}'],
    [
      forbid('(^|/)(main|preload)/', 'The renderer talks to main only through window.certdesk (src/shared/contract/).'),
      { group: nodeBuiltins, message: 'The renderer is a sandboxed web page: no Node built-ins, no Electron.' },
    ],
  ),
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.toolchain/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-empty-pattern': 'off',
    },
  },
  ...fences,
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The two classic hook rules; the plugin's React Compiler rules stay off until the renderer is compiled by it.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\./[a-z-]+\\.ts$)', message: 'src/shared holds the contract: types and constants only, no dependencies.' },
          ],
        },
      ],
    },
  },
);
