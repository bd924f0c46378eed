import { type Provider } from '@nestjs/common';

import { loadSandboxKeys } from '../keys/sandbox-keys';
import { SANDBOX_CONFIG, type SandboxConfig } from '../sandbox.config';

export const SANDBOX_KEYS = Symbol('SANDBOX_KEYS');

export const sandboxKeysProvider: Provider = {
  provide: SANDBOX_KEYS,
  useFactory: (config: SandboxConfig) => loadSandboxKeys(config.keysDir),
  inject: [SANDBOX_CONFIG],
};
