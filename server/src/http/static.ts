import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { HttpResponse } from '../core';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.tmj': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves a folder of small files from memory (the built web client, the maps). Paths are
 * normalised and must stay inside the folder; unknown paths under `spaFallback` get index.html.
 */
export class StaticFiles {
  private readonly cache = new Map<string, HttpResponse>();
  private readonly root: string;

  constructor(
    dir: string,
    private readonly spaFallback: boolean,
  ) {
    this.root = resolve(dir);
  }

  get available(): boolean {
    return existsSync(this.root);
  }

  serve(urlPath: string): HttpResponse {
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath.split('?')[0] ?? '/');
    } catch {
      return { status: 400, body: 'bad path' };
    }
    if (rel.includes('\0')) return { status: 400, body: 'bad path' };
    if (rel.endsWith('/')) rel += 'index.html';
    const full = normalize(join(this.root, rel));
    if (full !== this.root && !full.startsWith(this.root + sep)) return { status: 403, body: 'forbidden' };
    const hit = this.load(full) ?? this.load(join(full, 'index.html')); // `/admin` is `/admin/`
    if (hit) return hit;
    if (this.spaFallback && !extname(rel)) return this.load(join(this.root, 'index.html')) ?? notFound;
    return notFound;
  }

  private load(full: string): HttpResponse | null {
    const cached = this.cache.get(full);
    if (cached) return cached;
    if (!existsSync(full) || !statSync(full).isFile()) return null;
    const immutable = full.includes(`${sep}assets${sep}`); // Vite's hashed file names
    const res: HttpResponse = {
      status: 200,
      headers: {
        'content-type': TYPES[extname(full)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      },
      body: readFileSync(full),
    };
    this.cache.set(full, res);
    return res;
  }
}

const notFound: HttpResponse = { status: 404, body: 'not found' };
