// Lint, including the process fences: src/main/core never imports Electron, React or renderer
// code, and the renderer never imports main, preload or Node built-ins.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'child_process', 'crypto', 'os', 'http', 'net', 'electron'];

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
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*'],
              message: 'src/main/core runs without Electron: take OS facilities through a port instead.',
            },
            { group: ['react', 'react-dom', 'react/*', '@mantine/*'], message: 'src/main/core must not import UI code.' },
            { group: ['**/renderer/**', '**/preload/**'], message: 'src/main/core must not import renderer or preload code.' },
            {
              group: [
                '**/handlers.ts',
                '**/schemas.ts',
                '**/ipc.ts',
                '**/window.ts',
                '**/web-host.ts',
                '**/web-main.ts',
                '**/cli.ts',
                '**/cli-main.ts',
                '**/host-args.ts',
              ],
              message: 'src/main/core must not import the transports (IPC, web host, CLI) that sit above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The two classic hook rules; the plugin's React Compiler rules stay off until the renderer is compiled by it.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', '**/preload/**'],
              message: 'The renderer talks to main only through window.certdesk (src/shared/contract.ts).',
            },
            { group: nodeBuiltins, message: 'The renderer is a sandboxed web page: no Node built-ins, no Electron.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['*', '!./*'], message: 'src/shared holds the contract: types and constants only, no dependencies.' }] },
      ],
    },
  },
);
