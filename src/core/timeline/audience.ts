import { lookupAlias } from '../aliases.js';
import { UserError } from '../errors.js';
import { AUDIENCES, type Audience } from './entry.js';

export function parseAudience(value: string): Audience {
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
  const audience = lookupAlias(aliases, value);
  if (!audience) {
    throw new UserError(`unknown audience "${value}"; use one of ${AUDIENCES.join(', ')}`);
  }
  return audience;
}
