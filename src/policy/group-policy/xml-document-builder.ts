import { XMLBuilder } from 'fast-xml-parser';

/**
 * The XMLBuilder of the generated documents (ADMX, ADML, policy.xsd): attributes under `@_`,
 * two-space indent, empty elements self-closed, `attr="false"` kept as written.
 */
export const xmlDocumentBuilder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});
