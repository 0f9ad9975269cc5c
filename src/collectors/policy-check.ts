/**
 * AWS hands back policy documents the inventory loader may refuse (an element it does not know,
 * a malformed document). One such document must not abort the whole live scan: it is left out,
 * and a collection error names the resource, so the rules that needed it answer `unknown`.
 */
import { normalizePolicyInput } from '../policy/document.js';
import type { CollectRuntime } from './runtime.js';

export interface PolicyOrigin {
  service: string;
  region?: string;
  operation: string;
  resource: string;
}

/** True when the loader will accept `document`; otherwise records `InvalidPolicyDocument`. */
export function acceptPolicy(rt: CollectRuntime, origin: PolicyOrigin, document: unknown, label = 'policy'): boolean {
  const result = normalizePolicyInput(document);
  if (result.ok) return true;
  const issue = result.errors[0];
  const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
  rt.recordError({
    ...origin,
    errorCode: 'InvalidPolicyDocument',
    message: `${label} left out: ${issue?.message ?? 'not a valid policy'}${where}`,
  });
  return false;
}
