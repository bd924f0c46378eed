async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: HTTP ${response.status} ${await response.text()}`);
}

/** The sandbox payment provider's switches; omitted ones go back to normal. */
export function setPaymentFaults(
  sandboxUrl: string,
  faults: { dropCallbacks?: boolean; dropCallbackRate?: number; duplicate?: number; delayMs?: number },
): Promise<void> {
  return post(`${sandboxUrl}/sandbox/faults`, faults);
}

/** One sandbox supplier's switches; `{ recover: true }` clears them all. */
export function setSupplierFaults(
  suppliersUrl: string,
  supplierId: string,
  faults: { outage?: boolean; hang?: boolean; errorRate?: number; latencyMs?: number; recover?: boolean },
): Promise<void> {
  return post(`${suppliersUrl}/suppliers/${supplierId}/faults`, faults);
}
