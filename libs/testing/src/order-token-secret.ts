import { randomBytes } from 'node:crypto';

/**
 * The order-token secret of one test run (there is no default in the services): every service a test starts
 * gets it as ORDER_TOKEN_SECRET unless the test or the environment names its own, so orders, delivery and
 * the console of one test agree, and a test can make or check buyer tokens with it.
 */
export const TEST_ORDER_TOKEN_SECRET = randomBytes(32).toString('base64url');

/** ORDER_TOKEN_SECRET for a service process, unless its env or the surrounding one already sets one. */
export function orderTokenSecretDefault(
  parent: NodeJS.ProcessEnv,
  own: Record<string, string> | undefined,
): Record<string, string> {
  const named = (env: Record<string, string | undefined>) =>
    env.ORDER_TOKEN_SECRET || env.ORDER_TOKEN_SECRET_FILE;
  return named(parent) || named(own ?? {}) ? {} : { ORDER_TOKEN_SECRET: TEST_ORDER_TOKEN_SECRET };
}
