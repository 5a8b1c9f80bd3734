// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

/** The layers, bottom first. A layer may import only from layers at or below it. */
const layers = ['mail', 'protocol', 'server', 'client', 'world', 'lessons'];
const uiOnly = ['svelte', 'svelte/*', 'd3', 'd3-*', 'monaco-editor', 'monaco-editor/*'];

const layerRules = layers.map((layer, i) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: [...uiOnly, 'node:*', 'fs', 'net', 'path', 'os', 'crypto', 'buffer', 'child_process'],
            message: 'The core runs in the browser and in Node unchanged: no UI libraries and no Node APIs.',
          },
          {
            group: [...layers.slice(i + 1), 'ui', 'viz', 'editor', 'cli'].flatMap((l) => [
              `**/${l}`,
              `**/${l}/**`,
            ]),
            message: `Imports point down the layers: ${layer}/ may not import from a layer above it.`,
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'coverage/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  ...layerRules,
  {
    files: ['src/viz/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['xstate', '**/mail/**', '**/server/**', '**/world/**', '**/client/**'],
              message: 'Views receive plain view-models; they never reach into XState or the store.',
            },
          ],
        },
      ],
    },
  },
);
