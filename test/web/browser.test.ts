/** Without Chromium the browser tests fail, saying how to install it (they never skip). */
import { expect, it } from 'vitest';
import { launchChromium } from './browser.js';

it('fails with how to install Chromium when it is missing', async () => {
  await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
    /Chromium is not installed at \/nonexistent\/chromium.*apt-get install -y --no-install-recommends chromium/,
  );
});
