/** Plain HTTP request/response shapes, so route handlers never see uWS objects. The contract lives in core because both the transport (net/uws.ts) and the routes (http/) speak it, and neither may import the other. */
export interface HttpRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  ip: string;
  body: Buffer;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface HttpRoute {
  method: 'GET' | 'POST' | 'ANY';
  /** Exact path, or a prefix when it ends with `/*`. */
  path: string;
  handle(req: HttpRequest): Promise<HttpResponse> | HttpResponse;
  /** Largest body this route takes (default MAX_HTTP_BODY_BYTES); a bigger one gets 413 unread. */
  maxBodyBytes?: number;
}

export const json = (status: number, value: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

/** Admin bodies are small; bigger bodies are refused before they are buffered. */
export const MAX_HTTP_BODY_BYTES = 64 * 1024;
