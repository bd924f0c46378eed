import { duplicateGoodsEmails, findCanaries } from './invariants';

describe('chaos invariants', () => {
  it('given one order mailed twice and status mails, then only the goods duplicate counts', () => {
    expect(
      duplicateGoodsEmails([
        { orderId: 'a', purpose: 'goods' },
        { orderId: 'a', purpose: 'goods' },
        { orderId: 'b', purpose: 'goods' },
        { orderId: 'b', purpose: 'status' },
        { orderId: 'c' },
      ]),
    ).toBe(1);
  });

  it('given a key in clear, in base64 or in hex, then each is a hit; a clean haystack is not', () => {
    const key = 'CANARY-STEAM-100-ABCDEF';
    const hits = findCanaries(
      [key],
      [
        { name: 'log', text: `sold ${key}` },
        { name: 'span', text: `{"v":"${Buffer.from(key).toString('base64')}"}` },
        { name: 'dump', text: Buffer.from(key).toString('hex') },
        { name: 'clean', text: 'nothing here' },
      ],
    );
    expect(hits.map((hit) => hit.where)).toEqual(['log', 'span', 'dump']);
  });
});
