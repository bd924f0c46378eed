// Flat ESLint config for the whole workspace. Module boundaries are enforced with Nx tags:
//   scope:<service>|shared — a service may use its own code and shared libs, never another service;
//   type:app|contracts|domain|data-access|util|testing — domain code stays free of frameworks and I/O.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/dist', '**/node_modules', '.local', '.tools', '.nx', 'coverage', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:orders', onlyDependOnLibsWithTags: ['scope:orders', 'scope:shared'] },
            {
              sourceTag: 'scope:payment-callback',
              onlyDependOnLibsWithTags: ['scope:payment-callback', 'scope:shared'],
            },
            { sourceTag: 'scope:inventory', onlyDependOnLibsWithTags: ['scope:inventory', 'scope:shared'] },
            {
              sourceTag: 'scope:risk-control',
              onlyDependOnLibsWithTags: ['scope:risk-control', 'scope:shared'],
            },
            { sourceTag: 'scope:delivery', onlyDependOnLibsWithTags: ['scope:delivery', 'scope:shared'] },
            {
              sourceTag: 'scope:notification',
              onlyDependOnLibsWithTags: ['scope:notification', 'scope:shared'],
            },
            // The operator console talks to services over HTTP only: shared libs, never a service's code.
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:console', 'scope:shared'] },
            // Cross-service e2e suites start services as processes; they import shared libs only.
            { sourceTag: 'scope:pipeline-e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Sandboxes stand in for outside systems (payment provider, suppliers): shared libs only.
            { sourceTag: 'scope:sandbox', onlyDependOnLibsWithTags: ['scope:sandbox', 'scope:shared'] },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:data-access', 'type:util', 'type:testing'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:contracts',
                'type:domain',
                'type:data-access',
                'type:util',
                'type:testing',
              ],
            },
            {
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: [
                'type:contracts',
                'type:domain',
                'type:data-access',
                'type:util',
                'type:testing',
              ],
            },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:testing'],
            },
            {
              sourceTag: 'type:util',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:testing'],
            },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access', 'type:testing'],
            },
          ],
        },
      ],
    },
  },
  {
    // Pure domain code: no framework, no ORM, no broker client. Enforced on every service's domain folder.
    files: ['apps/*/src/**/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@nestjs/*', 'typeorm', 'kafkajs', 'pg', '@keyflow/messaging', '@keyflow/service-kit'] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
];
