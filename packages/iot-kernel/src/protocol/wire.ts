import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { KernelMessage } from '@jupyterlab/services';

export const PROTOCOL_VERSION = '5.3';
const DELIMITER = '<IDS|MSG>';

/** A message as it travels: the ZeroMQ routing identities, the four JSON parts and the raw buffers. */
export interface WireMessage<C extends object = Record<string, unknown>> {
  identities: Buffer[];
  header: KernelMessage.IHeader;
  parent_header: KernelMessage.IHeader | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** A received message whose signature does not match: it is dropped. */
export class SignatureError extends Error {}

/**
 * HMAC-SHA256 signatures over the four JSON frames (never the buffers). With an empty
 * key (allowed by the protocol) messages are unsigned and not checked.
 */
export class MessageSigner {
  private readonly key: Buffer;

  constructor(key: string) {
    this.key = Buffer.from(key, 'utf8');
  }

  sign(jsonFrames: Buffer[]): string {
    if (this.key.length === 0) return '';
    const hmac = createHmac('sha256', this.key);
    for (const frame of jsonFrames) hmac.update(frame);
    return hmac.digest('hex');
  }

  verify(jsonFrames: Buffer[], signature: string): boolean {
    if (this.key.length === 0) return true;
    const expected = Buffer.from(this.sign(jsonFrames), 'latin1');
    const received = Buffer.from(signature, 'latin1');
    return received.length === expected.length && timingSafeEqual(received, expected);
  }
}

export function decodeMessage(frames: Buffer[], signer: MessageSigner): WireMessage {
  const delimiter = frames.findIndex((frame) => frame.length === DELIMITER.length && frame.toString('latin1') === DELIMITER);
  if (delimiter < 0 || frames.length < delimiter + 6) throw new SignatureError('malformed message: no <IDS|MSG> delimiter followed by signature and four JSON frames');
  const signature = frames[delimiter + 1].toString('latin1');
  const json = frames.slice(delimiter + 2, delimiter + 6);
  if (!signer.verify(json, signature)) throw new SignatureError(signature ? 'bad signature' : 'missing signature');
  const [header, parent_header, metadata, content] = json.map((frame) => JSON.parse(frame.toString('utf8')));
  return { identities: frames.slice(0, delimiter), header, parent_header, metadata, content, buffers: frames.slice(delimiter + 6) };
}

export function encodeMessage(message: WireMessage<object>, signer: MessageSigner): Buffer[] {
  const json = [message.header, message.parent_header, message.metadata, message.content].map((part) => Buffer.from(JSON.stringify(part), 'utf8'));
  return [...message.identities, Buffer.from(DELIMITER), Buffer.from(signer.sign(json)), ...json, ...message.buffers];
}

export function makeHeader(msgType: string, session: string, username = 'kernel'): KernelMessage.IHeader {
  return {
    msg_id: randomUUID(),
    msg_type: msgType as KernelMessage.MessageType,
    session,
    username,
    date: new Date().toISOString(),
    version: PROTOCOL_VERSION,
  };
}
