import { z } from 'zod';

/**
 * Import this module FIRST in a page whose Content-Security-Policy has no 'unsafe-eval' (ours,
 * R-SEC-14). zod 4 decides per object schema, when the schema is created, whether to compile a
 * fast parser with `new Function`, after probing whether it may; under the CSP the probe itself
 * is reported as a violation. Jitless parsing never tries. It must be configured before any
 * schema exists, that is before the protocol's packet tables are imported — hence a module of
 * its own with a side effect, imported ahead of the SDK.
 */
z.config({ jitless: true });
