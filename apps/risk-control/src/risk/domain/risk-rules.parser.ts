import { RiskRulesInvalidError } from './risk.errors';
import {
  type BlockLists,
  type ChannelRules,
  type CountLimits,
  type RiskRules,
  type VelocityRules,
} from './risk-rules';

type Plain = Record<string, unknown>;

/**
 * Checks what the rules file parsed into (YAML or JSON) and returns typed rules, or throws with every
 * problem and its path, so an operator fixes the file in one go. Unknown keys are refused: a typo such
 * as `rejectAbvoe` must not silently switch a limit off.
 */
export function parseRiskRules(raw: unknown): RiskRules {
  const problems: string[] = [];
  const root = object(raw, '', problems);
  known(
    root,
    ['channels', 'defaultChannel', 'passFirst', 'velocity', 'blockLists', 'firstOrder'],
    '',
    problems,
  );

  const channels: Record<string, ChannelRules> = {};
  for (const [name, value] of Object.entries(object(root.channels ?? {}, 'channels', problems))) {
    channels[name.toLowerCase()] = channel(value, `channels.${name}`, problems);
  }
  const rules: RiskRules = {
    channels,
    defaultChannel: channel(root.defaultChannel, 'defaultChannel', problems),
    velocity: velocity(root.velocity, problems),
    blockLists: blockLists(root.blockLists ?? {}, problems),
  };
  if (root.passFirst !== undefined) {
    const passFirst = object(root.passFirst, 'passFirst', problems);
    known(passFirst, ['maxAmountMinor'], 'passFirst', problems);
    rules.passFirst = {
      maxAmountMinor: amount(passFirst.maxAmountMinor, 'passFirst.maxAmountMinor', problems),
    };
  }
  if (root.firstOrder !== undefined) {
    const firstOrder = object(root.firstOrder, 'firstOrder', problems);
    known(firstOrder, ['reviewAboveMinor'], 'firstOrder', problems);
    rules.firstOrder = {
      reviewAboveMinor: amount(firstOrder.reviewAboveMinor, 'firstOrder.reviewAboveMinor', problems),
    };
  }
  if (problems.length > 0) throw new RiskRulesInvalidError(problems);
  return rules;
}

function channel(raw: unknown, path: string, problems: string[]): ChannelRules {
  const value = object(raw, path, problems);
  known(value, ['trusted', 'reviewAboveMinor', 'rejectAboveMinor'], path, problems);
  const rules = {
    trusted: value.trusted === undefined ? false : bool(value.trusted, `${path}.trusted`, problems),
    reviewAboveMinor: amount(value.reviewAboveMinor, `${path}.reviewAboveMinor`, problems),
    rejectAboveMinor: amount(value.rejectAboveMinor, `${path}.rejectAboveMinor`, problems),
  };
  if (rules.rejectAboveMinor < rules.reviewAboveMinor) {
    problems.push(`${path}: rejectAboveMinor must not be below reviewAboveMinor`);
  }
  return rules;
}

function velocity(raw: unknown, problems: string[]): VelocityRules {
  const value = object(raw, 'velocity', problems);
  known(value, ['windowSeconds', 'perEmail', 'perIp', 'perDevice'], 'velocity', problems);
  const rules: VelocityRules = {
    windowSeconds: amount(value.windowSeconds, 'velocity.windowSeconds', problems),
  };
  if (rules.windowSeconds < 1) problems.push('velocity.windowSeconds must be at least 1');
  for (const key of ['perEmail', 'perIp', 'perDevice'] as const) {
    if (value[key] !== undefined) rules[key] = counts(value[key], `velocity.${key}`, problems);
  }
  return rules;
}

function counts(raw: unknown, path: string, problems: string[]): CountLimits {
  const value = object(raw, path, problems);
  known(value, ['reviewAbove', 'rejectAbove'], path, problems);
  const limits: CountLimits = {};
  if (value.reviewAbove !== undefined)
    limits.reviewAbove = amount(value.reviewAbove, `${path}.reviewAbove`, problems);
  if (value.rejectAbove !== undefined)
    limits.rejectAbove = amount(value.rejectAbove, `${path}.rejectAbove`, problems);
  return limits;
}

function blockLists(raw: unknown, problems: string[]): BlockLists {
  const value = object(raw, 'blockLists', problems);
  known(value, ['emails', 'emailDomains', 'ips', 'devices'], 'blockLists', problems);
  const list = (key: keyof BlockLists) => strings(value[key] ?? [], `blockLists.${key}`, problems);
  return {
    // Emails and domains compare case-insensitively, as mail systems do.
    emails: list('emails').map((email) => email.trim().toLowerCase()),
    emailDomains: list('emailDomains').map((domain) => domain.trim().toLowerCase().replace(/^@/, '')),
    ips: list('ips').map((ip) => ip.trim()),
    devices: list('devices').map((device) => device.trim()),
  };
}

function object(raw: unknown, path: string, problems: string[]): Plain {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return raw as Plain;
  problems.push(`${path || 'the rules'} must be a mapping`);
  return {};
}

function known(value: Plain, keys: string[], path: string, problems: string[]): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) problems.push(`${path ? `${path}.` : ''}${key} is not a known setting`);
  }
}

function amount(raw: unknown, path: string, problems: string[]): number {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return raw;
  problems.push(`${path} must be a whole number ≥ 0, got ${JSON.stringify(raw)}`);
  return 0;
}

function bool(raw: unknown, path: string, problems: string[]): boolean {
  if (typeof raw === 'boolean') return raw;
  problems.push(`${path} must be true or false`);
  return false;
}

function strings(raw: unknown, path: string, problems: string[]): string[] {
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw as string[];
  problems.push(`${path} must be a list of strings`);
  return [];
}
