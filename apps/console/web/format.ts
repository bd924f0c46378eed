/** Durations as people say them: 850 ms, 42 s, 3 min 5 s, 2 h 4 min. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const hours = Math.floor(m / 60);
  return m % 60 ? `${hours} h ${m % 60} min` : `${hours} h`;
}

export function since(iso: string | null | undefined, now = Date.now()): string {
  return iso ? duration(now - Date.parse(iso)) : '–';
}

/** Local date and time, to the second. */
export function time(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function money(total: { amountMinor: number; currency: string }): string {
  return `${(total.amountMinor / 100).toFixed(2)} ${total.currency}`;
}

export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)} %`;
}
