export * from './ftpsctl-error';
export * from './exit-codes';
export * from './errno-text';
