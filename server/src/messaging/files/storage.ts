import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where file bytes live (#16). Keys are server-made ids (`[A-Za-z0-9_-]` and a `.thumb` suffix),
 * never a client's file name. Two backends: a folder (FolderStorage, the default) and an
 * S3-compatible bucket (S3Storage in s3.ts, when FILE_S3_BUCKET is set; docs/OPERATIONS.md, "Files").
 */
export interface FileStorage {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or null when there is no such key. */
  get(key: string): Promise<Buffer | null>;
  /** Removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9_-]{16,64}(\.thumb)?$/;

export function checkKey(key: string): string {
  if (!KEY.test(key)) throw new RangeError(`bad storage key ${JSON.stringify(key)}`);
  return key;
}

/** A folder on disk (default DATA_DIR/files); writes go to a temporary name, then rename. */
export class FolderStorage implements FileStorage {
  private ready: Promise<unknown> | null = null;

  constructor(readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, checkKey(key));
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready;
    const final = this.path(key);
    const tmp = `${final}.part`;
    await writeFile(tmp, bytes);
    await rename(tmp, final);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
