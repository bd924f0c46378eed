import { exportedMetricNames, metricSamples, metricValue } from './prometheus-text';

const TEXT = `# HELP keyflow_order_stage_seconds Time in a stage
# TYPE keyflow_order_stage_seconds histogram
keyflow_order_stage_seconds_bucket{le="1",stage="risk",service="orders"} 2
keyflow_order_stage_seconds_bucket{le="+Inf",stage="risk",service="orders"} 3
keyflow_order_stage_seconds_count{stage="risk",service="orders"} 3
keyflow_order_stage_seconds_count{stage="payment",service="orders"} 4
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total{service="orders"} 1.5
odd_label{note="a \\"quoted\\" word, with comma"} 7
`;

describe('Prometheus text for tests', () => {
  it('reads samples with their labels, quoted commas and escapes included', () => {
    expect(metricSamples(TEXT).at(-1)).toEqual({
      name: 'odd_label',
      labels: { note: 'a \\"quoted\\" word, with comma' },
      value: 7,
    });
  });

  it('sums the samples whose labels match, and is 0 for none', () => {
    expect(metricValue(TEXT, 'keyflow_order_stage_seconds_count')).toBe(7);
    expect(metricValue(TEXT, 'keyflow_order_stage_seconds_count', { stage: 'risk' })).toBe(3);
    expect(metricValue(TEXT, 'keyflow_order_stage_seconds_count', { stage: 'delivery' })).toBe(0);
  });

  it('names the families and the samples exported', () => {
    const names = exportedMetricNames(TEXT);
    expect(names.has('keyflow_order_stage_seconds')).toBe(true);
    expect(names.has('keyflow_order_stage_seconds_bucket')).toBe(true);
    expect(names.has('process_cpu_seconds_total')).toBe(true);
    expect(names.has('keyflow_order_paid_to_delivered_seconds')).toBe(false);
  });
});
