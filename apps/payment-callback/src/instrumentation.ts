// First import of main.ts: tracing must patch http and pg before anything loads them.
import { startTracing } from '@keyflow/observability';

startTracing('payment-callback');
