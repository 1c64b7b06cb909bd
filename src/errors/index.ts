export * from './ftpsctl-error';
export * from './exit-codes';
