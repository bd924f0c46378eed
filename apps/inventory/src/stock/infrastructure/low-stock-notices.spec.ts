import { formatLowStockNotice, parseLowStockNotice } from './low-stock-notices';

describe('low-stock notices', () => {
  it('carry the SKU and the direction of the change, even for SKUs with colons', () => {
    for (const notice of [
      { sku: 'GAME-1', lowered: true },
      { sku: 'a:b:c', lowered: false },
    ]) {
      expect(parseLowStockNotice(formatLowStockNotice(notice))).toEqual(notice);
    }
  });

  it('are not made up from a payload in another shape', () => {
    expect(parseLowStockNotice('')).toBeUndefined();
    expect(parseLowStockNotice('down:')).toBeUndefined();
    expect(parseLowStockNotice('sideways:GAME-1')).toBeUndefined();
  });
});
