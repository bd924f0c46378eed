import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter replaces unknown errors with "Internal server error". The Kafka transport
 * needs the real error to decide between retrying and dead-lettering (and to write the reason), so
 * microservice handlers' errors pass through unchanged.
 */
@Catch()
export class RethrowRpcErrorsFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
