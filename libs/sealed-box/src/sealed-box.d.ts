import { type KeyObject } from 'node:crypto';
/**
 * Hybrid encryption for one recipient: a fresh AES-256-GCM key encrypts the message and is itself
 * encrypted with the recipient's RSA public key (OAEP, SHA-256). Only the holder of the private key
 * (delivery) can open what a sender (inventory) sealed; the sender cannot open it again.
 *
 * Compact format, all parts base64url:  sb1.<wrapped key>.<iv>.<tag>.<ciphertext>
 * The version prefix is also the GCM additional data, so a box cannot be relabelled as another version.
 */
export declare const SEALED_BOX_VERSION = 'sb1';
export type PublicKeyInput = string | KeyObject;
export type PrivateKeyInput = string | KeyObject;
export declare function seal(plaintext: string, recipientPublicKey: PublicKeyInput): string;
export declare function open(sealed: string, recipientPrivateKey: PrivateKeyInput): string;
/** Parses and checks a recipient public key once (e.g. at start), so seal() fails early on bad config. */
export declare function asPublicKey(input: PublicKeyInput): KeyObject;
export declare function asPrivateKey(input: PrivateKeyInput): KeyObject;
//# sourceMappingURL=sealed-box.d.ts.map
