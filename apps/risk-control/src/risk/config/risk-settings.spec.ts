import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ConfigError } from '@keyflow/service-kit';

import { DEFAULT_RULES_FILE, loadRiskSettings } from './risk-settings';

const write = (name: string, text: string) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'risk-rules-')), name);
  writeFileSync(file, text);
  return file;
};

describe('loadRiskSettings', () => {
  it('uses the shipped rules file and the default SLA when nothing is set', () => {
    const settings = loadRiskSettings({});
    expect(settings).toMatchObject({
      rulesFile: DEFAULT_RULES_FILE,
      reviewSlaSeconds: 600,
      workerPollMs: 30000,
    });
  });

  it('reads a JSON rules file as well as YAML', () => {
    const file = write(
      'rules.json',
      JSON.stringify({
        defaultChannel: { reviewAboveMinor: 1, rejectAboveMinor: 2 },
        velocity: { windowSeconds: 60 },
      }),
    );
    const settings = loadRiskSettings({ RISK_RULES_FILE: file, RISK_REVIEW_SLA_SECONDS: '30' });
    expect(settings.rules.velocity.windowSeconds).toBe(60);
    expect(settings.reviewSlaSeconds).toBe(30);
  });

  it.each([
    [
      'a missing file',
      { RISK_RULES_FILE: '/nonexistent/rules.yaml' },
      /cannot read \/nonexistent\/rules\.yaml \(ENOENT\)/,
    ],
    ['broken YAML', { RISK_RULES_FILE: write('bad.yaml', 'channels: [') }, /not valid YAML\/JSON/],
    [
      'invalid rules',
      { RISK_RULES_FILE: write('bad.yaml', 'velocity: {}') },
      /defaultChannel must be a mapping/,
    ],
    ['a bad SLA', { RISK_REVIEW_SLA_SECONDS: '0' }, /RISK_REVIEW_SLA_SECONDS must be a positive integer/],
  ])('stops the service with a ConfigError on %s', (_what, env, message) => {
    expect(() => loadRiskSettings(env)).toThrow(ConfigError);
    expect(() => loadRiskSettings(env)).toThrow(message);
  });
});
