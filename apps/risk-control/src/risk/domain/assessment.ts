import { emailDomain, type OrderFacts, type OrderHistory } from './order-facts';
import { channelRules, type RiskRules } from './risk-rules';
import { velocityVerdict } from './velocity';

/** One rule that fired: what it would decide on its own, how risky, and why in plain words. */
export interface Finding {
  rule: string;
  verdict: 'reject' | 'review';
  score: number;
  reason: string;
}

/** Exactly one outcome per assessment; `findings` keeps every rule that fired, for reviewers and audits. */
export type RiskDecision =
  | { outcome: 'approve'; mode: 'rules' | 'pass-first'; rule: string; score: number; findings: Finding[] }
  | { outcome: 'review'; rule: string; score: number; reason: string; findings: Finding[] }
  | { outcome: 'reject'; rule: string; score: number; reason: string; findings: Finding[] };

/** Scores per rule family: a block list is certain, amounts and bursts are strong signals, a first order weak. */
const SCORES = {
  blockList: 100,
  amountReject: 95,
  velocityReject: 90,
  amountReview: 70,
  velocityReview: 65,
  firstOrder: 60,
} as const;

/**
 * Evaluates the rules for a paid order. Pure and total: any facts, history and valid rules give exactly
 * one decision. Rejections always win (a block list or hard limit is never passed first); then small
 * orders from trusted channels pass first, whatever soft signals fired (those go to the audit); then any
 * review signal sends the order to a person; otherwise it is approved by the rules.
 */
export function assess(facts: OrderFacts, history: OrderHistory, rules: RiskRules): RiskDecision {
  const findings = evaluateRules(facts, history, rules);
  const strongest = (verdict: Finding['verdict']) =>
    findings.filter((f) => f.verdict === verdict).sort((a, b) => b.score - a.score)[0];
  const topScore = Math.max(approvalScore(facts, rules), ...findings.map((f) => f.score));

  const reject = strongest('reject');
  if (reject)
    return { outcome: 'reject', rule: reject.rule, score: topScore, reason: reject.reason, findings };
  if (passesFirst(facts, rules))
    return { outcome: 'approve', mode: 'pass-first', rule: 'pass-first', score: topScore, findings };
  const review = strongest('review');
  if (review)
    return { outcome: 'review', rule: review.rule, score: topScore, reason: review.reason, findings };
  return { outcome: 'approve', mode: 'rules', rule: 'within-limits', score: topScore, findings };
}

export function evaluateRules(facts: OrderFacts, history: OrderHistory, rules: RiskRules): Finding[] {
  return [
    ...blockListFindings(facts, rules),
    ...amountFindings(facts, rules),
    ...velocityFindings(facts, history, rules),
    ...firstOrderFindings(facts, history, rules),
  ];
}

export function passesFirst(facts: OrderFacts, rules: RiskRules): boolean {
  return (
    rules.passFirst !== undefined &&
    channelRules(rules, facts.paymentChannel).trusted &&
    facts.amountMinor <= rules.passFirst.maxAmountMinor
  );
}

function blockListFindings(facts: OrderFacts, rules: RiskRules): Finding[] {
  const { emails, emailDomains, ips, devices } = rules.blockLists;
  const findings: Finding[] = [];
  const block = (rule: string, reason: string) =>
    findings.push({ rule, verdict: 'reject', score: SCORES.blockList, reason });
  if (emails.includes(facts.email)) block('block-list.email', 'the buyer email is on the block list');
  const domain = emailDomain(facts.email);
  if (emailDomains.includes(domain))
    block('block-list.email-domain', `the email domain ${domain} is on the block list`);
  if (facts.clientIp && ips.includes(facts.clientIp))
    block('block-list.ip', 'the client IP is on the block list');
  if (facts.deviceId && devices.includes(facts.deviceId))
    block('block-list.device', 'the device is on the block list');
  return findings;
}

function amountFindings(facts: OrderFacts, rules: RiskRules): Finding[] {
  const limits = channelRules(rules, facts.paymentChannel);
  const amount = `${facts.amountMinor} ${facts.currency} (minor units) via ${facts.paymentChannel}`;
  if (facts.amountMinor > limits.rejectAboveMinor) {
    return [
      {
        rule: 'amount.reject',
        verdict: 'reject',
        score: SCORES.amountReject,
        reason: `${amount} is above the reject limit ${limits.rejectAboveMinor}`,
      },
    ];
  }
  if (facts.amountMinor > limits.reviewAboveMinor) {
    return [
      {
        rule: 'amount.review',
        verdict: 'review',
        score: SCORES.amountReview,
        reason: `${amount} is above the review limit ${limits.reviewAboveMinor}`,
      },
    ];
  }
  return [];
}

function velocityFindings(facts: OrderFacts, history: OrderHistory, rules: RiskRules): Finding[] {
  const { windowSeconds, perEmail, perIp, perDevice } = rules.velocity;
  const subjects = [
    { name: 'email', others: history.emailOrdersInWindow, limits: perEmail },
    // IP and device rules apply only when the order carried them and their counts were taken.
    { name: 'ip', others: facts.clientIp ? history.ipOrdersInWindow : undefined, limits: perIp },
    { name: 'device', others: facts.deviceId ? history.deviceOrdersInWindow : undefined, limits: perDevice },
  ];
  return subjects.flatMap(({ name, others, limits }) => {
    const verdict = others === undefined ? undefined : velocityVerdict(others, limits);
    if (!verdict) return [];
    return [
      {
        rule: `velocity.${name}.${verdict.verdict}`,
        verdict: verdict.verdict,
        score: verdict.verdict === 'reject' ? SCORES.velocityReject : SCORES.velocityReview,
        reason: `${verdict.count} orders from this ${name} within ${windowSeconds} s (limit ${verdict.limit})`,
      },
    ];
  });
}

function firstOrderFindings(facts: OrderFacts, history: OrderHistory, rules: RiskRules): Finding[] {
  if (!rules.firstOrder || history.earlierOrdersByEmail > 0) return [];
  if (facts.amountMinor <= rules.firstOrder.reviewAboveMinor) return [];
  return [
    {
      rule: 'first-order.review',
      verdict: 'review',
      score: SCORES.firstOrder,
      reason: `first order from this email, above ${rules.firstOrder.reviewAboveMinor}`,
    },
  ];
}

/** Without any finding the score grows with the amount towards the review limit, up to 40. */
function approvalScore(facts: OrderFacts, rules: RiskRules): number {
  const limit = Math.max(1, channelRules(rules, facts.paymentChannel).reviewAboveMinor);
  return Math.min(40, Math.max(0, Math.round((40 * facts.amountMinor) / limit)));
}
