import { compilePolicy, parsePolicy } from '../policy/compile';
import type { Policy } from '../policy/policy';

/** A compiled policy from a plain object, for tests beside the checks. */
export const policyOf = (json: object): Policy => compilePolicy(parsePolicy(JSON.stringify(json), '/p/lifeguard.json'));
