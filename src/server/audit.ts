import type { Caller } from './auth/authenticate.js';
import type { ServerDeps } from './deps.js';

/** One line of the audit log: who (or which address, before login), did what, to what. */
export async function recordAudit(
  deps: ServerDeps,
  caller: Caller,
  action: string,
  target: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await deps.accounts.audit({
    at: deps.clock.now(),
    actor: caller.account?.name ?? '(anonymous)',
    action,
    target,
    sourceIp: caller.ip,
    detail: { ...detail, via: caller.via },
  });
}
