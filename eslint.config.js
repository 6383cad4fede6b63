// Lint rules for hoctap: the recommended JavaScript and TypeScript sets, typescript-eslint's type-checked rules that
// matter for asynchronous code, and the layers: data flows one way (catalog → templates → ingest → store → scoring →
// report; src/usecases above them; src/cli on top), so a module may not import from a layer above its own.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders of src by layer; a layer may import from the layers before it and from the shared modules, never after. */
const SHARED = ['dates', 'errors', 'csv-write', 'vi', 'xlsx', 'findings', 'fs'];
// The store sits below ingest in imports (ingest writes into it; the store never reads ingest).
const LAYERS = ['catalog', 'templates', 'store', 'ingest', 'scoring', 'report', 'mail', 'usecases', 'cli'];
/** Exceptions the flow itself allows: the store does not read templates; scoring and report never read ingest. */
const FORBIDDEN_EXTRA = {
  store: ['templates'],
  scoring: ['templates', 'ingest'],
  report: ['templates', 'ingest'],
  templates: [],
};

function layerRules() {
  const blocks = [];
  const above = (name) => LAYERS.slice(LAYERS.indexOf(name) + 1);
  const block = (files, forbidden, why) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: forbidden.map((f) => ({ group: [`**/${f}/*`, `**/${f}/**`], message: `${why}: "${f}" is a later stage of the one-way flow (README, code layout).` })),
      }],
    },
  });
  for (const s of SHARED) {
    const files = s.endsWith('.ts') ? [`src/${s}`] : [`src/${s}/**/*.ts`, `src/${s}.ts`];
    // xlsx and findings read the catalog's types (the _meta contract, the labels of roles); nothing else shared reads a layer.
    blocks.push(block(files, LAYERS.filter((l) => !((s === 'xlsx' || s === 'findings') && l === 'catalog')), `src/${s} is shared by every stage`));
  }
  for (const l of LAYERS) {
    if (l === 'cli') continue;
    blocks.push(block([`src/${l}/**/*.ts`], [...above(l), ...(FORBIDDEN_EXTRA[l] ?? [])], `src/${l}`));
  }
  return blocks;
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'hoctap-demo/', '**/*.hbs', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023, sourceType: 'module',
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', structuredClone: 'readonly', performance: 'readonly', AbortController: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', fetch: 'readonly', queueMicrotask: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      // Type-aware: a promise nobody awaits loses its error and its order (the store is asynchronous).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      'no-control-regex': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'prefer-const': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...layerRules(),
);
