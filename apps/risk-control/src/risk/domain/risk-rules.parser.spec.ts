import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

import { RiskRulesInvalidError } from './risk.errors';
import { parseRiskRules } from './risk-rules.parser';

const minimal = {
  defaultChannel: { reviewAboveMinor: 100, rejectAboveMinor: 200 },
  velocity: { windowSeconds: 60 },
};

describe('parseRiskRules', () => {
  it('reads the default rules file shipped with the service', () => {
    const file = path.resolve(__dirname, '../../../config/risk-rules.yaml');
    const rules = parseRiskRules(parse(readFileSync(file, 'utf8')));
    expect(rules.defaultChannel.rejectAboveMinor).toBeGreaterThan(rules.defaultChannel.reviewAboveMinor);
    expect(rules.passFirst?.maxAmountMinor).toBeGreaterThan(0);
  });

  it('fills optional parts and normalises lists and channel names', () => {
    const rules = parseRiskRules({
      ...minimal,
      channels: { AliPay: { trusted: true, reviewAboveMinor: 1, rejectAboveMinor: 2 } },
      blockLists: { emails: [' Fraud@Example.com '], emailDomains: ['@Spam.Test'] },
    });
    expect(rules.channels.alipay?.trusted).toBe(true);
    expect(rules.defaultChannel.trusted).toBe(false);
    expect(rules.blockLists).toEqual({
      emails: ['fraud@example.com'],
      emailDomains: ['spam.test'],
      ips: [],
      devices: [],
    });
    expect(rules.passFirst).toBeUndefined();
  });

  it.each([
    ['not a mapping', 'rules', /the rules must be a mapping/],
    ['no default channel', { velocity: { windowSeconds: 1 } }, /defaultChannel must be a mapping/],
    [
      'a typo in a key',
      { ...minimal, velocity: { windowSeconds: 60, perEmail: { rejectAbvoe: 3 } } },
      /velocity\.perEmail\.rejectAbvoe is not a known setting/,
    ],
    [
      'a negative amount',
      { ...minimal, passFirst: { maxAmountMinor: -1 } },
      /passFirst\.maxAmountMinor must be a whole number/,
    ],
    [
      'reject below review',
      { ...minimal, defaultChannel: { reviewAboveMinor: 5, rejectAboveMinor: 1 } },
      /rejectAboveMinor must not be below/,
    ],
    ['a zero window', { ...minimal, velocity: { windowSeconds: 0 } }, /windowSeconds must be at least 1/],
    [
      'a block list that is not a list',
      { ...minimal, blockLists: { emails: 'a@b.c' } },
      /blockLists\.emails must be a list/,
    ],
  ])('refuses %s, saying where', (_what, raw, message) => {
    expect(() => parseRiskRules(raw)).toThrow(RiskRulesInvalidError);
    expect(() => parseRiskRules(raw)).toThrow(message);
  });
});
