import { describe, expect, it } from 'vitest';
import { m2mRefusal } from '../../src/main/core/auth0/management.ts';

const tenant = { domain: 'acme.eu.auth0.com', clientId: 'm2m-123' };

describe('a refused M2M token request', () => {
  it('names the client id only when the answer says the client is unknown', () => {
    expect(m2mRefusal(tenant, 'Unknown client: m2m-123')).toEqual({
      field: 'clientId',
      message: 'acme.eu.auth0.com does not know the M2M client id m2m-123.',
    });
  });

  it("does not guess between id and secret on Auth0's usual answers, and says both are possible", () => {
    for (const description of ['Client authentication failed', 'Unauthorized', '']) {
      const refused = m2mRefusal(tenant, description);
      expect(refused.field, description).toBe('clientSecret');
      expect(refused.message, description).toContain(
        'the client secret is wrong or was rotated, or the client id is not an application of this tenant',
      );
      expect(refused.message, description).toContain('client id m2m-123');
    }
  });
});
