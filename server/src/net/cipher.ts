/** AES-256-GCM on node:crypto: one copy, shared with the SDK's Node path and the bench. */
export { NodeGcm } from '@imw/shared/sdk/node';
