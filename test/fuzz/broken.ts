/** A property of ingest that does not hold; the message says what was seen (fast-check prints it with the seed). */
export class Broken extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Broken';
  }
}

export function must(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Broken(message);
}
