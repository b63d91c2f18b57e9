import type { Magic } from './magic';

/** The magics a kernel knows, by kind and name. */
export class MagicRegistry<Services = unknown> {
  private readonly byKey = new Map<string, Magic<Services>>();

  constructor(magics: readonly Magic<Services>[]) {
    for (const magic of magics) {
      const key = `${magic.kind}:${magic.name}`;
      if (this.byKey.has(key)) throw new Error(`Two magics are registered as ${prefix(magic.kind)}${magic.name}: keep one in magics/index.ts.`);
      this.byKey.set(key, magic);
    }
  }

  get(kind: Magic['kind'], name: string): Magic<Services> | undefined {
    return this.byKey.get(`${kind}:${name}`);
  }

  list(): Magic<Services>[] {
    return [...this.byKey.values()];
  }
}

export function prefix(kind: Magic['kind']): string {
  return kind === 'cell' ? '%%' : '%';
}

/** The help text of one magic (inspect shows it). */
export function describeMagic(magic: Magic): string {
  return `${prefix(magic.kind)}${magic.name}: ${magic.help}\n\nUsage: ${magic.usage}`;
}
