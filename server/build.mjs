#!/usr/bin/env node
// Builds the server for production: one ES module, server/dist/main.js, that plain `node` runs.
// Source files (server/src and the @imw/shared workspace package it imports) are bundled; packages
// from node_modules stay external and load from node_modules at run time, because some of them
// read their own files next to their code (PGlite's wasm and data, uWebSockets.js's native addon,
// msgpackr's optional native extension). Tests and `npm run dev` keep running the TypeScript
// through tsx.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const SERVER = dirname(fileURLToPath(import.meta.url));
export const OUTFILE = resolve(SERVER, 'dist/main.js');
const OUTDIR = dirname(OUTFILE);

/** What the bundle imports by name: it must resolve from the bundle to the very same file. */
const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@imw/') || args.path.startsWith('node:')) return undefined;
      // The bundle lives in server/dist, so a package imported by shared code must also be
      // reachable from the server (pnpm gives each package only its own dependencies). Checked
      // here so that a missing one fails the build, not the first start.
      const fromImporter = resolveFrom(args.importer, args.path);
      const fromBundle = resolveFrom(OUTFILE, args.path);
      if (fromImporter !== fromBundle) {
        return {
          errors: [
            {
              text: `${args.path} (imported by ${relative(SERVER, args.importer)}) does not resolve to the same file from server/dist: add it to server/package.json with the version the importer uses`,
            },
          ],
        };
      }
      return { path: args.path, external: true };
    });
  },
};

/**
 * `import.meta.url` keeps meaning "this source file": each module's value becomes its source
 * path relative to the bundle, so `new URL('../../drizzle', import.meta.url)` and the like find
 * the same folders (migrations, maps, the web client) from dist as from src.
 */
const sourceUrls = {
  name: 'source-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(args.path, 'utf8');
      if (/import\.meta\.(dirname|filename)/.test(text)) {
        return { errors: [{ text: `${args.path}: use import.meta.url (the build rewrites only that)` }] };
      }
      const rel = relative(OUTDIR, args.path).split('\\').join('/');
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
};

/** The package folder Node would load `specifier` from, for a file at `file` (null if none). */
function resolveFrom(file, specifier) {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(candidate)) return realpathSync(candidate);
    if (dirname(dir) === dir) return null;
  }
}

export async function buildServer() {
  const started = Date.now();
  await build({
    entryPoints: [resolve(SERVER, 'src/main.ts')],
    outfile: OUTFILE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [externals, sourceUrls],
  });
  return Date.now() - started;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ms = await buildServer().catch(() => process.exit(1)); // esbuild has printed why
  console.log(`server built: ${relative(process.cwd(), OUTFILE)} (${ms} ms)`);
}
