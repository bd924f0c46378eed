import { parseBuyerChannels } from './channels';

describe('buyer channel order', () => {
  it('keeps the configured order', () => {
    expect(parseBuyerChannels('email, webhook')).toEqual(['email', 'webhook']);
    expect(parseBuyerChannels('webhook')).toEqual(['webhook']);
  });

  it('refuses unknown, repeated or no channels with a code', () => {
    for (const raw of ['sms', 'email,email', ' , ']) {
      expect(() => parseBuyerChannels(raw)).toThrow(
        expect.objectContaining({ code: 'NOTIFICATION.INVALID_CHANNELS' }),
      );
    }
  });
});
