/** The ftpsctl library: usable without the CLI. */
export * from './session';
export * from './policy';
export * from './errors';
export * from './engine';
