import type { HttpRoute } from '../../core';
import type { FileService } from './service';

/** The HTTP side of files (R-FILE-1): uploads and downloads, not over the WebSocket. */
export function fileRoutes(files: FileService, maxBytes: number): HttpRoute[] {
  return [
    { method: 'POST', path: '/files', maxBodyBytes: maxBytes, handle: (req) => files.upload(req) },
    { method: 'GET', path: '/files/*', handle: (req) => files.download(req) },
  ];
}
