import { numberAtLeast } from '@keyflow/service-kit';

import { type AdmissionPolicy } from '../../domain/admission';

export const ADMISSION_SETTINGS = Symbol('ADMISSION_SETTINGS');

export interface AdmissionSettings {
  policy: AdmissionPolicy;
  /** How long one reading of the backlog serves every checkout (per replica), in ms. */
  cacheMs: number;
  /** The window the completion rate is measured over, in seconds. */
  rateWindowSeconds: number;
  /** How long the best rate seen counts as the pipeline's capacity (see CapacityMemory), in seconds. */
  capacityMemorySeconds: number;
  /** Checkouts one process works on at once before it sheds at the door; `undefined`: no cap. */
  maxInFlight?: number;
}

/** See apps/orders/README.md, "Admission control at checkout". */
export function admissionSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AdmissionSettings {
  const number = (name: string, fallback: number, min = 0) => numberAtLeast(env, name, fallback, min);
  const off = env.ADMISSION_MAX_BACKLOG?.trim().toLowerCase() === 'off';
  const drainOff = env.ADMISSION_MAX_DRAIN_SECONDS?.trim().toLowerCase() === 'off';
  const minRetryAfterSeconds = number('ADMISSION_MIN_RETRY_AFTER_SECONDS', 1, 1);
  const maxRetryAfterSeconds = number('ADMISSION_MAX_RETRY_AFTER_SECONDS', 30, minRetryAfterSeconds);
  return {
    policy: {
      maxBacklog: off ? undefined : Math.floor(number('ADMISSION_MAX_BACKLOG', 2000, 0)),
      maxDrainSeconds: drainOff ? undefined : number('ADMISSION_MAX_DRAIN_SECONDS', 20, 1),
      minBacklog: Math.floor(number('ADMISSION_MIN_BACKLOG', 200, 0)),
      minRetryAfterSeconds: Math.ceil(minRetryAfterSeconds),
      maxRetryAfterSeconds: Math.ceil(maxRetryAfterSeconds),
    },
    cacheMs: number('ADMISSION_BACKLOG_CACHE_MS', 1000, 0),
    rateWindowSeconds: number('ADMISSION_RATE_WINDOW_SECONDS', 10, 1),
    capacityMemorySeconds: number('ADMISSION_CAPACITY_MEMORY_SECONDS', 3600, 0),
    maxInFlight:
      env.CHECKOUT_MAX_IN_FLIGHT?.trim().toLowerCase() === 'off'
        ? undefined
        : Math.floor(number('CHECKOUT_MAX_IN_FLIGHT', 64, 1)),
  };
}
