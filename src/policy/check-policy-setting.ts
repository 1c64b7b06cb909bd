/** A policy <setting> element against the catalog of settings a policy can manage. */
import { findSetting } from '../settings/settings-catalog';
import { closestMatch } from '../text/closest-match';
import { globProblem } from './glob';
import type { PolicySetting } from './policy';
import { coerceValue, policyCatalog } from './policy-catalog';
import type { PolicyDocument } from './policy-document';
import { decodeXmlText } from './xml-text';
import type { XmlPosition } from './xml-positions';

/** Reports a problem at a position of the policy file. */
export type Reporter = (position: XmlPosition | undefined, message: string) => void;

/**
 * One <setting> checked against the policy catalog: a known path, an enforcement kind the
 * setting accepts, globs for allow/deny lists, a value of the setting's type (coerced from XML
 * text). Each problem is reported at the attribute or <value> it concerns.
 * @returns the setting without its position, or undefined when a problem was reported
 */
export function checkSetting(
  element: NonNullable<PolicyDocument['policy']['setting']>[number],
  attributeAt: (attribute: string) => XmlPosition,
  valueAt: (index: number) => XmlPosition,
  at: Reporter,
  listing: () => boolean,
): Omit<PolicySetting, 'line' | 'column'> | undefined {
  const catalog = policyCatalog();
  const path = element['@_path'];
  const enforce = element['@_enforce'];
  const entry = catalog.get(path);
  if (!entry && findSetting(path)) {
    at(
      attributeAt('path'),
      `${path} is a profile setting that policies do not manage; see "Policy can enforce" in the settings reference (README.md)`,
    );
    return undefined;
  }
  if (!entry) {
    const suggestion = listing() ? closestMatch(path, catalog.keys()) : undefined; // unlisted: no search
    at(
      attributeAt('path'),
      `unknown setting path "${path}"; ${suggestion ? `did you mean "${suggestion}"?` : 'see the settings reference in README.md for the paths a policy can manage'}`,
    );
    return undefined;
  }
  if (!entry.enforce.includes(enforce)) {
    at(attributeAt('enforce'), `${path} does not accept enforce="${enforce}"; it accepts ${entry.enforce.join(', ')}`);
    return undefined;
  }
  const texts = element.value
    ? element.value.map(decodeXmlText)
    : element['#text'] !== undefined
      ? [decodeXmlText(element['#text'])]
      : [];
  if (element.value && element['#text'] !== undefined) {
    at(attributeAt('path'), `<setting path="${path}"> has both text and <value> elements; use one form`);
    return undefined;
  }
  if (enforce === 'allow' || enforce === 'deny') {
    if (!element.value || element.value.length === 0) {
      at(
        attributeAt('enforce'),
        `${enforce === 'allow' ? 'an' : 'a'} ${enforce} list needs one or more <value> elements, e.g. <value>*.corp.example</value>`,
      );
      return undefined;
    }
    const badIndex = texts.findIndex((glob) => globProblem(glob, 'host', path) !== undefined);
    if (badIndex >= 0) {
      at(
        valueAt(badIndex),
        `${path} ${enforce} glob "${texts[badIndex]}" ${globProblem(texts[badIndex], 'host', path) ?? ''}`,
      );
      return undefined;
    }
    return { path, enforce, globs: texts };
  }
  const coerced = coerceValue(entry, texts);
  if ('problem' in coerced) {
    at(attributeAt('path'), coerced.problem);
    return undefined;
  }
  return { path, enforce, value: coerced.value };
}
