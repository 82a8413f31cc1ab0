export const KEY_TYPES = ['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const;

export type KeyType = (typeof KEY_TYPES)[number];

/** Key types an authority may use: RSA-2048 is allowed for leaves, not for a CA that outlives them. */
export const CA_KEY_TYPES = ['ec-p256', 'ec-p384', 'rsa-3072', 'rsa-4096'] as const;

export type CaKeyType = (typeof CA_KEY_TYPES)[number];
