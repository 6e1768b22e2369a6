import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClosePolicy } from '../src';

/** "4000–4004, 4008, 4009 and 4011": runs of three or more become ranges, as PROTOCOL.md writes them. */
function prose(codes: ReadonlySet<number>): string {
  const sorted = [...codes].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}–${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

describe('close-code policy', () => {
  const protocol = readFileSync(join(import.meta.dirname, '../../docs/PROTOCOL.md'), 'utf8').replace(
    /\s+/g,
    ' ',
  );

  it("PROTOCOL.md states each side's close-code sets as the code has them", () => {
    expect(protocol).toContain(`does not reconnect after ${prose(ClosePolicy.noResume)};`);
    expect(protocol).toContain(`without the resume grace, after ${prose(ClosePolicy.endsSessionAtOnce)}.`);
    expect(protocol).toContain(`logged-out socket at once after ${prose(ClosePolicy.reopenAtOnce)},`);
  });
});
