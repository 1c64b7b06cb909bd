/** The embedded FTPS server: see embedded-server.ts. */
export { startEmbeddedServer, type EmbeddedServer } from './embedded-server';
export type { EmbeddedServerOptions } from './server-options';
