/**
 * Kind 7: a frontend deploy at T ships checkout code that Safari 17 on iOS
 * runs differently: from T those browsers send checkouts without a payment
 * token (500 from the checkout service) and report a script error from
 * /checkout to the error beacon; customers on iPhones write in. Other
 * browsers, Safari on macOS and older iOS Safari are fine.
 */
import { HUMAN_AGENTS } from '../agents.js';
import { addRoutine, assemble, nearTimeOfDay, onsetTolerance } from '../assemble.js';
import { HOUR, MINUTE, SECOND } from '../clock.js';
import { missingPaymentToken } from '../failures.js';
import { Rng } from '../random.js';
import { drawHumanAgent } from '../side-inputs.js';
import type { Scenario } from '../truth.js';
import { World } from '../world.js';

const isTarget = (ua: string) =>
  HUMAN_AGENTS.some(
    (a) => a.ua === ua && a.browser === 'Mobile Safari' && a.major === 17 && a.os === 'iOS',
  );
const SCRIPT_ERRORS = [
  "TypeError: undefined is not an object (evaluating 'n.paymentRequest.methodData[0]')",
  "TypeError: undefined is not an object (evaluating 'window.ApplePaySession.supportsVersion')",
];
const COMPLAINTS = [
  'Pay button does nothing on my iPhone',
  'Checkout fails with an error after I enter my card',
  'Stuck on the payment step, tried three times',
  'Order not going through on mobile',
  'Cannot finish checkout, page just reloads',
];

export function browserSpecificFailure(seed: number): Scenario {
  const world = new World({ seed, spanHours: [5, 12] });
  const rng = world.rng;
  const span = world.to - world.from;
  const frontend = world.services.frontend;
  const checkout = world.services.checkout;
  world.endpoint('checkout.submit').weight *= rng.uniform(3, 5);
  const releaseAt = Math.round((world.from + span * rng.uniform(0.35, 0.65)) / SECOND) * SECOND;
  const deploy = world.changes.deploy(
    releaseAt,
    frontend,
    world.hosts,
    rng.pick([
      'new checkout flow with wallet buttons',
      'payment step rewritten with Payment Request API',
    ]),
  );
  world.blamed.add(deploy.id);
  const brokenFrom = releaseAt + rng.int(60, 180) * SECOND;
  const scriptError = rng.pick(SCRIPT_ERRORS);
  let firstError = Number.POSITIVE_INFINITY;
  world.onRequest((req) => {
    if (req.time < brokenFrom || !isTarget(req.client.ua)) return;
    if (req.endpoint.id === 'checkout.submit') {
      req.failure = missingPaymentToken(checkout);
      req.status = req.failure.status;
      req.note = undefined;
      firstError = Math.min(firstError, req.time);
    } else if (req.endpoint.id === 'frontend.beacon') {
      req.note = `client error on /checkout: ${scriptError}`;
      req.extra = '"page":"/checkout"';
      firstError = Math.min(firstError, req.time);
    }
  });
  // Each failing checkout is followed by a beacon from the same kind of browser.
  const submit = world.endpoint('checkout.submit');
  const share = submit.weight / world.endpoints.reduce((sum, e) => sum + e.weight, 0);
  world.addLoad(
    'frontend.beacon',
    (t) => (t >= brokenFrom ? world.requestRate(t) * share * 0.15 : 0),
    (c) => isTarget(c.ua),
  );
  const reportRng = Rng.stream(seed, 'reports');
  const complaints = reportRng.int(8, 20);
  for (let i = 0; i < complaints; i++) {
    const fromTarget = reportRng.chance(0.85);
    let agent = drawHumanAgent(reportRng);
    while (fromTarget !== isTarget(agent.ua)) agent = drawHumanAgent(reportRng);
    world.reports.push({
      time: Math.round(reportRng.uniform(brokenFrom + 10 * MINUTE, world.to) / SECOND) * SECOND,
      userAgent: agent.ua,
      page: '/checkout',
      description: reportRng.pick(COMPLAINTS),
    });
  }
  addRoutine(world, {
    keepOut: [[releaseAt - 3 * HOUR, releaseAt + 30 * MINUTE]],
    cronForbidden: nearTimeOfDay(world, releaseAt, 20, 5),
    reports: [0, 3],
  });
  return assemble(
    world,
    'browser-specific-failure',
    `checkout fails on iOS Safari 17 after ${frontend.name} ${frontend.version}`,
    `From the ${frontend.name} deploy ${deploy.id}, checkouts from Mobile Safari 17 on iOS fail (500, script errors from /checkout); bug reports come mostly from iPhones.`,
    () => ({
      onset: { time: firstError, toleranceMs: onsetTolerance(world) },
      contrasts: [
        { attribute: 'browser', value: 'Mobile Safari 17' },
        { attribute: 'os', value: 'iOS' },
      ],
      reports: [
        { attribute: 'browser', value: 'Mobile Safari 17' },
        { attribute: 'os', value: 'iOS' },
        { attribute: 'page', value: '/checkout' },
      ],
      hosts: { concentrated: 'all' },
    }),
  );
}
