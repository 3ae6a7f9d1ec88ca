import { randomBytes } from 'node:crypto';
import type WebSocket from 'ws';

/** A viewer session that offered an audio socket: it takes the socket opened with its token. */
export interface AudioSocketHolder {
  attachAudioSocket(ws: WebSocket): void;
}

/**
 * The audio socket tokens given out in `welcome`, each naming the one viewer session it was given to, until that
 * session ends. 24 random bytes: a token cannot be guessed, so an audio socket can only join the session whose
 * viewer socket `authorize` already let in.
 */
export class AudioSocketTokens {
  private readonly holders = new Map<string, AudioSocketHolder>();

  issue(holder: AudioSocketHolder): string {
    const token = randomBytes(24).toString('base64url');
    this.holders.set(token, holder);
    return token;
  }

  revoke(token: string): void {
    this.holders.delete(token);
  }

  holder(token: string | null): AudioSocketHolder | undefined {
    return token === null ? undefined : this.holders.get(token);
  }
}
