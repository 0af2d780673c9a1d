import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';

// Teams' rules: color.png 192x192 in full colour; outline.png 32x32, white on transparent.
async function pixels(file: string): Promise<{ width: number; height: number; rgba: number[][] }> {
  const png = PNG.sync.read(await readFile(file));
  const rgba: number[][] = [];
  for (let i = 0; i < png.data.length; i += 4) rgba.push([...png.data.subarray(i, i + 4)]);
  return { width: png.width, height: png.height, rgba };
}

describe('app icons', () => {
  it('color.png is 192x192, opaque, and in colour', async () => {
    const { width, height, rgba } = await pixels('appPackage/color.png');
    expect([width, height]).toEqual([192, 192]);
    expect(rgba.every(([, , , a]) => a === 255)).toBe(true);
    const coloured = rgba.filter(([r = 0, g = 0, b = 0]) => Math.max(r, g, b) - Math.min(r, g, b) > 30);
    expect(coloured.length).toBeGreaterThan(rgba.length / 4);
  });

  it('outline.png is 32x32, white where drawn and transparent elsewhere', async () => {
    const { width, height, rgba } = await pixels('appPackage/outline.png');
    expect([width, height]).toEqual([32, 32]);
    const drawn = rgba.filter(([, , , a]) => a !== 0);
    expect(drawn.every(([r, g, b]) => r === 255 && g === 255 && b === 255)).toBe(true);
    expect(drawn.length).toBeGreaterThan(0);
    expect(rgba.length - drawn.length).toBeGreaterThan(0);
  });
});
