/** A test PKI made at test time in pure Node: see create-test-pki.ts. */
export type { PemPair, TestPki, TestPkiOptions } from './test-pki';
export { createTestPki } from './create-test-pki';
