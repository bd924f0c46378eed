/**
 * The risk rules, as read from the rules file (RISK_RULES_FILE). Amounts are integer minor units (fen,
 * cents) of the order's currency; counts include the order being assessed.
 */
export interface AmountLimits {
  /** Orders above this amount wait for a person. */
  reviewAboveMinor: number;
  /** Orders above this amount are refused outright. */
  rejectAboveMinor: number;
}

export interface ChannelRules extends AmountLimits {
  /** Trusted channels may pass small orders first and have them audited later. */
  trusted: boolean;
}

export interface CountLimits {
  /** More orders than this within the window → review. */
  reviewAbove?: number;
  /** More orders than this within the window → reject. */
  rejectAbove?: number;
}

export interface VelocityRules {
  windowSeconds: number;
  perEmail?: CountLimits;
  /** Applied only when the order carries the buyer's IP. */
  perIp?: CountLimits;
  /** Applied only when the order carries a device id. */
  perDevice?: CountLimits;
}

export interface BlockLists {
  emails: string[];
  emailDomains: string[];
  ips: string[];
  devices: string[];
}

export interface RiskRules {
  /** Limits per payment channel; channels not listed use `defaultChannel`. */
  channels: Record<string, ChannelRules>;
  defaultChannel: ChannelRules;
  /** Small orders from trusted channels are approved at once and audited later; absent = off. */
  passFirst?: { maxAmountMinor: number };
  velocity: VelocityRules;
  blockLists: BlockLists;
  /** The first order seen from an email above this amount goes to review; absent = off. */
  firstOrder?: { reviewAboveMinor: number };
}

export function channelRules(rules: RiskRules, channel: string): ChannelRules {
  return rules.channels[channel.toLowerCase()] ?? rules.defaultChannel;
}
