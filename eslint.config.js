// Lint rules that encode the architecture (see CONTRIBUTING.md), run by `npm test`.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import vitest from '@vitest/eslint-plugin';
import prettier from 'eslint-config-prettier';
import playwright from 'eslint-plugin-playwright';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Code that runs in the browser: the shell, the micro-apps, the UI kit and the API client. */
const BROWSER_CODE = [
  'apps/shell/src/**',
  'apps/card/src/**',
  'apps/health/src/**',
  'apps/enrollment/src/**',
  'apps/eldercare/src/**',
  'packages/ui/src/**',
  'packages/api-client/src/**',
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/generated/**',
      '.tools/**',
      '.data/**',
      '**/test-results/**',
      '**/playwright-report/**',
      'e2e/screenshots/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Empty catch blocks are written on purpose where a failure is expected and harmless; they say so in a comment.
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['**/*.ts', '**/*.vue'],
    rules: {
      // TypeScript already reports undefined names, and knows the build's defines (env.d.ts), which this rule does not.
      'no-undef': 'off',
      // An optional prop declared in TypeScript is undefined when absent, which is what the components expect.
      'vue/require-default-prop': 'off',
    },
  },
  {
    files: BROWSER_CODE,
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // Nothing of the server reaches the browser: the gateway only as types, no Node built-ins, no database or log libraries.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...builtinModules
              .filter((name) => !name.startsWith('_'))
              .map((name) => ({ name, message: 'Node built-ins do not run in the browser.' })),
            { name: 'pg', message: 'Only the gateway talks to the database.' },
            { name: 'pino', message: 'Logging is the gateway’s.' },
            { name: '@portal/gateway', message: 'Import the gateway only as a type.', allowTypeImports: true },
          ],
          patterns: [
            { group: ['node:*'], message: 'Node built-ins do not run in the browser.' },
            { group: ['@prisma/*', 'prisma'], message: 'Only the gateway talks to the database.' },
            { group: ['@portal/gateway/*'], message: 'Import the gateway only as a type.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/*/test/**', 'apps/*/src/**/*.test.ts', 'packages/*/test/**', 'packages/*/src/**/*.test.ts'],
    plugins: { vitest },
    rules: {
      'vitest/no-focused-tests': 'error',
      'vitest/no-disabled-tests': 'error',
    },
  },
  {
    files: ['e2e/**/*.ts'],
    ...playwright.configs['flat/recommended'],
    rules: {
      ...playwright.configs['flat/recommended'].rules,
      'playwright/no-focused-test': 'error',
      'playwright/no-skipped-test': 'error',
      'playwright/no-networkidle': 'error',
      // The audits assert inside these helpers.
      'playwright/expect-expect': ['warn', { assertFunctionNames: ['audit', 'auditPages'] }],
      // Scenarios are written as Given/When/Then steps, some with steps inside, and run once per display mode,
      // with a branch where the first mode sets something up; these rules would forbid that form.
      'playwright/no-nested-step': 'off',
      'playwright/no-conditional-in-test': 'off',
      'playwright/no-conditional-expect': 'off',
    },
  },
  // Formatting is Prettier's alone (`prettier --check .`).
  prettier,
);
