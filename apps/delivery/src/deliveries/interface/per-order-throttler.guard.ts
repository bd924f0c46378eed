import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/**
 * Rate limits per order rather than per client address: buyers reach delivery through the console, so
 * every buyer shares the console's address, and one busy shop must not lock all its buyers out.
 */
@Injectable()
export class PerOrderThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const params = request.params as Record<string, string> | undefined;
    return `order:${params?.orderId ?? 'none'}`;
  }
}
