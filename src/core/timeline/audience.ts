import { UserError } from '../errors.js';
import { AUDIENCES, type Audience } from './entry.js';

export function parseAudience(value: string): Audience {
  const normalized = value.trim().toLowerCase();
  const aliases: Record<string, Audience> = {
    responders: 'responders',
    responder: 'responders',
    team: 'responders',
    support: 'support',
    executives: 'executives',
    execs: 'executives',
    leadership: 'executives',
    customers: 'customers',
    customer: 'customers',
    public: 'customers',
  };
  // Own keys only: "constructor" must not find Object.prototype.constructor.
  const audience = Object.hasOwn(aliases, normalized) ? aliases[normalized] : undefined;
  if (!audience) {
    throw new UserError(`unknown audience "${value}"; use one of ${AUDIENCES.join(', ')}`);
  }
  return audience;
}
