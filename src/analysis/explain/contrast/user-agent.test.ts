import { describe, expect, it } from 'vitest';
import { AGENTS } from './contrast.testing.js';
import {
  browserKey,
  clientFromNames,
  osKey,
  parseUserAgent,
  UserAgentCache,
} from './user-agent.js';

describe('parseUserAgent', () => {
  it.each([
    [
      AGENTS.firefox126,
      {
        browser: 'Firefox 126',
        browserFamily: 'Firefox',
        os: 'Windows',
        osVersion: 'Windows 10',
        device: 'desktop',
      },
    ],
    [
      AGENTS.safariIos,
      {
        browser: 'Mobile Safari 17',
        browserFamily: 'Mobile Safari',
        os: 'iOS',
        osVersion: 'iOS 17',
        device: 'mobile',
      },
    ],
    [
      AGENTS.safariMac,
      {
        browser: 'Safari 17',
        browserFamily: 'Safari',
        os: 'Mac OS',
        osVersion: 'Mac OS 10.15',
        device: 'desktop',
      },
    ],
    [
      AGENTS.edge,
      {
        browser: 'Edge 124',
        browserFamily: 'Edge',
        os: 'Windows',
        osVersion: 'Windows 10',
        device: 'desktop',
      },
    ],
    [
      AGENTS.samsung,
      { browser: 'Samsung Internet 24', os: 'Android', osVersion: 'Android 13', device: 'mobile' },
    ],
    [AGENTS.curl, { browser: 'curl 8', browserFamily: 'curl' }],
    [
      AGENTS.app,
      { browser: 'ShopApp 3', browserFamily: 'ShopApp', os: 'iOS', osVersion: 'iOS 17' },
    ],
  ])('%s', (ua, expected) => {
    expect(parseUserAgent(ua)).toMatchObject(expected);
  });

  it('names nothing for a missing agent', () => {
    expect(parseUserAgent('-')).toEqual({});
    expect(parseUserAgent('')).toEqual({});
  });
});

describe('UserAgentCache', () => {
  it('parses each string once while it is kept, and stays bounded', () => {
    const cache = new UserAgentCache(100);
    for (let round = 0; round < 3; round++) for (const ua of Object.values(AGENTS)) cache.get(ua);
    expect(cache.parsed).toBe(Object.keys(AGENTS).length);
    for (let i = 0; i < 10_000; i++) cache.get(`Bot${i}/1.0`);
    expect(cache.size).toBeLessThanOrEqual(200);
    expect(cache.get('Bot9999/1.0')).toEqual({ browser: 'Bot9999 1', browserFamily: 'Bot9999' });
  });
});

describe('names from bug reports', () => {
  it('match the parser names', () => {
    expect(browserKey('Mobile Safari')).toBe(browserKey('Safari'));
    expect(browserKey('Google Chrome')).toBe(browserKey('Chrome'));
    expect(browserKey('Safari on iPhone')).toBe('safari');
    expect(osKey('macOS')).toBe(osKey('Mac OS'));
    expect(osKey('OS X')).toBe('mac os');
    expect(osKey('iPadOS')).toBe('ios');
    expect(osKey('Windows 11')).toBe('windows');
  });

  it('read free text into a client', () => {
    expect(clientFromNames('Firefox 126.0.1', 'Windows 11')).toEqual({
      browser: 'Firefox 126',
      browserFamily: 'Firefox',
      os: 'Windows',
      osVersion: 'Windows 11',
    });
    expect(clientFromNames('Safari on iOS 17.4')).toEqual({
      browser: 'Safari',
      browserFamily: 'Safari',
      os: 'iOS',
      osVersion: 'iOS 17',
    });
    expect(clientFromNames('Chrome')).toEqual({ browser: 'Chrome', browserFamily: 'Chrome' });
    expect(clientFromNames(undefined, 'macOS 14.4')).toEqual({
      os: 'macOS',
      osVersion: 'macOS 14.4',
    });
  });
});
