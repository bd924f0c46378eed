import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

import { ConfigError, positiveInt } from '@keyflow/service-kit';

import { type RiskRules } from '../domain/risk-rules';
import { parseRiskRules } from '../domain/risk-rules.parser';

export const RISK_SETTINGS = Symbol('RISK_SETTINGS');

export interface RiskSettings {
  rules: RiskRules;
  rulesFile: string;
  /** A review waiting longer than this raises risk.review-overdue.v1 (once). */
  reviewSlaSeconds: number;
  /** How often the review SLA is checked. */
  workerPollMs: number;
}

/** The shipped rules: apps/risk-control/config, found from src/risk/config and from dist/risk/config alike. */
export const DEFAULT_RULES_FILE = path.resolve(__dirname, '../../../config/risk-rules.yaml');

/**
 * Reads the settings and the rules file once at start. A bad variable or rules file stops the service with
 * ConfigError naming it (exit 78), rather than running with rules nobody meant.
 */
export function loadRiskSettings(env: NodeJS.ProcessEnv = process.env): RiskSettings {
  const rulesFile = env.RISK_RULES_FILE || DEFAULT_RULES_FILE;
  try {
    return {
      rules: parseRiskRules(readRulesFile(rulesFile)),
      rulesFile,
      reviewSlaSeconds: positiveInt(env, 'RISK_REVIEW_SLA_SECONDS', 600),
      workerPollMs: positiveInt(env, 'RISK_WORKER_POLL_MS', 30000),
    };
  } catch (error) {
    throw new ConfigError(`risk-control: invalid configuration: ${(error as Error).message}`);
  }
}

/** YAML is a superset of JSON, so one parser reads both. */
function readRulesFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `RISK_RULES_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return parse(text);
  } catch (error) {
    throw new Error(`RISK_RULES_FILE: ${file} is not valid YAML/JSON: ${(error as Error).message}`);
  }
}
