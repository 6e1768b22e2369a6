import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { checkKey, type FileStorage } from './storage';

export interface S3StorageOptions {
  bucket: string;
  /** An S3-compatible server's URL (MinIO, Ceph, R2, …); AWS's own endpoint when absent. */
  endpoint?: string | undefined;
  region: string;
  /** Both or neither: without them the SDK's default chain (environment, instance role) is used. */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key` (most self-hosted servers want this). */
  forcePathStyle: boolean;
  /** Prepended to every key, so one bucket can hold several deployments. */
  prefix: string;
}

/**
 * An S3-compatible bucket (FILE_S3_BUCKET, docs/OPERATIONS.md "Files"). One object per key; the
 * keys are the same server-made ids as the folder's. A missing object reads as null and deleting
 * one is not an error, as the port says; every other failure (network, credentials, a missing
 * bucket) throws, and the HTTP route answers 500 for it.
 */
export class S3Storage implements FileStorage {
  private readonly client: S3Client;

  constructor(private readonly opts: S3StorageOptions) {
    if (!opts.accessKeyId !== !opts.secretAccessKey)
      throw new Error('FILE_S3_ACCESS_KEY_ID and FILE_S3_SECRET_ACCESS_KEY go together: set both or neither');
    const config: S3ClientConfig = { region: opts.region, forcePathStyle: opts.forcePathStyle };
    if (opts.endpoint) config.endpoint = opts.endpoint;
    if (opts.accessKeyId && opts.secretAccessKey)
      config.credentials = { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey };
    this.client = new S3Client(config);
  }

  private key(key: string): string {
    return this.opts.prefix + checkKey(key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.opts.bucket,
        Key: this.key(key),
        Body: bytes,
        ContentLength: bytes.byteLength,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.opts.bucket, Key: this.key(key) }),
      );
      if (!res.Body) return Buffer.alloc(0);
      return Buffer.from(await res.Body.transformToByteArray());
    } catch (e) {
      if (e instanceof NoSuchKey) return null;
      if (e instanceof S3ServiceException && e.$metadata.httpStatusCode === 404 && e.name !== 'NoSuchBucket')
        return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a missing key too.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.key(key) }));
  }

  close(): void {
    this.client.destroy();
  }
}
