let counter = 0;

/**
 * A fresh id for a chat message, chosen by the client so a resend after a lost ack is recognised by the server
 * and not stored twice. Random enough to never meet another viewer's, and within MAX_CLIENT_ID_LENGTH.
 */
export function newClientId(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  const random =
    typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : `${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  return `c-${counter.toString(36)}-${random}`;
}
